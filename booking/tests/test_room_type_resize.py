"""A room type's room count and overbooking reach the nights already open."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.services import booking_confirm, booking_hold
from booking.tests.factories import GUEST
from core.errors import Busy, ErrorCode, Unavailable, ValidationError
from hotels.models import RoomType
from hotels.tests.factories import RoomFactory, RoomTypeFactory
from inventory.housekeeping import room_set_housekeeping
from inventory.models import Inventory
from inventory.room_types import room_type_resize, room_type_resize_preview
from inventory.rules import StayRequest
from inventory.services import InventoryChange, inventory_apply, inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(room_type):
    return [RoomFactory(room_type=room_type, number=str(n)) for n in (101, 102, 103)]


def nights(room_type, start, count):
    """(rooms, overbooking) of `count` nights from `start`."""
    rows = Inventory.objects.filter(
        room_type=room_type,
        date__gte=start,
        date__lt=start + timedelta(days=count),
    ).order_by("date")
    return [(row.rooms, row.overbooking) for row in rows]


def test_more_rooms_reach_every_open_night_from_today_and_none_before(room_type, today):
    yesterday = today - timedelta(days=1)
    Inventory.objects.create(room_type=room_type, date=yesterday, rooms=3, price=1)

    plan = room_type_resize(
        room_type_id=room_type.pk, room_count=5, overbooking_percent=0
    )

    assert len(plan.nights) == 120
    assert nights(room_type, today, 120) == [(5, 0)] * 120
    assert Inventory.objects.get(room_type=room_type, date=yesterday).rooms == 3
    assert RoomType.objects.get(pk=room_type.pk).room_count == 5


def test_a_night_with_its_own_rooms_to_sell_keeps_its_difference(
    room_type, rooms, today
):
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=room_type.pk,
                start=today + timedelta(days=2),
                end=today + timedelta(days=3),
                rooms=1,
            )
        ],
        room_types=[room_type],
    )
    room_set_housekeeping(
        room_id=rooms[0].pk, status="out_of_order", out_of_order_until=today
    )

    room_type_resize(room_type_id=room_type.pk, room_count=4, overbooking_percent=0)

    # Out of order tonight (one less), the default, one set by hand (1 of 3).
    assert [rooms for rooms, _ in nights(room_type, today, 4)] == [3, 4, 2, 4]
    room_set_housekeeping(room_id=rooms[0].pk, status="clean")
    assert nights(room_type, today, 1) == [(4, 0)]


def test_the_overbooking_percent_recomputes_the_units_of_open_nights(hotel, today):
    room_type = RoomTypeFactory(hotel=hotel, room_count=20)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=3))

    room_type_resize(room_type_id=room_type.pk, room_count=20, overbooking_percent=10)

    assert nights(room_type, today, 3) == [(20, 2)] * 3
    assert RoomType.objects.get(pk=room_type.pk).overbooking_percent == 10


def test_fewer_rooms_than_booked_is_refused_naming_the_nights_and_changes_nothing(
    room_type, hold, today
):
    full = hold(offset=4, nights=2, rooms=3, adults=3)
    booking_confirm(booking_id=full.pk)

    with pytest.raises(Unavailable) as refused:
        room_type_resize(room_type_id=room_type.pk, room_count=2, overbooking_percent=0)

    error = refused.value
    assert error.code == ErrorCode.BELOW_BOOKED
    first, second = full.check_in, full.check_in + timedelta(days=1)
    assert f"{first:%a %d %b %Y} (3 booked, room for 2)" in error.message
    assert f"{second:%a %d %b %Y}" in error.message
    assert [night["date"] for night in error.params["nights"]] == [
        first.isoformat(),
        second.isoformat(),
    ]
    assert RoomType.objects.get(pk=room_type.pk).room_count == 3
    assert nights(room_type, today, 120) == [(3, 0)] * 120


def test_overbooking_units_count_as_room_for_what_is_booked(hotel, today):
    room_type = RoomTypeFactory(
        hotel=hotel, room_count=10, overbooking_percent=10, max_occupancy=9
    )
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=3))
    night = today + timedelta(days=1)
    booking_hold(
        rate_plan_id=RatePlanFactory(room_type=room_type).pk,
        stay=StayRequest(night, night + timedelta(days=1), rooms=9, adults=9),
        guest=GUEST,
        source="site",
    )

    # 9 booked: 10 rooms without overbooking still hold them; 8 rooms and 10% (no
    # whole room) do not.
    room_type_resize(room_type_id=room_type.pk, room_count=10, overbooking_percent=0)
    with pytest.raises(Unavailable):
        room_type_resize(
            room_type_id=room_type.pk, room_count=8, overbooking_percent=10
        )
    assert nights(room_type, today, 3) == [(10, 0)] * 3


def test_the_preview_says_which_nights_change_and_by_how_much(room_type, rooms, today):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=1),
    )

    plan = room_type_resize_preview(
        room_type_id=room_type.pk, room_count=4, overbooking_percent=0
    )

    ranges = plan.ranges()
    assert [(r.first, r.last, r.rooms, r.overbooking) for r in ranges] == [
        (today, today + timedelta(days=1), (2, 3), (0, 0)),
        (today + timedelta(days=2), today + timedelta(days=119), (3, 4), (0, 0)),
    ]
    assert [r.nights for r in ranges] == [2, 118]
    assert plan.blocked == []
    # A preview writes nothing.
    assert nights(room_type, today, 3) == [(2, 0), (2, 0), (3, 0)]
    assert RoomType.objects.get(pk=room_type.pk).room_count == 3


def test_the_nights_are_locked_in_date_order_before_anything_is_written(room_type):
    with CaptureQueriesContext(connection) as queries:
        room_type_resize(room_type_id=room_type.pk, room_count=4, overbooking_percent=0)

    statements = [q["sql"] for q in queries.captured_queries]
    locks = [i for i, sql in enumerate(statements) if "FOR UPDATE" in sql]
    writes = [i for i, sql in enumerate(statements) if sql.startswith("UPDATE")]
    assert "inventory_inventory" in statements[locks[0]]
    assert "ORDER BY date" in statements[locks[0]]
    assert any("lock_timeout" in sql for sql in statements[: locks[0]])
    assert writes and max(locks) < min(writes)


def test_a_change_made_since_the_page_was_read_is_refused(room_type, today):
    room_type_resize(room_type_id=room_type.pk, room_count=4, overbooking_percent=0)

    with pytest.raises(Busy):
        room_type_resize(
            room_type_id=room_type.pk,
            room_count=5,
            overbooking_percent=0,
            expected=(3, 0),
        )

    assert nights(room_type, today, 1) == [(4, 0)]


@pytest.mark.parametrize(
    ("room_count", "percent"), [(-1, 0), (40_000, 0), (3, 26), (3, -1)]
)
def test_impossible_values_are_refused(room_type, room_count, percent):
    with pytest.raises(ValidationError):
        room_type_resize(
            room_type_id=room_type.pk,
            room_count=room_count,
            overbooking_percent=percent,
        )
    assert RoomType.objects.get(pk=room_type.pk).room_count == 3
