"""The home page: active demo hotels by city, with a photo and a "from" price."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils.html import escape

from core.clock import db_now
from core.money import format_money
from hotels.models import Hotel, RoomType
from inventory.models import Inventory, RatePlan


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", hotels=4, days=40, stdout=StringIO())
    return list(Hotel.objects.order_by("pk"))


def expected_from_price(hotel: Hotel) -> int | None:
    """The lowest nightly price a guest can pay in the next 30 hotel-local nights, in Python."""
    today = db_now().astimezone(hotel.tz).date()
    prices = []
    for room_type in RoomType.objects.filter(hotel=hotel, is_active=True):
        plans = list(RatePlan.objects.filter(room_type=room_type, is_active=True))
        nights = Inventory.objects.filter(
            room_type=room_type, date__gte=today, date__lt=today + timedelta(days=30)
        )
        for night in nights:
            if night.stop_sell or night.booked >= night.rooms + night.overbooking:
                continue
            prices += [plan.nightly_price(night.price) for plan in plans]
    return min(prices, default=None)


@pytest.mark.django_db
def test_home_lists_every_seeded_hotel_with_its_lowest_price(client, seeded):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    for hotel in seeded:
        assert escape(hotel.name) in html
        price = format_money(expected_from_price(hotel), hotel.currency)
        assert f"from <strong>{price}</strong>" in html, hotel.name
    cities = {hotel.city for hotel in seeded}
    assert html.count('class="city__title"') == len(cities)
    for city in cities:
        assert f">{city}</a>" in html  # the city index links to each city's section


@pytest.mark.django_db
def test_home_shows_zero_decimal_currencies_without_decimals(client, seeded):
    seoul = next(hotel for hotel in seeded if hotel.currency == "KRW")

    html = client.get("/").content.decode()

    price = format_money(expected_from_price(seoul), "KRW")
    assert price.startswith("₩") and "." not in price
    assert f"from <strong>{price}</strong>" in html


@pytest.mark.django_db
def test_home_shows_each_hotel_cover_photo_from_media(client, seeded):
    html = client.get("/").content.decode()

    for hotel in seeded:
        cover = hotel.photos.filter(room_type__isnull=True).order_by("position").first()
        assert f'src="/media/{cover.image.name}"' in html


@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries_whatever_the_hotel_count(
    client, seeded, django_assert_max_num_queries
):
    # Four hotels, each with several room types, rate plans and photos: an N+1 would
    # need at least one query per hotel.
    with django_assert_max_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_from_price_skips_sold_out_stopped_and_far_nights(client, seeded):
    hotel = seeded[0]
    today = db_now().astimezone(hotel.tz).date()
    nights = Inventory.objects.filter(room_type__hotel=hotel)
    room_type = hotel.room_types.order_by("pk").first()
    # Everything is closed except one night at a known price ...
    nights.update(stop_sell=True)
    nights.filter(room_type=room_type, date=today + timedelta(days=3)).update(
        stop_sell=False, price=20_000
    )
    # ... and cheaper nights that must not count: sold out, and beyond 30 days.
    nights.filter(room_type=room_type, date=today + timedelta(days=4)).update(
        stop_sell=False, price=1_000, booked=F("rooms") + F("overbooking")
    )
    nights.filter(room_type=room_type, date=today + timedelta(days=31)).update(
        stop_sell=False, price=1_000
    )

    html = client.get("/").content.decode()

    # The non-refundable plan (-15%) is the cheapest way to buy that night.
    lowest = min(plan.nightly_price(20_000) for plan in room_type.rate_plans.all())
    assert lowest == 17_000
    assert expected_from_price(hotel) == lowest
    assert f"from <strong>{format_money(lowest, hotel.currency)}</strong>" in html


@pytest.mark.django_db
def test_home_hides_inactive_hotels_and_says_when_nothing_is_for_sale(client, seeded):
    closed, full = seeded[0], seeded[1]
    Hotel.objects.filter(pk=closed.pk).update(status=Hotel.Status.INACTIVE)
    Inventory.objects.filter(room_type__hotel=full).update(
        booked=F("rooms") + F("overbooking")
    )

    html = client.get("/").content.decode()

    assert escape(closed.name) not in html
    assert escape(full.name) in html
    assert "No rooms in the next 30 nights" in html
    assert "3 hotels to choose from" in html


@pytest.mark.django_db
def test_home_without_hotels_points_to_the_demo_data(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "manage.py seed_demo" in response.content.decode()


@pytest.mark.django_db
def test_home_names_destinations_in_the_readers_language_and_searches_them(
    client, make_hotel, demo_places
):
    make_hotel(name="Daan Garden Hotel", city="Taipei", country="TW",
               time_zone="Asia/Taipei", currency="TWD")  # fmt: skip

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    korean = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "place=Taipei&amp;" in english
    assert "place=%E5%8F%B0%E5%8C%97&amp;" in chinese  # 台北
    assert ">台北</a>" in chinese
    assert ">타이베이</a>" in korean
    link = re.search(r'href="(/search/\?place=%E5%8F%B0%E5%8C%97[^"]+)"', chinese)
    results = client.get(link.group(1).replace("&amp;", "&"))
    assert results.status_code == 200
    assert "Daan Garden Hotel" in results.content.decode()
