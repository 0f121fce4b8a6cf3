from datetime import timedelta

import pytest

from booking.models import Booking, BookingStatus, RoomAssignment
from booking.selectors import inventory_disagreements
from booking.services import (
    GuestDetails,
    booking_cancel,
    booking_change,
    booking_check_in,
    booking_check_out,
    booking_confirm,
    booking_expire,
    booking_extend_hold,
    booking_hold,
    booking_mark_no_show,
    expire_overdue_holds,
)
from booking.tasks import expire_overdue_holds as task
from booking.tests.factories import make_overdue
from core.errors import ErrorCode, IllegalTransition, Unavailable, ValidationError
from hotels.models import Room
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomFactory,
    RoomTypeFactory,
    hotel_today,
)
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory, booked

pytestmark = pytest.mark.django_db


def test_expire_releases_an_overdue_hold_once(hold, room_type, today):
    booking = hold(offset=10, nights=2, rooms=2, adults=2)
    make_overdue(booking)

    assert booking_expire(booking_id=booking.pk) is True
    assert booking_expire(booking_id=booking.pk) is False

    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert booking.expired_at is not None
    assert booked(room_type, today + timedelta(days=10)) == 0
    assert inventory_disagreements() == []


def test_a_hold_before_its_deadline_does_not_expire(hold):
    booking = hold()
    assert booking_expire(booking_id=booking.pk) is False
    assert expire_overdue_holds() == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD


def test_beat_task_expires_every_overdue_hold(hold, room_type, today):
    overdue = [hold(offset=10 + i, nights=1) for i in range(3)]
    live = hold(offset=20, nights=1)
    for booking in overdue:
        make_overdue(booking)

    assert task.delay().get() == 3

    assert set(
        Booking.objects.filter(status="expired").values_list("pk", flat=True)
    ) == {b.pk for b in overdue}
    assert Booking.objects.get(pk=live.pk).status == BookingStatus.HELD
    assert inventory_disagreements() == []


def test_a_full_night_with_an_overdue_hold_is_sold_without_waiting_for_beat(
    hold, room_type
):
    overdue = [hold(offset=30, nights=2) for _ in range(3)]
    make_overdue(overdue[0])

    fresh = hold(offset=30, nights=2)

    assert fresh.status == BookingStatus.HELD
    assert Booking.objects.get(pk=overdue[0].pk).status == BookingStatus.EXPIRED
    assert inventory_disagreements() == []


def test_an_overdue_hold_can_never_be_confirmed(hold):
    booking = hold()
    make_overdue(booking)

    with pytest.raises(IllegalTransition) as refused:
        booking_confirm(booking_id=booking.pk)

    assert refused.value.code == ErrorCode.HOLD_EXPIRED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_hold_extensions_are_capped(hold, settings):
    settings.BOOKING_HOLD_MAX_EXTENSIONS = 2
    booking = hold()
    for _ in range(2):
        booking_extend_hold(booking_id=booking.pk)
    with pytest.raises(IllegalTransition) as refused:
        booking_extend_hold(booking_id=booking.pk)
    assert refused.value.code == ErrorCode.HOLD_EXTENSION_LIMIT


@pytest.mark.parametrize(
    ("path", "action"),
    [
        (["cancel"], "confirm"),
        (["cancel"], "cancel"),
        (["cancel"], "check_in"),
        ([], "check_in"),
        ([], "check_out"),
        ([], "no_show"),
        (["confirm"], "check_out"),
        (["confirm", "cancel"], "change"),
        (["expire"], "confirm"),
        (["expire"], "cancel"),
    ],
)
def test_state_machine_refuses_illegal_transitions(
    hold, room_type, today, path, action
):
    booking = (
        hold(offset=0, nights=2) if action != "change" else hold(offset=3, nights=2)
    )
    steps = {
        "confirm": lambda: booking_confirm(booking_id=booking.pk),
        "cancel": lambda: booking_cancel(booking_id=booking.pk),
        "check_in": lambda: booking_check_in(booking_id=booking.pk),
        "check_out": lambda: booking_check_out(booking_id=booking.pk),
        "no_show": lambda: booking_mark_no_show(booking_id=booking.pk),
        "change": lambda: booking_change(booking_id=booking.pk, rooms=2),
        "expire": lambda: (
            make_overdue(booking),
            booking_expire(booking_id=booking.pk),
        ),
    }
    for step in path:
        steps[step]()
    before = Booking.objects.get(pk=booking.pk)
    counts = list(
        Inventory.objects.filter(room_type=room_type).values_list("booked", flat=True)
    )

    with pytest.raises(IllegalTransition) as refused:
        steps[action]()

    assert refused.value.code in (ErrorCode.ILLEGAL_TRANSITION, ErrorCode.HOLD_EXPIRED)
    after = Booking.objects.get(pk=booking.pk)
    assert after.status == before.status
    assert (
        list(
            Inventory.objects.filter(room_type=room_type).values_list(
                "booked", flat=True
            )
        )
        == counts
    )


def test_cancel_refunds_by_the_frozen_policy(hold, policy, room_type):
    early = hold(offset=10, nights=2)
    late = hold(offset=3, nights=2)
    last_minute = hold(offset=1, nights=2)
    for booking in (early, late, last_minute):
        booking_confirm(booking_id=booking.pk)
    policy.rules.all().delete()  # a later policy change must not touch earlier bookings

    assert booking_cancel(booking_id=early.pk).refund_amount == early.total
    assert booking_cancel(booking_id=late.pk).refund_amount == late.total // 2
    assert booking_cancel(booking_id=last_minute.pk).refund_amount == 0
    assert inventory_disagreements() == []


def test_cancel_uses_the_hotel_date_in_a_zone_far_from_utc(rate_plan, room_type):
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) straddle the UTC date all day long."""

    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        hotel = HotelFactory(time_zone=zone, currency="USD")
        today = hotel_today(hotel)
        kind = RoomTypeFactory(hotel=hotel, room_count=2)
        inventory_open(room_type=kind, start=today, end=today + timedelta(days=10))
        plan = RatePlanFactory(
            room_type=kind,
            cancellation_policy=CancellationPolicyFactory(
                hotel=hotel, rules=[(2, 100), (1, 50)]
            ),
        )
        refunds = []
        for offset in (2, 1):
            check_in = today + timedelta(days=offset)
            booking = booking_hold(
                rate_plan_id=plan.pk,
                stay=StayRequest(check_in, check_in + timedelta(days=1)),
                guest=GuestDetails(name="Guest", email="g@example.com"),
                source="site",
            )
            booking_confirm(booking_id=booking.pk)
            refunds.append(
                booking_cancel(booking_id=booking.pk).refund_amount
                * 100
                // booking.total
            )
        assert refunds == [100, 50], zone


def test_cancelling_a_hold_refunds_nothing_and_frees_the_rooms(hold, room_type, today):
    booking = hold(offset=10, nights=2)
    cancelled = booking_cancel(booking_id=booking.pk, reason="changed my mind")
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.refund_amount == 0
    assert cancelled.cancellation_reason == "changed my mind"
    assert booked(room_type, today + timedelta(days=10)) == 0


def test_change_dates_moves_the_nights_and_prices_only_the_new_ones(
    hold, room_type, today
):
    booking = hold(offset=10, nights=2)
    booking_confirm(booking_id=booking.pk)
    Inventory.objects.filter(
        room_type=room_type, date__gte=today + timedelta(days=11)
    ).update(price=120_000)

    result = booking_change(
        booking_id=booking.pk,
        check_in=today + timedelta(days=11),
        check_out=today + timedelta(days=14),
    )

    assert result.booking.nightly_prices == [100_000, 120_000, 120_000]
    assert result.old_total == 200_000
    assert result.new_total == 340_000
    assert result.difference == 140_000
    assert [booked(room_type, today + timedelta(days=d)) for d in range(9, 15)] == [
        0,
        0,
        1,
        1,
        1,
        0,
    ]
    assert inventory_disagreements() == []


def test_change_is_atomic_when_the_new_nights_are_not_available(hold, room_type, today):
    booking = hold(offset=10, nights=2)
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=13)
    ).update(booked=3)
    before = Booking.objects.get(pk=booking.pk)

    with pytest.raises(Unavailable) as refused:
        booking_change(
            booking_id=booking.pk,
            check_in=today + timedelta(days=12),
            check_out=today + timedelta(days=14),
        )

    assert refused.value.code == ErrorCode.SOLD_OUT
    after = Booking.objects.get(pk=booking.pk)
    assert (after.check_in, after.check_out, after.total) == (
        before.check_in,
        before.check_out,
        before.total,
    )
    assert [booked(room_type, today + timedelta(days=d)) for d in (10, 11, 12, 13)] == [
        1,
        1,
        0,
        3,
    ]


def test_change_to_more_rooms_counts_the_rooms_it_already_holds(hold, room_type, today):
    booking = hold(offset=10, nights=2, rooms=2, adults=3)
    hold(offset=10, nights=2)  # the last room

    with pytest.raises(Unavailable):
        booking_change(booking_id=booking.pk, rooms=3)
    with pytest.raises(ValidationError) as crowded:
        booking_change(booking_id=booking.pk, rooms=1)
    assert crowded.value.code == ErrorCode.TOO_MANY_GUESTS
    result = booking_change(booking_id=booking.pk, rooms=1, adults=2)

    assert result.difference == -200_000
    saved = Booking.objects.get(pk=booking.pk)
    assert (saved.rooms, saved.adults, saved.total) == (1, 2, 200_000)
    assert booked(room_type, today + timedelta(days=10)) == 2
    assert inventory_disagreements() == []


def test_change_to_the_same_stay_or_bad_dates_is_refused(hold, today):
    booking = hold(offset=10, nights=2)
    with pytest.raises(ValidationError) as same:
        booking_change(booking_id=booking.pk, rooms=1)
    assert same.value.code == ErrorCode.NOTHING_TO_CHANGE
    with pytest.raises(ValidationError) as backwards:
        booking_change(booking_id=booking.pk, check_out=today + timedelta(days=9))
    assert backwards.value.code == ErrorCode.INVALID_DATES


def test_check_in_assigns_rooms_and_the_database_refuses_a_double_assignment(
    hold, room_type
):
    first = hold(offset=0, nights=3)
    second = hold(offset=0, nights=1)
    for booking in (first, second):
        booking_confirm(booking_id=booking.pk)
    room = RoomFactory(room_type=room_type)

    booking_check_in(booking_id=first.pk, room_ids=[room.pk])
    with pytest.raises(Unavailable) as refused:
        booking_check_in(booking_id=second.pk, room_ids=[room.pk])

    assert refused.value.code == ErrorCode.ROOM_TAKEN
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CONFIRMED
    assert RoomAssignment.objects.filter(room=room).count() == 1


def test_check_in_refuses_a_room_out_of_order_or_of_another_type(
    hold, room_type, hotel
):
    booking = hold(offset=0, nights=1)
    booking_confirm(booking_id=booking.pk)
    broken = RoomFactory(
        room_type=room_type, housekeeping_status=Room.Housekeeping.OUT_OF_ORDER
    )
    with pytest.raises(Unavailable) as refused:
        booking_check_in(booking_id=booking.pk, room_ids=[broken.pk])
    assert refused.value.code == ErrorCode.ROOM_NOT_SUITABLE


def test_check_in_before_the_arrival_day_is_too_early(hold):
    booking = hold(offset=2, nights=1)
    booking_confirm(booking_id=booking.pk)
    with pytest.raises(IllegalTransition) as refused:
        booking_check_in(booking_id=booking.pk)
    assert refused.value.code == ErrorCode.TOO_EARLY


def test_early_check_out_gives_back_the_unused_nights_and_dirties_the_room(
    hold, room_type, today
):
    booking = hold(offset=0, nights=3)
    booking_confirm(booking_id=booking.pk)
    room = RoomFactory(room_type=room_type)
    booking_check_in(booking_id=booking.pk, room_ids=[room.pk])

    out = booking_check_out(booking_id=booking.pk)

    assert out.status == BookingStatus.CHECKED_OUT
    assert out.check_out == today + timedelta(days=1)
    assert out.total == 100_000
    assert [booked(room_type, today + timedelta(days=d)) for d in range(3)] == [1, 0, 0]
    room.refresh_from_db()
    assert room.housekeeping_status == Room.Housekeeping.DIRTY
    assert inventory_disagreements() == []


def test_no_show_releases_the_rooms(hold, room_type, today):
    booking = hold(offset=0, nights=2)
    booking_confirm(booking_id=booking.pk)

    assert booking_mark_no_show(booking_id=booking.pk).status == BookingStatus.NO_SHOW
    assert booked(room_type, today) == 0
    assert inventory_disagreements() == []


def test_no_show_before_the_arrival_day_is_refused(hold):
    booking = hold(offset=3, nights=1)
    booking_confirm(booking_id=booking.pk)
    with pytest.raises(IllegalTransition) as refused:
        booking_mark_no_show(booking_id=booking.pk)
    assert refused.value.code == ErrorCode.TOO_EARLY
