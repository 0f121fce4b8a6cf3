"""Every test's small hotel: 120 nights of inventory, chained hotel → room type → plan.

A pytest plugin (the root conftest.py loads it), so any app's tests ask for these by
name and none imports another app's conftest.
"""

from datetime import time, timedelta

import pytest

from booking.services import booking_hold
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomTypeFactory,
    hotel_today,
)
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

from .factories import GUEST


@pytest.fixture
def hotel():
    # Sells today's arrivals until midnight, so a test that arrives today passes at any
    # hour (the cut-off has its own tests, which set it).
    return HotelFactory(
        time_zone="Asia/Seoul", currency="KRW", same_day_cutoff=time.max
    )


@pytest.fixture
def room_type(hotel):
    room_type = RoomTypeFactory(hotel=hotel, room_count=3, base_price=100_000)
    start = hotel_today(hotel)
    inventory_open(room_type=room_type, start=start, end=start + timedelta(days=120))
    return room_type


@pytest.fixture
def policy(hotel):
    return CancellationPolicyFactory(hotel=hotel)


@pytest.fixture
def rate_plan(room_type, policy):
    return RatePlanFactory(room_type=room_type, cancellation_policy=policy)


@pytest.fixture
def today(hotel):
    return hotel_today(hotel)


@pytest.fixture
def hold(rate_plan, today):
    """Hold a stay of `nights` nights starting `offset` days from today."""

    def make(offset=10, nights=2, rooms=1, adults=None, **kwargs):
        check_in = today + timedelta(days=offset)
        stay = StayRequest(
            check_in, check_in + timedelta(days=nights), rooms, adults or rooms
        )
        return booking_hold(
            rate_plan_id=kwargs.pop("rate_plan_id", rate_plan.pk),
            stay=stay,
            guest=kwargs.pop("guest", GUEST),
            source="site",
            **kwargs,
        )

    return make
