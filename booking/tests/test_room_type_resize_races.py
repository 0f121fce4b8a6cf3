"""A room count change racing guests' holds: real threads on their own connections."""

from datetime import timedelta

import pytest

from booking.selectors import inventory_disagreements
from booking.services import GuestDetails, booking_hold
from core.errors import ErrorCode, Unavailable
from core.testing import run_together
from hotels.models import RoomType
from hotels.tests.factories import HotelFactory, RoomTypeFactory, hotel_today
from inventory.models import Inventory
from inventory.room_types import room_type_resize
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("races")]

ROOMS, SMALLER, GUESTS = 6, 3, 11


@pytest.mark.parametrize("round_", range(4))
def test_a_smaller_room_count_racing_holds_never_leaves_more_booked_than_rooms(
    round_,
):
    hotel = HotelFactory(time_zone="Asia/Tokyo", currency="JPY")
    today = hotel_today(hotel)
    room_type = RoomTypeFactory(hotel=hotel, room_count=ROOMS)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=10))
    plan = RatePlanFactory(room_type=room_type)
    # Stays over the same two nights, some starting a night earlier or later, so the
    # holds and the change lock overlapping rows.
    base = today + timedelta(days=3)

    def work(i):
        if i == GUESTS // 2:  # the manager, in the middle of the rush
            return room_type_resize(
                room_type_id=room_type.pk, room_count=SMALLER, overbooking_percent=0
            )
        check_in = base + timedelta(days=i % 3 - 1)
        return booking_hold(
            rate_plan_id=plan.pk,
            stay=StayRequest(check_in, check_in + timedelta(days=2)),
            guest=GuestDetails(name=f"Guest {i}", email=f"g{i}@example.com"),
            source="site",
        )

    outcomes = run_together(GUESTS + 1, work)

    change = outcomes[GUESTS // 2]
    holds = outcomes[: GUESTS // 2] + outcomes[GUESTS // 2 + 1 :]
    refusals = [o.error for o in holds if o.error is not None]
    assert all(
        isinstance(e, Unavailable) and e.code == ErrorCode.SOLD_OUT for e in refusals
    ), {repr(e) for e in refusals}
    assert change.error is None or (
        isinstance(change.error, Unavailable)
        and change.error.code == ErrorCode.BELOW_BOOKED
    ), repr(change.error)
    rows = list(Inventory.objects.filter(room_type=room_type))
    assert [r for r in rows if r.booked > r.rooms + r.overbooking] == []
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []
    count = RoomType.objects.get(pk=room_type.pk).room_count
    if change.error is None:
        assert count == SMALLER
        assert {r.rooms for r in rows} == {SMALLER}
    else:
        assert count == ROOMS
        assert {r.rooms for r in rows} == {ROOMS}
        assert max(r.booked for r in rows) > SMALLER
