"""Hotels for the search and hotel-page tests, and a staffed hotel for the admin's."""

from datetime import time, timedelta

import pytest

from booking.tests.conftest import (  # noqa: F401
    hold,
    hotel_today,
    policy,
    rate_plan,
    room_type,
    today,
)
from hotels.models import Amenity
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomFactory,
    RoomTypeFactory,
)
from hotels.tests.world import staff
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory


@pytest.fixture
def make_hotel():
    """Create an active hotel with one room type, a plan and 90 nights of inventory."""

    def make(*, rooms=5, price=10_000, refundable=False, days=90, **hotel_fields):
        hotel = HotelFactory(**hotel_fields)
        kind = RoomTypeFactory(hotel=hotel, room_count=rooms, base_price=price)
        start = hotel_today(hotel)
        inventory_open(room_type=kind, start=start, end=start + timedelta(days=days))
        terms = CancellationPolicyFactory(hotel=hotel) if refundable else None
        RatePlanFactory(room_type=kind, cancellation_policy=terms)
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


@pytest.fixture
def hotel():
    """A Seoul hotel selling today's arrivals until midnight: front-desk tests book
    for today at any hour."""
    return HotelFactory(
        time_zone="Asia/Seoul", currency="KRW", same_day_cutoff=time(23, 59, 59, 999999)
    )


@pytest.fixture
def owner(hotel):
    return staff("owner", hotel, role="owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def rooms(room_type):  # noqa: F811
    """The room type's three physical rooms: 101 quiet, 102 sea view, 103 plain."""
    return [
        RoomFactory(room_type=room_type, number="101", features="quiet"),
        RoomFactory(room_type=room_type, number="102", features="sea view"),
        RoomFactory(room_type=room_type, number="103"),
    ]
