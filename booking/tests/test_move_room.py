from datetime import time, timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from booking.models import BookingStatus, RoomAssignment
from booking.services import (
    booking_check_in,
    booking_confirm,
    booking_move_room,
)
from core.errors import ErrorCode, IllegalTransition, Unavailable
from hotels.models import Room
from hotels.tests.factories import HotelFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel():
    """Today's arrivals are sold until midnight, so the tests book for today at any hour."""
    return HotelFactory(
        time_zone="Asia/Seoul", currency="KRW", same_day_cutoff=time(23, 59, 59, 999999)
    )


@pytest.fixture
def rooms(room_type):
    return [RoomFactory(room_type=room_type, number=n) for n in ("201", "202", "203")]


@pytest.fixture
def guest_in(hold, rooms, today):
    """A guest who arrived two nights ago for five nights, in room 201."""
    booking = hold(offset=0, nights=5)
    booking_confirm(booking_id=booking.pk)
    booking_check_in(booking_id=booking.pk, room_ids=[rooms[0].pk])
    shift = timedelta(days=2)
    type(booking).objects.filter(pk=booking.pk).update(
        check_in=booking.check_in - shift, check_out=booking.check_out - shift
    )
    RoomAssignment.objects.filter(booking=booking).update(
        stay=DateRange(booking.check_in - shift, booking.check_out - shift, "[)")
    )
    booking.refresh_from_db()
    return booking


def test_moving_a_guest_ends_the_old_room_today_and_gives_the_new_one_to_departure(
    guest_in, rooms, today
):
    booking_move_room(
        booking_id=guest_in.pk, from_room_id=rooms[0].pk, to_room_id=rooms[1].pk
    )

    stays = dict(
        RoomAssignment.objects.filter(booking=guest_in).values_list("room_id", "stay")
    )
    assert stays[rooms[0].pk] == DateRange(guest_in.check_in, today, "[)")
    assert stays[rooms[1].pk] == DateRange(today, guest_in.check_out, "[)")
    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "dirty"


def test_a_move_on_the_day_of_arrival_replaces_the_assignment(hold, rooms, today):
    booking = hold(offset=0, nights=2)
    booking_confirm(booking_id=booking.pk)
    booking_check_in(booking_id=booking.pk, room_ids=[rooms[0].pk])

    booking_move_room(
        booking_id=booking.pk, from_room_id=rooms[0].pk, to_room_id=rooms[2].pk
    )

    assert list(
        RoomAssignment.objects.filter(booking=booking).values_list("room_id", "stay")
    ) == [(rooms[2].pk, DateRange(today, booking.check_out, "[)"))]


def test_a_move_into_a_room_taken_tonight_is_refused_and_changes_nothing(
    guest_in, hold, rooms, today
):
    other = hold(offset=0, nights=1)
    booking_confirm(booking_id=other.pk)
    booking_check_in(booking_id=other.pk, room_ids=[rooms[1].pk])
    before = list(RoomAssignment.objects.order_by("pk").values())

    with pytest.raises(Unavailable) as refused:
        booking_move_room(
            booking_id=guest_in.pk, from_room_id=rooms[0].pk, to_room_id=rooms[1].pk
        )

    assert refused.value.code == ErrorCode.ROOM_TAKEN
    assert list(RoomAssignment.objects.order_by("pk").values()) == before
    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "clean"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("out_of_order", ErrorCode.ROOM_NOT_SUITABLE),
        ("same_room", ErrorCode.ROOM_NOT_SUITABLE),
        ("not_in_that_room", ErrorCode.ROOM_NOT_ASSIGNED),
    ],
)
def test_unsuitable_moves_are_refused(guest_in, rooms, case, code):
    from_room, to_room = rooms[0], rooms[1]
    if case == "out_of_order":
        Room.objects.filter(pk=to_room.pk).update(housekeeping_status="out_of_order")
    elif case == "same_room":
        to_room = from_room
    else:
        from_room, to_room = rooms[2], rooms[1]

    with pytest.raises(Unavailable) as refused:
        booking_move_room(
            booking_id=guest_in.pk, from_room_id=from_room.pk, to_room_id=to_room.pk
        )

    assert refused.value.code == code


def test_only_a_guest_in_house_can_move(hold, rooms):
    booking = hold(offset=0, nights=2)

    with pytest.raises(IllegalTransition):
        booking_move_room(
            booking_id=booking.pk, from_room_id=rooms[0].pk, to_room_id=rooms[1].pk
        )
    assert booking.status == BookingStatus.HELD
