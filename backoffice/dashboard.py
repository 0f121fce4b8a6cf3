"""A hotel's dashboard: occupancy, ADR, RevPAR, revenue, pick-up and cancellations on
the books for the next 30 or 90 nights, computed in SQL (five queries)."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from babel.numbers import format_currency, format_decimal, format_percent
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from booking.models import Booking, BookingStatus
from core.dates import format_date
from core.money import format_money, minor_exponent
from payments.models import Refund
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


def _summed(refunds):
    """The sum of the refunds' amounts per booking (NULL when it has none)."""
    return Subquery(
        refunds.order_by()
        .values("payment__booking_id")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )


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
    refunded: int = 0  # cancellation refunds that succeeded
    refund_open: int = 0  # cancellation refunds pending, retrying or given up
    partner_refunds: int = 0  # paid back by the partners who took the payments

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
    # What the cancellations gave back: their cancellation refunds that succeeded, in
    # the hotel's currency; never what a policy promised, a refund still pending or
    # failed (`refund_open`), or what a partner who took the payment pays back under
    # the policy (`partner_refunds`, the refund figure of payments.selectors).
    refunds = Refund.objects.filter(
        payment__booking_id=OuterRef("pk"),
        purpose=Refund.Purpose.CANCELLATION,
        currency=hotel.currency,
    )
    cancellations = (
        with_refunds(
            Booking.objects.filter(
                hotel=hotel,
                status=BookingStatus.CANCELLED,
                check_in__lt=end,
                check_out__gt=start,
            )
        )
        .annotate(
            succeeded_refunds=_summed(refunds.filter(status=Refund.Status.SUCCEEDED)),
            open_refunds=_summed(refunds.exclude(status=Refund.Status.SUCCEEDED)),
        )
        .aggregate(
            count=Count("pk"),
            value=Coalesce(Sum("total"), 0),
            refunded=Coalesce(Sum("succeeded_refunds"), 0),
            refund_open=Coalesce(Sum("open_refunds"), 0),
            partner_refunds=Coalesce(
                Sum(
                    Case(
                        When(refund_by="partner", then=F("refund_due")),
                        default=0,
                        output_field=IntegerField(),
                    )
                ),
                0,
            ),
        )
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
        cancelled=cancellations["count"],
        cancelled_value=cancellations["value"],
        refunded=cancellations["refunded"],
        refund_open=cancellations["refund_open"],
        partner_refunds=cancellations["partner_refunds"],
    )


def _local_midnight(hotel, day: date):
    return datetime.combine(day, time(0, 0), tzinfo=hotel.tz)


def _nice_top(value: float) -> float:
    """Return a round number at or above `value` for the top of an axis."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    title: str,
    bars: list[tuple[str, float]],
    *,
    fmt: Callable[[float], str],
    y_label: str,
    x_label: str,
) -> str:
    """Return an SVG bar chart of (label, value) pairs with labelled, unit-bearing axes.

    `fmt` formats a value with its unit for the reader (money in the hotel's currency,
    a percent, a count); each bar's tooltip and the axis ticks use it. The chart is an
    image with a text name; the table beside it is its accessible alternative.
    """
    width, height, left, bottom, top_pad = 720, 220, 86, 44, 12
    top = _nice_top(max((value for _, value in bars), default=0))
    plot = height - bottom - top_pad
    step = (width - left) / max(len(bars), 1)
    rects = []
    for index, (label, value) in enumerate(bars):
        bar_height = plot * value / top
        x = left + index * step
        y = height - bottom - bar_height
        rects.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{max(step - 2, 1):.1f}",
                f"{bar_height:.1f}",
                f"{label}: {fmt(value)}",
            )
        )
    every = max(len(bars) // 10, 1)
    x_ticks = [
        (f"{left + i * step:.1f}", str(height - bottom + 14), label)
        for i, (label, _) in enumerate(bars)
        if i % every == 0
    ]
    y_ticks = []
    for fraction in (0, 0.5, 1):
        y = height - bottom - plot * fraction
        y_ticks.append(
            (left - 4, f"{y + 3:.1f}", fmt(top * fraction), left, f"{y:.1f}", width)
        )
    return format_html(
        '<svg class="bo-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">'
        "<title>{t}</title>"
        '<line class="axis" x1="{l}" y1="{b}" x2="{w}" y2="{b}"></line>'
        '<line class="axis" x1="{l}" y1="{pt}" x2="{l}" y2="{b}"></line>'
        "{y_ticks}{rects}{x_ticks}"
        '<text class="axis-label" x="{xl}" y="{xly}" text-anchor="middle">{x_label}</text>'
        '<text class="axis-label" x="12" y="{yly}" text-anchor="middle" '
        'transform="rotate(-90 12 {yly})">{y_label}</text>'
        "</svg>",
        w=width,
        h=height,
        l=left,
        b=height - bottom,
        pt=top_pad,
        t=title,
        x_label=x_label,
        y_label=y_label,
        xl=f"{left + (width - left) / 2:.0f}",
        xly=height - 6,
        yly=f"{top_pad + plot / 2:.0f}",
        y_ticks=format_html_join(
            "",
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
            '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
            [(tx, ty, text, x1, y, x2, y) for tx, ty, text, x1, y, x2 in y_ticks],
        ),
        rects=format_html_join(
            "",
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            rects,
        ),
        x_ticks=format_html_join(
            "", '<text class="tick" x="{}" y="{}">{}</text>', x_ticks
        ),
    )


def dashboard_view(request, hotel, context):
    days = 90 if request.GET.get("days") == "90" else 30
    today = hotel_today(hotel)
    figures = hotel_figures(hotel, start=today, days=days)
    currency = hotel.currency
    exponent_unit = 10 ** _exponent(currency)
    language = get_language() or "en"
    locale = to_locale(language)

    def money(amount: int) -> str:
        return format_money(amount, currency, language)

    def major(value: float) -> str:
        """A chart value in major units of the hotel's currency, whole units."""
        return format_currency(
            round(value),
            currency,
            format="¤#,##0",
            locale=locale,
            currency_digits=False,
        )

    def percent(value: float) -> str:
        return format_percent(value / 100, "#,##0.#%", locale=locale)

    def count(value: float) -> str:
        return format_decimal(round(value), "#,##0", locale=locale)

    def day(value: date) -> str:
        return format_date(value, language, "short")

    rows = [
        {
            "night": night.night,
            "capacity": night.capacity,
            "sold": night.sold,
            "occupancy": percent(night.occupancy),
            "revenue": money(night.revenue),
            "adr": money(per_unit(night.revenue, night.sold)),
        }
        for night in figures.nights
    ]
    night_label = _("Night (hotel time)")
    charts = {
        "occupancy": bar_chart(
            _("Occupancy per night (%%), next %(days)d nights") % {"days": days},
            [(day(n.night), n.occupancy) for n in figures.nights],
            fmt=percent,
            y_label=_("Occupancy (%)"),
            x_label=night_label,
        ),
        "revenue": bar_chart(
            _("Room revenue per night (%(currency)s), next %(days)d nights")
            % {"currency": currency, "days": days},
            [(day(n.night), n.revenue / exponent_unit) for n in figures.nights],
            fmt=major,
            y_label=_("Room revenue (%(currency)s)") % {"currency": currency},
            x_label=night_label,
        ),
        "pickup": bar_chart(
            _("Room-nights picked up per booking day, last %(days)d days")
            % {"days": PICKUP_DAYS},
            [(day(d), rooms) for d, _count, rooms, _rev in figures.pickup],
            fmt=count,
            y_label=_("Room-nights"),
            x_label=_("Day booked (hotel time)"),
        ),
    }
    refunded = _("refunded %(amount)s") % {"amount": money(figures.refunded)}
    if figures.refund_open:
        refunded += " · " + _("%(amount)s not refunded yet") % {
            "amount": money(figures.refund_open)
        }
    if figures.partner_refunds:
        refunded += " · " + _("%(amount)s paid back by partners") % {
            "amount": money(figures.partner_refunds)
        }
    context.update(
        days=days,
        figures=figures,
        rows=rows,
        currency=currency,
        charts={name: mark_safe(svg) for name, svg in charts.items()},  # noqa: S308
        pickup=[
            {"day": d, "bookings": n, "room_nights": rooms, "revenue": money(rev)}
            for d, n, rooms, rev in figures.pickup
        ],
        kpis=[
            (_("Occupancy"), percent(figures.occupancy)),
            (_("ADR (average daily rate)"), money(figures.adr)),
            (_("RevPAR (revenue per available room)"), money(figures.revpar)),
            (_("Room revenue"), money(figures.revenue)),
            (
                _("Room-nights sold"),
                _("%(sold)s of %(capacity)s")
                % {"sold": count(figures.sold), "capacity": count(figures.capacity)},
            ),
            (
                _("Cancellations"),
                f"{count(figures.cancelled)} · {money(figures.cancelled_value)} "
                f"({refunded})",
            ),
        ],
    )
    return TemplateResponse(request, "admin/backoffice/dashboard.html", context)


def _exponent(currency: str) -> int:
    return minor_exponent(currency)
