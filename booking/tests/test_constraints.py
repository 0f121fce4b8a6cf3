"""The database refuses one room on two overlapping stays (the exclusion constraint)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from booking.models import RoomAssignment
from hotels.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def test_a_room_can_never_serve_two_overlapping_stays(hold, room_type):
    room = RoomFactory(room_type=room_type, number="201")
    first, second = hold(offset=10, nights=3), hold(offset=12, nights=2)
    RoomAssignment.objects.create(
        booking=first, room=room, stay=DateRange(first.check_in, first.check_out, "[)")
    )

    with (
        pytest.raises(IntegrityError, match="room_never_double_assigned"),
        transaction.atomic(),
    ):
        RoomAssignment.objects.create(
            booking=second,
            room=room,
            stay=DateRange(second.check_in, second.check_out, "[)"),
        )

    back_to_back = hold(offset=13, nights=1)  # arrives the day the first leaves
    RoomAssignment.objects.create(
        booking=back_to_back,
        room=room,
        stay=DateRange(first.check_out, first.check_out + timedelta(days=1), "[)"),
    )
    assert RoomAssignment.objects.filter(room=room).count() == 2
