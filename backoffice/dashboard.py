"""A hotel's dashboard: occupancy, ADR, RevPAR, revenue, pick-up and cancellations on
the books for the next 30 or 90 nights, computed in SQL (four queries)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from booking.models import Booking, BookingStatus
from core.money import format_money, minor_exponent
from payments.selectors import with_refunds

from .base import hotel_today

SOLD = [BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT]
PICKUP_DAYS = 14

# Each sold booking spread over its nights (nightly_prices holds one room's price of
# each night, in stay order), kept to the nights of the window.
_NIGHTS_SQL = """
SELECT (b.check_in + (n.i - 1)::int) AS night, SUM(b.rooms)::bigint,
       SUM(n.price::bigint * b.rooms)::bigint
FROM booking_booking b
CROSS JOIN LATERAL jsonb_array_elements_text(b.nightly_prices) WITH ORDINALITY AS n(price, i)
WHERE b.hotel_id = %(hotel)s AND b.status = ANY(%(sold)s)
  AND b.check_in < %(end)s AND b.check_out > %(start)s
  AND b.check_in + (n.i - 1)::int >= %(start)s AND b.check_in + (n.i - 1)::int < %(end)s
GROUP BY 1 ORDER BY 1
"""

_CAPACITY_SQL = """
SELECT i.date, SUM(i.rooms)::bigint FROM inventory_inventory i
JOIN hotels_roomtype rt ON rt.id = i.room_type_id
WHERE rt.hotel_id = %(hotel)s AND i.date >= %(start)s AND i.date < %(end)s
GROUP BY 1 ORDER BY 1
"""

# Pick-up: what bookings made on each of the last days added to the window's nights.
_PICKUP_SQL = """
SELECT (b.created_at AT TIME ZONE %(tz)s)::date AS day, COUNT(DISTINCT b.id),
       SUM(b.rooms)::bigint,
       SUM(n.price::bigint * b.rooms)::bigint
FROM booking_booking b
CROSS JOIN LATERAL jsonb_array_elements_text(b.nightly_prices) WITH ORDINALITY AS n(price, i)
WHERE b.hotel_id = %(hotel)s AND b.status = ANY(%(sold)s)
  AND b.created_at >= %(since)s
  AND b.check_in < %(end)s AND b.check_out > %(start)s
  AND b.check_in + (n.i - 1)::int >= %(start)s AND b.check_in + (n.i - 1)::int < %(end)s
GROUP BY 1 ORDER BY 1
"""


def per_unit(amount: int, units: int) -> int:
    """Return amount / units in minor units, rounded half up (0 when no units)."""
    return (2 * amount + units) // (2 * units) if units else 0


@dataclass
class Night:
    night: date
    capacity: int = 0
    sold: int = 0
    revenue: int = 0

    @property
    def occupancy(self) -> float:
        return 100 * self.sold / self.capacity if self.capacity else 0.0


@dataclass
class Figures:
    start: date
    end: date
    nights: list[Night]
    pickup: list[tuple[date, int, int, int]] = field(default_factory=list)
    cancelled: int = 0
    cancelled_value: int = 0
    refunded: int = 0

    @property
    def capacity(self) -> int:
        return sum(n.capacity for n in self.nights)

    @property
    def sold(self) -> int:
        return sum(n.sold for n in self.nights)

    @property
    def revenue(self) -> int:
        return sum(n.revenue for n in self.nights)

    @property
    def occupancy(self) -> float:
        return 100 * self.sold / self.capacity if self.capacity else 0.0

    @property
    def adr(self) -> int:
        return per_unit(self.revenue, self.sold)

    @property
    def revpar(self) -> int:
        return per_unit(self.revenue, self.capacity)


def hotel_figures(hotel, *, start: date, days: int) -> Figures:
    """Return the hotel's figures for the nights [start, start + days)."""
    end = start + timedelta(days=days)
    params = {
        "hotel": hotel.pk,
        "sold": list(SOLD),
        "start": start,
        "end": end,
        "tz": hotel.time_zone,
        "since": None,
    }
    nights = {
        start + timedelta(days=i): Night(start + timedelta(days=i)) for i in range(days)
    }
    with connection.cursor() as cursor:
        cursor.execute(_CAPACITY_SQL, params)
        for night, capacity in cursor.fetchall():
            nights[night].capacity = capacity
        cursor.execute(_NIGHTS_SQL, params)
        for night, sold, revenue in cursor.fetchall():
            nights[night].sold, nights[night].revenue = sold, revenue
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0]
        today = now.astimezone(hotel.tz).date()
        params["since"] = _local_midnight(
            hotel, today - timedelta(days=PICKUP_DAYS - 1)
        )
        cursor.execute(_PICKUP_SQL, params)
        made = {row[0]: row[1:] for row in cursor.fetchall()}
    # What comes back is the refund every page shows (payments.selectors).
    cancellations = with_refunds(
        Booking.objects.filter(
            hotel=hotel,
            status=BookingStatus.CANCELLED,
            check_in__lt=end,
            check_out__gt=start,
        )
    ).aggregate(
        count=Count("pk"),
        value=Coalesce(Sum("total"), 0),
        refunded=Coalesce(Sum("refund_due"), 0),
    )
    cancelled, value, refunded = (
        cancellations["count"],
        cancellations["value"],
        cancellations["refunded"],
    )
    pickup = [
        (day, *made.get(day, (0, 0, 0)))
        for day in (
            today - timedelta(days=PICKUP_DAYS - 1 - i) for i in range(PICKUP_DAYS)
        )
    ]
    return Figures(
        start=start,
        end=end,
        nights=list(nights.values()),
        pickup=pickup,
        cancelled=cancelled,
        cancelled_value=value,
        refunded=refunded,
    )


def _local_midnight(hotel, day: date):
    return datetime.combine(day, time(0, 0), tzinfo=hotel.tz)


def bar_chart(title: str, bars: list[tuple[str, float]], *, unit: str = "") -> str:
    """Return an SVG bar chart of (label, value) pairs, readable without the page."""
    width, height, left, bottom = 720, 180, 40, 20
    top = max((value for _, value in bars), default=0) or 1
    step = (width - left) / max(len(bars), 1)
    rects = []
    for index, (label, value) in enumerate(bars):
        bar_height = (height - bottom - 10) * value / top
        x = left + index * step
        y = height - bottom - bar_height
        rects.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{max(step - 2, 1):.1f}",
                f"{bar_height:.1f}",
                f"{label}: {value:,.0f}{unit}",
            )
        )
    every = max(len(bars) // 10, 1)
    ticks = [
        (f"{left + i * step:.1f}", label)
        for i, (label, _) in enumerate(bars)
        if i % every == 0
    ]
    return format_html(
        '<svg class="bo-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">'
        "<title>{t}</title>"
        '<line class="axis" x1="{l}" y1="{b}" x2="{w}" y2="{b}"></line>'
        '<text x="0" y="12">{top}{unit}</text>'
        "{rects}{ticks}</svg>",
        w=width,
        h=height,
        l=left,
        b=height - bottom,
        t=title,
        top=f"{top:,.0f}",
        unit=unit,
        rects=format_html_join(
            "",
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            rects,
        ),
        ticks=format_html_join(
            "",
            '<text x="{}" y="' + str(height - 5) + '">{}</text>',
            ticks,
        ),
    )


def dashboard_view(request, hotel, context):
    days = 90 if request.GET.get("days") == "90" else 30
    today = hotel_today(hotel)
    figures = hotel_figures(hotel, start=today, days=days)
    currency = hotel.currency
    exponent_unit = 10 ** _exponent(currency)

    def money(amount: int) -> str:
        return format_money(amount, currency)

    rows = [
        {
            "night": night.night,
            "capacity": night.capacity,
            "sold": night.sold,
            "occupancy": night.occupancy,
            "revenue": money(night.revenue),
            "adr": money(per_unit(night.revenue, night.sold)),
        }
        for night in figures.nights
    ]
    charts = {
        "occupancy": bar_chart(
            f"Occupancy per night, next {days} nights",
            [(f"{n.night:%d %b}", n.occupancy) for n in figures.nights],
            unit="%",
        ),
        "revenue": bar_chart(
            f"Room revenue per night ({currency}), next {days} nights",
            [(f"{n.night:%d %b}", n.revenue / exponent_unit) for n in figures.nights],
        ),
        "pickup": bar_chart(
            f"Room-nights picked up per booking day, last {PICKUP_DAYS} days",
            [(f"{day:%d %b}", rooms) for day, _, rooms, _ in figures.pickup],
        ),
    }
    context.update(
        days=days,
        figures=figures,
        rows=rows,
        charts={name: mark_safe(svg) for name, svg in charts.items()},  # noqa: S308
        pickup=[
            {"day": day, "bookings": count, "room_nights": rooms, "revenue": money(rev)}
            for day, count, rooms, rev in figures.pickup
        ],
        kpis=[
            ("Occupancy", f"{figures.occupancy:.1f}%"),
            ("ADR", money(figures.adr)),
            ("RevPAR", money(figures.revpar)),
            ("Room revenue", money(figures.revenue)),
            ("Room-nights sold", f"{figures.sold} of {figures.capacity}"),
            (
                "Cancellations",
                f"{figures.cancelled} · {money(figures.cancelled_value)} "
                f"(refunded {money(figures.refunded)})",
            ),
        ],
    )
    return TemplateResponse(request, "admin/backoffice/dashboard.html", context)


def _exponent(currency: str) -> int:
    return minor_exponent(currency)
