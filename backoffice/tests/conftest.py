"""A staffed hotel for the back office's tests, and the scoping tests' two hotels."""

from datetime import time

import pytest

from backoffice.tests.world import build_hotel, build_shared
from hotels.tests.factories import (
    HotelFactory,
    RoomFactory,
    staff,
)


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
def rooms(room_type):
    """The room type's three physical rooms: 101 quiet, 102 sea view, 103 plain."""
    return [
        RoomFactory(room_type=room_type, number="101", features="quiet"),
        RoomFactory(room_type=room_type, number="102", features="sea view"),
        RoomFactory(room_type=room_type, number="103"),
    ]


@pytest.fixture
def world():
    a, b = build_hotel("Alpha"), build_hotel("Bravo")
    build_shared()
    return {"a": a.hotel, "b": b.hotel, "owner_a": staff("owner_a", a.hotel)}
