"""Out of order, as the service does it (the board's tests are with the board)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import Busy
from core.testing import run_together
from hotels.models import Room
from hotels.tests.factories import RoomFactory
from inventory.housekeeping import room_set_housekeeping
from inventory.models import Inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(room_type):
    """The room type's three physical rooms: 101 quiet, 102 sea view, 103 plain."""
    return [
        RoomFactory(room_type=room_type, number="101", features="quiet"),
        RoomFactory(room_type=room_type, number="102", features="sea view"),
        RoomFactory(room_type=room_type, number="103"),
    ]


def rooms_to_sell(room_type, start, nights):
    return [
        Inventory.objects.get(room_type=room_type, date=start + timedelta(days=i)).rooms
        for i in range(nights)
    ]


def test_moving_the_last_night_out_locks_its_nights_once_before_writing(
    room_type, rooms, today
):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=2),
    )

    with CaptureQueriesContext(connection) as queries:
        room_set_housekeeping(
            room_id=rooms[0].pk,
            status="out_of_order",
            out_of_order_until=today + timedelta(days=4),
        )

    statements = [q["sql"] for q in queries.captured_queries]
    locks = [
        i
        for i, sql in enumerate(statements)
        if "FOR UPDATE" in sql and "inventory_inventory" in sql
    ]
    writes = [i for i, sql in enumerate(statements) if "UPDATE inventory" in sql]
    assert len(locks) == 1, statements
    assert "lock_timeout" in statements[locks[0] - 1]
    assert len(writes) == 2 and locks[0] < writes[0]
    assert rooms_to_sell(room_type, today, 6) == [2, 2, 2, 2, 2, 3]
    assert Room.objects.get(pk=rooms[0].pk).out_of_order_nights == [
        today + timedelta(days=i) for i in range(5)
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_two_clerks_taking_one_room_out_of_order_at_once_take_it_off_sale_once(
    room_type, rooms, today
):
    until = today + timedelta(days=3)

    outcomes = run_together(
        2,
        lambda i: room_set_housekeeping(
            room_id=rooms[0].pk, status="out_of_order", out_of_order_until=until
        ),
    )

    assert all(o.error is None or isinstance(o.error, Busy) for o in outcomes)
    assert any(o.error is None for o in outcomes)
    assert rooms_to_sell(room_type, today, 5) == [2, 2, 2, 2, 3]
    room = Room.objects.get(pk=rooms[0].pk)
    assert len(room.out_of_order_nights) == 4

    room_set_housekeeping(room_id=room.pk, status="clean")

    assert rooms_to_sell(room_type, today, 5) == [3, 3, 3, 3, 3]
