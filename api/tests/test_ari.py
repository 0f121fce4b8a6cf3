"""Channel managers push availability, rates and restrictions for their hotels only."""

from datetime import timedelta

import pytest

from hotels.tests.factories import HotelFactory, RoomTypeFactory
from inventory.models import Inventory

pytestmark = pytest.mark.django_db


def ari_url(hotel) -> str:
    return f"/api/v1/hotels/{hotel.pk}/ari/"


def test_a_year_across_several_room_types_in_one_call(
    channel_api, post, hotel, room_type, today
):
    suite = RoomTypeFactory(hotel=hotel, room_count=2, base_price=300_000)
    family = RoomTypeFactory(hotel=hotel, room_count=4, base_price=200_000)
    start, end = today, today + timedelta(days=365)
    changes = [
        {
            "room_type": rt.pk,
            "start": str(start),
            "end": str(end),
            "rooms": 6,
            "price": p,
        }
        for rt, p in ((room_type, 90_000), (suite, 250_000), (family, 150_000))
    ] + [
        {
            "room_type": suite.pk,
            "start": str(start),
            "end": str(end),
            "weekdays": [5, 6],
            "price": 280_000,
            "min_stay": 2,
        },
        {
            "room_type": family.pk,
            "start": str(start + timedelta(days=30)),
            "end": str(start + timedelta(days=40)),
            "stop_sell": True,
            "closed_to_arrival": True,
            "max_stay": 7,
        },
    ]

    response = post(channel_api, ari_url(hotel), {"changes": changes})

    assert response.status_code == 200, response.json()
    rows = Inventory.objects.filter(room_type__hotel=hotel, date__lt=end)
    assert rows.filter(date__gte=start).count() == 3 * 365
    assert not rows.exclude(rooms=6).exists()
    assert set(rows.filter(room_type=room_type).values_list("price", flat=True)) == {
        90_000
    }
    for row in rows.filter(room_type=suite):
        weekend = row.date.isoweekday() in (5, 6)
        assert row.price == (280_000 if weekend else 250_000)
        assert row.min_stay == (2 if weekend else 1)
    stopped = rows.filter(room_type=family, stop_sell=True)
    assert stopped.count() == 10
    assert all(r.closed_to_arrival and r.max_stay == 7 for r in stopped)
    expected_weekend = sum(
        1 for d in range(365) if (start + timedelta(days=d)).isoweekday() in (5, 6)
    )
    assert response.json()["nights_written"] == 3 * 365 + expected_weekend + 10


def test_a_range_below_booked_is_refused_and_nothing_changes(
    channel_api, post, hotel, room_type, hold, today
):
    hold(offset=20, nights=2, rooms=2)
    before = list(Inventory.objects.order_by("pk").values())
    changes = [
        {
            "room_type": room_type.pk,
            "start": str(today),
            "end": str(today + timedelta(days=60)),
            "price": 1,
        },
        {
            "room_type": room_type.pk,
            "start": str(today),
            "end": str(today + timedelta(days=60)),
            "rooms": 1,
        },
    ]

    response = post(channel_api, ari_url(hotel), {"changes": changes})

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "below_booked"
    assert {n["date"] for n in problem["nights"]} == {
        str(today + timedelta(days=20)),
        str(today + timedelta(days=21)),
    }
    assert list(Inventory.objects.order_by("pk").values()) == before


def test_a_channel_manager_cannot_push_for_a_hotel_it_is_not_connected_to(
    channel_api, post, room_type, today
):
    elsewhere = RoomTypeFactory(hotel=HotelFactory(), room_count=3)
    change = {"start": str(today), "end": str(today + timedelta(days=5)), "rooms": 0}

    own_hotel_other_type = post(
        channel_api,
        ari_url(room_type.hotel),
        {"changes": [{**change, "room_type": elsewhere.pk}]},
    )
    other_hotel = post(
        channel_api,
        ari_url(elsewhere.hotel),
        {"changes": [{**change, "room_type": elsewhere.pk}]},
    )

    assert own_hotel_other_type.status_code == 404
    assert other_hotel.status_code == 404
    assert not Inventory.objects.filter(room_type=elsewhere).exists()


def test_a_channel_manager_sees_only_its_hotels(channel_api, hotel, room_type):
    other = HotelFactory()

    assert channel_api.get(f"/api/v1/hotels/{other.pk}/").status_code == 404
    assert channel_api.get(f"/api/v1/hotels/{other.pk}/room-types/").status_code == 404


def test_an_agency_key_cannot_push_ari(api, post, hotel, room_type, today):
    change = {
        "room_type": room_type.pk,
        "start": str(today),
        "end": str(today + timedelta(days=2)),
        "rooms": 0,
    }

    response = post(api, ari_url(hotel), {"changes": [change]})

    assert response.status_code == 403
    assert not Inventory.objects.filter(room_type=room_type, rooms=0).exists()


def test_invalid_changes_are_refused_with_the_reason(
    channel_api, post, hotel, room_type, today
):
    change = {
        "room_type": room_type.pk,
        "start": str(today),
        "end": str(today),
        "rooms": 2,
    }

    response = post(channel_api, ari_url(hotel), {"changes": [change]})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_inventory_change"


def test_a_channel_manager_reads_back_what_it_pushed(
    channel_api, post, hotel, room_type, today
):
    change = {
        "room_type": room_type.pk,
        "start": str(today),
        "end": str(today + timedelta(days=3)),
        "price": 77_000,
    }
    post(channel_api, ari_url(hotel), {"changes": [change]})

    rows = channel_api.get(
        f"/api/v1/hotels/{hotel.pk}/inventory/",
        {"start": str(today), "end": str(today + timedelta(days=4))},
    ).json()

    assert [r["price"] for r in rows] == [77_000, 77_000, 77_000, 100_000]


@pytest.mark.parametrize("days_ago", [1, 2500])  # yesterday (hotel time), and 2020
def test_past_nights_are_refused_and_nothing_changes(
    channel_api, post, hotel, room_type, today, days_ago
):
    before = list(Inventory.objects.order_by("pk").values_list("rooms", "price"))
    change = {
        "room_type": room_type.pk,
        "start": str(today - timedelta(days=days_ago)),
        "end": str(today - timedelta(days=days_ago - 3)),
        "rooms": 1,
        "price": 1,
    }

    response = post(channel_api, ari_url(hotel), {"changes": [change]})

    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "invalid_inventory_change"
    assert response.json()["today"] == str(today)
    assert (
        list(Inventory.objects.order_by("pk").values_list("rooms", "price")) == before
    )


def test_tonight_in_hotel_time_can_still_change(
    channel_api, post, hotel, room_type, today
):
    change = {
        "room_type": room_type.pk,
        "start": str(today),
        "end": str(today + timedelta(days=1)),
        "price": 77_000,
    }

    response = post(channel_api, ari_url(hotel), {"changes": [change]})

    assert response.status_code == 200, response.json()
    assert Inventory.objects.get(room_type=room_type, date=today).price == 77_000
