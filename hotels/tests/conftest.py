"""Hotels with a few months of inventory for the search and hotel-page tests."""

from datetime import timedelta

import pytest

from booking.tests.conftest import hotel_today
from hotels.models import Amenity
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomTypeFactory,
)
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory


@pytest.fixture
def make_hotel():
    """Create an active hotel with one room type, a plan and 90 nights of inventory."""

    def make(*, rooms=5, price=10_000, refundable=False, days=90, **hotel_fields):
        hotel = HotelFactory(**hotel_fields)
        room_type = RoomTypeFactory(hotel=hotel, room_count=rooms, base_price=price)
        start = hotel_today(hotel)
        inventory_open(
            room_type=room_type, start=start, end=start + timedelta(days=days)
        )
        policy = CancellationPolicyFactory(hotel=hotel) if refundable else None
        RatePlanFactory(room_type=room_type, cancellation_policy=policy)
        return hotel

    return make


@pytest.fixture
def wifi():
    return Amenity.objects.create(code="wifi", name="Free Wi-Fi")


def search_params(check_in, nights=2, **extra) -> dict:
    params = {
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "adults": 2,
        "children": 0,
        "rooms": 1,
    }
    params.update(extra)
    return params
