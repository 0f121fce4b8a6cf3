from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from backoffice.dashboard import hotel_figures
from booking.models import Booking, BookingStatus
from booking.services import booking_cancel, booking_check_in, booking_confirm
from hotels.tests.factories import RoomTypeFactory, hotel_today, staff
from inventory.models import Inventory
from inventory.services import InventoryChange, inventory_apply, inventory_open
from inventory.tests.factories import RatePlanFactory
from payments.models import Refund
from payments.tests.factories import PaymentFactory, RefundFactory

pytestmark = pytest.mark.django_db

SOLD = {BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT}


@pytest.fixture
def seeded_month(hotel, room_type, rate_plan, hold, today):
    """A month of bookings: confirmed, in house, cancelled, held, on two room types,
    at weekend and weekday prices, some running past the 30-night window."""
    suite = RoomTypeFactory(hotel=hotel, room_count=2, base_price=250_000)
    inventory_open(room_type=suite, start=today, end=today + timedelta(days=120))
    suite_plan = RatePlanFactory(room_type=suite, price_adjustment_bp=-1000)
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=rt.pk,
                start=today,
                end=today + timedelta(days=60),
                weekdays=frozenset({5, 6}),
                price=price,
            )
            for rt, price in ((room_type, 130_000), (suite, 310_000))
        ],
        room_types=[room_type, suite],
    )
    made = []
    for offset, nights, rooms, plan in [
        (0, 3, 1, rate_plan),
        (2, 4, 2, rate_plan),
        (5, 2, 1, suite_plan),
        (12, 7, 1, suite_plan),
        (27, 6, 2, rate_plan),
        (29, 2, 1, suite_plan),
        (40, 2, 1, rate_plan),
    ]:
        booking = hold(
            offset=offset,
            nights=nights,
            rooms=rooms,
            adults=rooms,
            rate_plan_id=plan.pk,
        )
        made.append(booking_confirm(booking_id=booking.pk))
    booking_check_in(booking_id=made[0].pk)
    cancelled = hold(offset=8, nights=3)
    booking_confirm(booking_id=cancelled.pk)
    booking_cancel(booking_id=cancelled.pk)
    hold(offset=9, nights=2)  # still held: not sold
    return [room_type, suite]


def expected(hotel, room_types, start, days):
    """The figures computed in Python from the bookings and nights themselves."""
    end = start + timedelta(days=days)
    sold = revenue = 0
    per_night = {}
    for booking in Booking.objects.filter(hotel=hotel):
        if booking.status not in SOLD:
            continue
        for index, price in enumerate(booking.nightly_prices):
            night = booking.check_in + timedelta(days=index)
            if start <= night < end:
                sold += booking.rooms
                revenue += price * booking.rooms
                per_night[night] = per_night.get(night, 0) + booking.rooms
    capacity = sum(
        row.rooms
        for row in Inventory.objects.filter(
            room_type__in=room_types, date__gte=start, date__lt=end
        )
    )
    cancelled = Booking.objects.filter(
        hotel=hotel,
        status=BookingStatus.CANCELLED,
        check_in__lt=end,
        check_out__gt=start,
    )

    def half_up(amount, units):
        return int((Decimal(amount) / Decimal(units)).quantize(0, ROUND_HALF_UP))

    return {
        "sold": sold,
        "revenue": revenue,
        "capacity": capacity,
        "adr": half_up(revenue, sold),
        "revpar": half_up(revenue, capacity),
        "per_night": per_night,
        "cancelled": cancelled.count(),
        "cancelled_value": sum(b.total for b in cancelled),
    }


@pytest.mark.parametrize("days", [30, 90])
def test_dashboard_figures_equal_what_the_bookings_say(
    hotel, seeded_month, today, days, django_assert_max_num_queries
):
    want = expected(hotel, seeded_month, today, days)

    with django_assert_max_num_queries(5):
        got = hotel_figures(hotel, start=today, days=days)

    assert (got.sold, got.revenue, got.capacity) == (
        want["sold"],
        want["revenue"],
        want["capacity"],
    )
    assert (got.adr, got.revpar) == (want["adr"], want["revpar"])
    assert got.occupancy == pytest.approx(100 * want["sold"] / want["capacity"])
    assert {n.night: n.sold for n in got.nights if n.sold} == want["per_night"]
    assert (got.cancelled, got.cancelled_value) == (
        want["cancelled"],
        want["cancelled_value"],
    )
    # Every booking was made today: today's pick-up is all that is on the books.
    assert got.pickup[-1][0] == today
    assert got.pickup[-1][2] == want["sold"]
    assert all(rooms == 0 for _, _, rooms, _ in got.pickup[:-1])


def test_dashboard_page_shows_kpis_charts_and_the_numbers_behind_them(
    owner_client, hotel, seeded_month, today
):
    want = expected(hotel, seeded_month, today, 30)

    response = owner_client.get(
        reverse("admin:hotels_hotel_dashboard", args=[hotel.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 3 and "Occupancy per night" in html
    assert "<details>" in html and 'id="nights"' in html
    kpis = dict(response.context["kpis"])
    assert kpis["Room-nights sold"] == f"{want['sold']} of {want['capacity']}"
    assert kpis["ADR (average daily rate)"] == f"₩{want['adr']:,}"
    first = response.context["rows"][0]
    assert (first["night"], first["sold"]) == (today, want["per_night"][today])


def test_front_desk_staff_do_not_see_the_dashboard(client, hotel):
    client.force_login(staff("desk", hotel, role="front_desk"))

    response = client.get(reverse("admin:hotels_hotel_dashboard", args=[hotel.pk]))

    assert response.status_code == 403


def cancelled_and_paid(hold, offset):
    booking = booking_confirm(booking_id=hold(offset=offset, nights=2).pk)
    payment = PaymentFactory(booking=booking)
    booking_cancel(booking_id=booking.pk)
    return payment


def test_refunded_is_what_the_cancellation_refunds_that_succeeded_gave_back(
    owner_client, hotel, hold
):
    """The issue's €564 shown while €384 was refunded: a refund that failed (or is
    still pending) was counted as refunded. Only succeeded refunds count."""
    succeeded = cancelled_and_paid(hold, 3)
    RefundFactory(
        payment=succeeded,
        amount=38_400,
        purpose=Refund.Purpose.CANCELLATION,
        status=Refund.Status.SUCCEEDED,
    )
    gave_up = cancelled_and_paid(hold, 6)
    RefundFactory(
        payment=gave_up,
        amount=18_000,
        purpose=Refund.Purpose.CANCELLATION,
        status=Refund.Status.GAVE_UP,
    )
    pending = cancelled_and_paid(hold, 9)
    RefundFactory(
        payment=pending,
        amount=5_000,
        purpose=Refund.Purpose.CANCELLATION,
        status=Refund.Status.PENDING,
    )
    # A refund in another currency than the hotel's is not this hotel's money.
    other = cancelled_and_paid(hold, 12)
    RefundFactory(
        payment=other,
        amount=999,
        currency="EUR",
        purpose=Refund.Purpose.CANCELLATION,
        status=Refund.Status.SUCCEEDED,
    )
    today = hotel_today(hotel)

    figures = hotel_figures(hotel, start=today, days=30)

    assert figures.cancelled == 4
    assert figures.refunded == 38_400
    assert figures.refund_open == 23_000
    response = owner_client.get(
        reverse("admin:hotels_hotel_dashboard", args=[hotel.pk])
    )
    cancellations = dict(response.context["kpis"])["Cancellations"]
    assert "refunded ₩38,400" in cancellations
    assert "₩23,000 not refunded yet" in cancellations


def test_every_chart_has_units_and_axis_labels_and_a_table(
    owner_client, hotel, seeded_month
):
    response = owner_client.get(
        reverse("admin:hotels_hotel_dashboard", args=[hotel.pk])
    )

    html = response.content.decode()
    charts = response.context["charts"]
    assert "Occupancy (%)" in charts["occupancy"]
    assert "Night (hotel time)" in charts["occupancy"]
    # Money axes in the hotel's currency, formatted as money.
    assert "Room revenue (KRW)" in charts["revenue"]
    assert "₩" in charts["revenue"]
    assert "Room-nights" in charts["pickup"]
    assert "Day booked (hotel time)" in charts["pickup"]
    for svg in charts.values():
        assert 'role="img"' in svg and "axis-label" in svg
    assert 'id="nights"' in html and 'id="pickup"' in html
    assert "Revenue (KRW)" in html
    assert dict(response.context["kpis"])["Occupancy"].endswith("%")


def test_dashboard_speaks_the_readers_language(owner, client, hotel, seeded_month):
    client.force_login(owner)

    response = client.get(
        reverse("admin:hotels_hotel_dashboard", args=[hotel.pk]),
        headers={"accept-language": "ko"},
    )

    charts = response.context["charts"]
    assert "객실 수익 (KRW)" in charts["revenue"]
    assert "점유율 (%)" in charts["occupancy"]
