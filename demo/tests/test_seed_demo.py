"""`manage.py seed_demo`: what it creates, and that running it again changes nothing."""

import statistics
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image

from core.clock import db_now
from core.money import minor_exponent
from hotels.models import (
    Amenity,
    CancellationPolicy,
    CancellationRule,
    Hotel,
    HotelMembership,
    HotelPhoto,
    Room,
    RoomType,
)
from inventory.models import Inventory, RatePlan

# Nightly prices a demo hotel may charge, in major units, and the unit they are rounded to.
SENSIBLE = {
    "EUR": (40, 1_500, 1),
    "KRW": (50_000, 2_000_000, 1_000),
    "USD": (50, 2_000, 1),
    "JPY": (5_000, 300_000, 100),
}
MODELS = [
    Amenity, Hotel, HotelMembership, HotelPhoto, CancellationPolicy, CancellationRule,
    RoomType, Room, RatePlan, Inventory,
]  # fmt: skip


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"hotels": 4, "days": 30, **options})
    return out.getvalue()


def snapshot(media: Path) -> dict:
    """Everything a re-run must leave alone: counts, row timestamps, prices, files."""
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "hotels": sorted(Hotel.objects.values_list("pk", "updated_at")),
        "room_types": sorted(
            RoomType.objects.values_list("pk", "room_count", "base_price")
        ),
        "nights": sorted(
            Inventory.objects.values_list("room_type", "date", "price", "updated_at")
        ),
        "photos": sorted(HotelPhoto.objects.values_list("pk", "image")),
        "files": sorted(
            (str(path.relative_to(media)), path.stat().st_mtime_ns)
            for path in media.rglob("*")
            if path.is_file()
        ),
    }


@pytest.mark.django_db
def test_seed_demo_creates_hotels_in_several_time_zones_and_currencies(media_root):
    output = seed()

    hotels = list(Hotel.objects.all())
    assert len(hotels) == 4
    assert len({hotel.time_zone for hotel in hotels}) >= 2
    assert len({hotel.currency for hotel in hotels}) >= 2
    assert all(hotel.status == Hotel.Status.ACTIVE for hotel in hotels)
    assert all(
        hotel.latitude is not None and hotel.amenities.exists() for hotel in hotels
    )
    assert "[4/4]" in output


@pytest.mark.django_db
def test_every_room_type_has_its_rooms_and_a_night_of_inventory_for_each_day(
    media_root,
):
    seed()

    now = db_now()
    room_types = list(RoomType.objects.select_related("hotel"))
    assert room_types
    for room_type in room_types:
        today = now.astimezone(room_type.hotel.tz).date()
        nights = list(Inventory.objects.filter(room_type=room_type).order_by("date"))
        assert [night.date for night in nights] == [
            today + timedelta(days=n) for n in range(30)
        ]
        assert {night.rooms for night in nights} == {room_type.room_count}
        assert {night.overbooking for night in nights} == {
            room_type.overbooking_units(room_type.room_count)
        }
        assert {night.booked for night in nights} == {0}
        assert 5 <= room_type.room_count <= 40
        assert room_type.rooms.count() == room_type.room_count
    hotels = Hotel.objects.all()
    assert all(2 <= hotel.room_types.count() <= 4 for hotel in hotels)


@pytest.mark.django_db
def test_prices_are_sensible_minor_units_and_weekends_cost_more(media_root):
    seed()

    for room_type in RoomType.objects.select_related("hotel"):
        currency = room_type.hotel.currency
        low, high, step = SENSIBLE[currency]
        unit = 10 ** minor_exponent(currency)
        prices = dict(
            Inventory.objects.filter(room_type=room_type).values_list("date", "price")
        )
        for price in [room_type.base_price, *prices.values()]:
            assert low * unit <= price <= high * unit, (room_type, price)
            assert price % (step * unit) == 0, (room_type, price)
        weekend = [
            price for night, price in prices.items() if night.weekday() in (4, 5)
        ]
        weekdays = [
            price for night, price in prices.items() if night.weekday() not in (4, 5)
        ]
        assert statistics.median(weekend) > statistics.median(weekdays), room_type


@pytest.mark.django_db
def test_each_room_type_sells_a_flexible_and_a_non_refundable_rate(media_root):
    seed()

    for room_type in RoomType.objects.all():
        plans = {
            plan.code: plan for plan in RatePlan.objects.filter(room_type=room_type)
        }
        non_refundable = plans["non-refundable"]
        assert non_refundable.cancellation_policy is None
        assert not non_refundable.is_refundable
        assert non_refundable.price_adjustment_bp == -1500
        flexible = plans["flexible"]
        assert flexible.cancellation_policy.hotel_id == room_type.hotel_id
        assert flexible.cancellation_policy.snapshot()["rules"] == [
            {"days_before": 2, "refund_percent": 100},
            {"days_before": 1, "refund_percent": 50},
        ]
    # Some hotels take the flexible rate at the hotel (card guarantee), others up front.
    flexible_modes = set(
        RatePlan.objects.filter(code="flexible").values_list("payment_mode", flat=True)
    )
    assert flexible_modes == {
        RatePlan.PaymentMode.PAY_NOW,
        RatePlan.PaymentMode.PAY_AT_HOTEL,
    }


@pytest.mark.django_db
def test_photos_are_png_files_in_media_root(media_root):
    seed()

    for hotel in Hotel.objects.prefetch_related("room_types"):
        hotel_photos = hotel.photos.filter(room_type__isnull=True)
        assert hotel_photos.count() == 3
        for room_type in hotel.room_types.all():
            assert room_type.photos.count() == 1
    for photo in HotelPhoto.objects.all():
        path = Path(photo.image.path)
        assert path.is_file()
        assert path.is_relative_to(media_root)
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (960, 640)


@pytest.mark.django_db
def test_demo_users_can_log_in_and_the_manager_manages_two_hotels(media_root):
    seed()

    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin")
    guest = users.get(email="guest@example.com")
    assert guest.check_password("guest") and not guest.is_staff
    manager = users.get(username="manager")
    assert manager.check_password("manager") and not manager.is_superuser
    memberships = HotelMembership.objects.filter(user=manager)
    assert memberships.count() == 2
    assert {m.role for m in memberships} == {HotelMembership.Role.MANAGER}


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_nothing(media_root):
    seed()
    first = snapshot(media_root)

    output = seed()

    assert snapshot(media_root) == first
    assert "(0 new nights, 0 new photos)" in output


@pytest.mark.django_db
def test_a_rerun_restores_missing_nights_and_photos_exactly_as_before(media_root):
    seed()
    room_type = RoomType.objects.order_by("pk").first()
    removed = list(
        Inventory.objects.filter(room_type=room_type)
        .order_by("date")
        .values_list("date", "price")
    )[10:15]
    Inventory.objects.filter(
        room_type=room_type, date__in=[d for d, _ in removed]
    ).delete()
    files_before = sorted(p.name for p in media_root.rglob("*.png"))
    photo = HotelPhoto.objects.order_by("pk").first()
    Path(photo.image.path).unlink()

    seed()

    assert (
        list(
            Inventory.objects.filter(
                room_type=room_type, date__in=[d for d, _ in removed]
            )
            .order_by("date")
            .values_list("date", "price")
        )
        == removed
    )
    photo.refresh_from_db()
    assert Path(photo.image.path).is_file()
    assert sorted(p.name for p in media_root.rglob("*.png")) == files_before


@pytest.mark.django_db
def test_more_days_extend_inventory_without_repricing_existing_nights(media_root):
    seed(hotels=2, days=10)
    before = dict(
        ((rt, night), price)
        for rt, night, price in Inventory.objects.values_list(
            "room_type", "date", "price"
        )
    )

    seed(hotels=2, days=20)

    after = {
        (rt, night): price
        for rt, night, price in Inventory.objects.values_list(
            "room_type", "date", "price"
        )
    }
    assert len(after) == 2 * len(before)
    assert {key: after[key] for key in before} == before
    for room_type in RoomType.objects.all():
        assert Inventory.objects.filter(room_type=room_type).count() == 20


@pytest.mark.django_db
def test_a_smaller_run_creates_the_same_hotels_as_the_full_catalogue(media_root):
    seed(hotels=2, days=5)
    first_two = snapshot(media_root)

    seed(hotels=4, days=5)

    assert Hotel.objects.count() == 4
    assert set(first_two["room_types"]) <= set(
        RoomType.objects.values_list("pk", "room_count", "base_price")
    )
    assert set(first_two["nights"]) <= set(
        Inventory.objects.values_list("room_type", "date", "price", "updated_at")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("option", [{"hotels": 0}, {"days": 0}])
def test_seed_demo_refuses_empty_runs(media_root, option):
    with pytest.raises(CommandError):
        seed(**option)
    assert not Hotel.objects.exists()
