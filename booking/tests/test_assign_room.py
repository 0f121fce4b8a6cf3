from datetime import timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from booking.models import RoomAssignment
from booking.services import (
    booking_assign_room,
    booking_cancel,
    booking_check_in,
    booking_confirm,
)
from core.errors import ErrorCode, IllegalTransition, Unavailable
from hotels.models import Room
from hotels.tests.factories import RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(room_type):
    return [RoomFactory(room_type=room_type, number=n) for n in ("301", "302", "303")]


@pytest.fixture
def confirmed(hold):
    def make(**kwargs):
        booking = hold(**kwargs)
        booking_confirm(booking_id=booking.pk)
        return booking

    return make


def stays_of(booking):
    return dict(
        RoomAssignment.objects.filter(booking=booking).values_list("room_id", "stay")
    )


def test_a_future_booking_gets_a_room_for_its_whole_stay(confirmed, rooms):
    booking = confirmed(offset=5, nights=3)

    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)

    assert stays_of(booking) == {
        rooms[0].pk: DateRange(booking.check_in, booking.check_out, "[)")
    }


def test_moving_a_future_booking_replaces_its_room_for_the_whole_stay(confirmed, rooms):
    booking = confirmed(offset=5, nights=3)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)

    booking_assign_room(
        booking_id=booking.pk, room_id=rooms[1].pk, from_room_id=rooms[0].pk
    )

    assert stays_of(booking) == {
        rooms[1].pk: DateRange(booking.check_in, booking.check_out, "[)")
    }
    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "clean"


def test_a_room_taken_on_one_overlapping_night_is_refused_and_nothing_changes(
    confirmed, rooms
):
    first = confirmed(offset=5, nights=3)
    second = confirmed(offset=7, nights=2)
    booking_assign_room(booking_id=first.pk, room_id=rooms[0].pk)
    booking_assign_room(booking_id=second.pk, room_id=rooms[1].pk)

    with pytest.raises(Unavailable) as refused:
        booking_assign_room(
            booking_id=second.pk, room_id=rooms[0].pk, from_room_id=rooms[1].pk
        )

    assert refused.value.code == ErrorCode.ROOM_TAKEN
    assert "301" in refused.value.message
    assert stays_of(second) == {
        rooms[1].pk: DateRange(second.check_in, second.check_out, "[)")
    }


def test_back_to_back_stays_share_a_room(confirmed, rooms):
    first = confirmed(offset=5, nights=2)
    second = confirmed(offset=7, nights=2)
    booking_assign_room(booking_id=first.pk, room_id=rooms[0].pk)

    booking_assign_room(booking_id=second.pk, room_id=rooms[0].pk)

    assert rooms[0].pk in stays_of(second)


def test_rooms_of_another_type_or_out_of_order_are_not_suitable(
    confirmed, rooms, hotel
):
    booking = confirmed(offset=5, nights=2)
    other = RoomFactory(room_type=RoomTypeFactory(hotel=hotel), number="900")
    Room.objects.filter(pk=rooms[2].pk).update(housekeeping_status="out_of_order")

    for room in (other, rooms[2]):
        with pytest.raises(Unavailable) as refused:
            booking_assign_room(booking_id=booking.pk, room_id=room.pk)
        assert refused.value.code == ErrorCode.ROOM_NOT_SUITABLE
    assert stays_of(booking) == {}


def test_a_booking_with_all_its_rooms_must_move_one(confirmed, rooms):
    booking = confirmed(offset=5, nights=2)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)

    with pytest.raises(Unavailable) as refused:
        booking_assign_room(booking_id=booking.pk, room_id=rooms[1].pk)

    assert refused.value.code == ErrorCode.ROOM_NOT_SUITABLE
    assert list(stays_of(booking)) == [rooms[0].pk]


def test_a_cancelled_booking_gets_no_room(confirmed, rooms):
    booking = confirmed(offset=5, nights=2)
    booking_cancel(booking_id=booking.pk)

    with pytest.raises(IllegalTransition):
        booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)
    assert stays_of(booking) == {}


def test_a_guest_in_house_moves_from_today_and_leaves_a_dirty_room(
    confirmed, rooms, today
):
    booking = confirmed(offset=0, nights=3)
    booking_check_in(booking_id=booking.pk, room_ids=[rooms[0].pk])
    RoomAssignment.objects.filter(booking=booking).update(
        stay=DateRange(today - timedelta(days=1), booking.check_out, "[)")
    )
    type(booking).objects.filter(pk=booking.pk).update(
        check_in=today - timedelta(days=1)
    )

    booking_assign_room(
        booking_id=booking.pk, room_id=rooms[1].pk, from_room_id=rooms[0].pk
    )

    assert stays_of(booking) == {
        rooms[0].pk: DateRange(today - timedelta(days=1), today, "[)"),
        rooms[1].pk: DateRange(today, booking.check_out, "[)"),
    }
    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "dirty"


def test_check_in_with_other_rooms_replaces_the_rooms_assigned_ahead(confirmed, rooms):
    booking = confirmed(offset=0, nights=2)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)

    booking_check_in(booking_id=booking.pk, room_ids=[rooms[2].pk])

    assert list(stays_of(booking)) == [rooms[2].pk]
