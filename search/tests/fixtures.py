"""Hotels to search: one room type, a plan and 90 nights each (a pytest plugin)."""

import importlib
from datetime import timedelta

import pytest

from hotels.models import Amenity
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomTypeFactory,
    hotel_today,
)
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


@pytest.fixture
def demo_places():
    """The demo cities' places and aliases, as migration search.0002 seeds them.

    A transactional test flushes the tables, migration data included, so tests that
    need the aliases seed them again (idempotent).
    """
    from django.apps import apps

    from search.models import Place

    seeding = importlib.import_module("search.migrations.0002_demo_city_aliases")
    seeding.seed(apps, None)
    return Place.objects.all()
