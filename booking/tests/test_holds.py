from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import (
    GuestDetails,
    booking_cancel,
    booking_confirm,
    booking_hold,
    booking_quote,
)
from booking.tests.factories import GUEST
from core.clock import db_now
from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.tests.factories import RoomTypeFactory
from inventory import hints
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory, booked

pytestmark = pytest.mark.django_db


def test_hold_takes_every_night_and_prices_the_stay_under_the_rate_plan(
    hold, room_type, today
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=11)
    ).update(price=130_000)

    booking = hold(offset=10, nights=3, rooms=2, adults=3)

    assert booking.status == BookingStatus.HELD
    assert booking.nightly_prices == [100_000, 130_000, 100_000]
    assert booking.total == 2 * 330_000
    assert booking.currency == "KRW"
    assert [
        booked(room_type, today + timedelta(days=d)) for d in (9, 10, 11, 12, 13)
    ] == [
        0,
        2,
        2,
        2,
        0,
    ]
    assert inventory_disagreements() == []


def test_non_refundable_plan_applies_its_discount_and_freezes_an_empty_policy(
    room_type, today
):
    plan = RatePlanFactory(room_type=room_type, price_adjustment_bp=-1500)
    check_in = today + timedelta(days=5)

    booking = booking_hold(
        rate_plan_id=plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=2)),
        guest=GUEST,
        source="site",
    )

    assert booking.nightly_prices == [85_000, 85_000]
    assert booking.total == 170_000
    assert booking.policy == {}


def test_hold_deadline_is_database_now_plus_hold_time(hold, settings):
    booking = hold()
    booking.refresh_from_db()
    assert booking.held_until - booking.created_at == pytest.approx(
        timedelta(minutes=settings.BOOKING_HOLD_MINUTES), abs=timedelta(seconds=2)
    )


def test_reference_is_random_and_not_sequential(hold):
    references = {hold(offset=o, nights=1).reference for o in range(1, 4)}
    assert len(references) == 3
    assert all(len(r) == 10 and r.isalnum() for r in references)


def test_same_idempotency_key_returns_the_first_booking(hold, room_type, today):
    first = hold(idempotency_scope="user:1", idempotency_key="k1")
    again = hold(idempotency_scope="user:1", idempotency_key="k1")

    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert booked(room_type, today + timedelta(days=10)) == 1


def test_same_idempotency_key_with_another_request_is_refused(hold, room_type, today):
    hold(idempotency_scope="user:1", idempotency_key="k1", nights=2)

    with pytest.raises(ValidationError) as refused:
        hold(idempotency_scope="user:1", idempotency_key="k1", nights=3)

    assert refused.value.code == ErrorCode.IDEMPOTENCY_MISMATCH
    assert Booking.objects.count() == 1
    assert booked(room_type, today + timedelta(days=12)) == 0


def test_the_same_key_in_another_scope_is_another_booking(hold):
    a = hold(idempotency_scope="user:1", idempotency_key="k1")
    b = hold(idempotency_scope="user:2", idempotency_key="k1")
    assert a.pk != b.pk


def test_multi_room_stay_is_all_or_nothing_when_one_night_is_short(
    hold, room_type, today
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=12)
    ).update(booked=2)

    with pytest.raises(Unavailable) as refused:
        hold(offset=10, nights=4, rooms=2)

    assert refused.value.code == ErrorCode.SOLD_OUT
    assert refused.value.params["nights"] == [str(today + timedelta(days=12))]
    assert Booking.objects.count() == 0
    assert [booked(room_type, today + timedelta(days=d)) for d in range(10, 14)] == [
        0,
        0,
        2,
        0,
    ]


def test_overbooking_allowance_sells_exactly_rooms_plus_allowance(hotel, today):
    room_type = RoomTypeFactory(hotel=hotel, room_count=20, overbooking_percent=10)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=30))
    plan = RatePlanFactory(room_type=room_type)
    check_in = today + timedelta(days=3)
    stay = StayRequest(check_in, check_in + timedelta(days=1))

    sold = 0
    with pytest.raises(Unavailable) as refused:
        for _ in range(23):
            booking_hold(rate_plan_id=plan.pk, stay=stay, guest=GUEST, source="site")
            sold += 1

    assert sold == 22  # 20 rooms + 10% allowance
    assert refused.value.code == ErrorCode.SOLD_OUT
    assert Inventory.objects.get(room_type=room_type, date=check_in).booked == 22


def test_a_sold_out_answer_is_remembered_briefly_and_forgotten_on_release(
    hold, room_type, today, django_capture_on_commit_callbacks
):
    bookings = [hold(offset=20, nights=1) for _ in range(3)]
    with pytest.raises(Unavailable):
        hold(offset=20, nights=1)
    night = today + timedelta(days=20)
    assert hints.known_short(room_type.pk, [night], 1)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=bookings[0].pk)

    assert not hints.known_short(room_type.pk, [night], 1)
    assert hold(offset=20, nights=1).status == BookingStatus.HELD


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"stop_sell": True}, ErrorCode.STOP_SELL),
        ({"min_stay": 3}, ErrorCode.MIN_STAY),
        ({"max_stay": 1}, ErrorCode.MAX_STAY),
        ({"closed_to_arrival": True}, ErrorCode.CLOSED_TO_ARRIVAL),
    ],
)
def test_restrictions_on_the_arrival_night_refuse_the_stay(
    hold, room_type, today, change, code
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=10)
    ).update(**change)

    with pytest.raises(Unavailable) as refused:
        hold(offset=10, nights=2)

    assert refused.value.code == code
    assert Booking.objects.count() == 0
    assert inventory_disagreements() == []


def test_min_stay_is_met_by_a_long_enough_stay(hold, room_type, today):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=10)
    ).update(min_stay=3)
    assert hold(offset=10, nights=3).status == BookingStatus.HELD


def test_stop_sell_on_a_middle_night_refuses_the_stay(hold, room_type, today):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=11)
    ).update(stop_sell=True)
    with pytest.raises(Unavailable) as refused:
        hold(offset=10, nights=3)
    assert refused.value.code == ErrorCode.STOP_SELL


def test_closed_to_departure_is_read_on_the_departure_day(hold, room_type, today):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=12)
    ).update(closed_to_departure=True)

    with pytest.raises(Unavailable) as refused:
        hold(offset=10, nights=2)
    assert refused.value.code == ErrorCode.CLOSED_TO_DEPARTURE
    # Staying through the closed day is fine: only leaving on it is not.
    assert hold(offset=10, nights=3).status == BookingStatus.HELD


def test_nights_without_inventory_are_not_on_sale(hold):
    with pytest.raises(Unavailable) as refused:
        hold(offset=118, nights=5)
    assert refused.value.code == ErrorCode.NO_INVENTORY


@pytest.mark.parametrize(
    ("offset", "nights", "rooms", "adults", "code"),
    [
        (10, 0, 1, 1, ErrorCode.INVALID_DATES),
        (10, -2, 1, 1, ErrorCode.INVALID_DATES),
        (-1, 2, 1, 1, ErrorCode.PAST_DATE),
        (10, 31, 1, 1, ErrorCode.STAY_TOO_LONG),
        (10, 400, 1, 1, ErrorCode.STAY_TOO_LONG),
        (10, 2, 0, 1, ErrorCode.INVALID_ROOMS),
        (10, 2, -1, 1, ErrorCode.INVALID_ROOMS),
        (10, 2, 1, 3, ErrorCode.TOO_MANY_GUESTS),
        (10, 2, 2, 1, ErrorCode.INVALID_GUESTS),
        (10, 2, 1, 50, ErrorCode.TOO_MANY_GUESTS),
        (600, 2, 1, 1, ErrorCode.TOO_FAR_AHEAD),
    ],
)
def test_bad_requests_get_a_clear_error_and_change_nothing(
    hold, room_type, offset, nights, rooms, adults, code
):
    with pytest.raises(ValidationError) as refused:
        hold(offset=offset, nights=nights, rooms=rooms, adults=adults)

    assert refused.value.code == code
    assert refused.value.message
    assert Booking.objects.count() == 0
    assert not Inventory.objects.filter(room_type=room_type, booked__gt=0).exists()


def test_bad_guest_details_name_each_field(hold):
    with pytest.raises(ValidationError) as refused:
        hold(guest=GuestDetails(name=" ", email="not-an-email"))
    assert refused.value.code == ErrorCode.INVALID_GUEST_DETAILS
    assert set(refused.value.params["fields"]) == {"name", "email"}
    assert Booking.objects.count() == 0


def test_unknown_or_inactive_rate_plans_cannot_be_held(hold, rate_plan):
    with pytest.raises(NotFound):
        hold(rate_plan_id=rate_plan.pk + 1000)
    rate_plan.room_type.hotel.status = "inactive"
    rate_plan.room_type.hotel.save()
    with pytest.raises(Unavailable) as refused:
        hold()
    assert refused.value.code == ErrorCode.NOT_BOOKABLE


def test_same_day_cutoff_in_hotel_time(hotel, rate_plan):

    # Pick a zone where it is mid-day now, so cut-offs 30 minutes either side stay today.
    now = db_now()
    zone = next(
        z
        for z in ("Asia/Seoul", "Europe/Lisbon", "America/New_York", "Pacific/Honolulu")
        if 2 <= now.astimezone(ZoneInfo(z)).hour <= 21
    )
    hotel.time_zone = zone
    hotel.save()
    local_now = now.astimezone(ZoneInfo(zone))
    today = local_now.date()
    stay = StayRequest(today, today + timedelta(days=1))
    inventory_open(
        room_type=rate_plan.room_type, start=today, end=today + timedelta(days=2)
    )

    hotel.same_day_cutoff = (local_now - timedelta(minutes=30)).time()
    hotel.save()
    with pytest.raises(ValidationError) as refused:
        booking_hold(rate_plan_id=rate_plan.pk, stay=stay, guest=GUEST, source="site")
    assert refused.value.code == ErrorCode.SAME_DAY_CUTOFF

    hotel.same_day_cutoff = (local_now + timedelta(minutes=30)).time()
    hotel.save()
    assert booking_hold(
        rate_plan_id=rate_plan.pk, stay=stay, guest=GUEST, source="site"
    ).pk


def test_quote_shows_price_and_reason_without_taking_anything(
    rate_plan, room_type, today
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=4)
    ).update(booked=3)
    check_in = today + timedelta(days=3)

    quote = booking_quote(
        rate_plan_id=rate_plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=2)),
    )

    assert quote.total == 200_000
    assert quote.nightly_prices == [100_000, 100_000]
    assert not quote.available
    assert quote.problem.code == ErrorCode.SOLD_OUT
    assert quote.free_rooms == 0
    assert not Booking.objects.exists()


def test_confirm_twice_is_harmless(hold):
    booking = hold()
    assert booking_confirm(booking_id=booking.pk).status == BookingStatus.CONFIRMED
    assert booking_confirm(booking_id=booking.pk).status == BookingStatus.CONFIRMED


def test_hold_locks_the_nights_in_date_order_before_writing_them(hold):
    with CaptureQueriesContext(connection) as queries:
        hold(offset=10, nights=3)

    # Inside the test's transaction the service's own BEGIN/COMMIT are savepoints.
    statements = [
        q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]
    ]
    lock = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    write = next(
        i for i, sql in enumerate(statements) if "UPDATE inventory_inventory" in sql
    )
    # Lock waits are bounded before the lock, in the same message as the plan's read.
    message = statements[lock]
    assert message.index("lock_timeout") < message.index("FOR UPDATE")
    assert "FROM inventory_rateplan p" in message
    assert "ORDER BY date" in message
    assert lock < write
    # The hot path stays short: one message (bound lock waits, read the plan, lock),
    # then take + insert in one statement (BEGIN before, COMMIT after).
    assert len(statements) == 2, statements
    assert "INSERT INTO booking_booking" in statements[write]
