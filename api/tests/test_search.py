"""Hotel search and stay availability, checked against the booking engine's own quote."""

from datetime import timedelta
from decimal import Decimal

import pytest

from booking.services import booking_quote
from hotels.models import Amenity
from hotels.tests.factories import HotelFactory, RoomTypeFactory, hotel_today
from inventory.models import Inventory, RatePlan
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db

HOTELS = "/api/v1/hotels/"


def make_hotel(
    today, *, city="Lisbon", price=10_000, stars=3, lat=38.72, lng=-9.14, **kw
):
    hotel = HotelFactory(
        city=city, star_rating=stars, latitude=lat, longitude=lng, **kw
    )
    room_type = RoomTypeFactory(
        hotel=hotel, room_count=2, base_price=price, max_occupancy=2
    )
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=60))
    RatePlanFactory(room_type=room_type, price_adjustment_bp=0)
    RatePlanFactory(room_type=room_type, price_adjustment_bp=-1_333)  # rounds per night
    return hotel


@pytest.fixture
def today():
    return hotel_today(HotelFactory.build(time_zone="Europe/Lisbon"))


@pytest.fixture
def hotels(today):
    cheap = make_hotel(today, price=8_000, stars=2, lat=38.71, lng=-9.13)
    dear = make_hotel(
        today,
        price=30_000,
        stars=5,
        lat=38.75,
        lng=-9.20,
        rating_average=Decimal("9.1"),
    )
    mid = make_hotel(
        today,
        price=15_000,
        stars=4,
        lat=38.90,
        lng=-9.40,
        rating_average=Decimal("8.0"),
    )
    porto = make_hotel(today, city="Porto", price=5_000, lat=41.15, lng=-8.61)
    return {"cheap": cheap, "dear": dear, "mid": mid, "porto": porto}


def expected_lowest(hotel, stay) -> int | None:
    """The cheapest total a hold would charge now, from booking_quote (the engine)."""
    totals = []
    for plan in RatePlan.objects.filter(room_type__hotel=hotel, is_active=True):
        quote = booking_quote(rate_plan_id=plan.pk, stay=stay)
        if quote.available:
            totals.append(quote.total)
    return min(totals, default=None)


def stay_params(today, offset=5, nights=3, **extra):
    check_in = today + timedelta(days=offset)
    return {
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=nights)),
        **extra,
    }


def search(client, **params):
    response = client.get(HOTELS, params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_search_by_place_and_dates_lists_the_cheapest_offer_cheapest_first(
    api, hotels, today
):
    body = search(api, **stay_params(today, adults=2, rooms=1), place="lisbon")

    stay = StayRequest(today + timedelta(days=5), today + timedelta(days=8), 1, 2)
    assert [r["id"] for r in body["results"]] == [
        hotels[k].pk for k in ("cheap", "mid", "dear")
    ]
    assert body["count"] == 3 and body["pages"] == 1
    for result in body["results"]:
        hotel = next(h for h in hotels.values() if h.pk == result["id"])
        assert result["total"] == expected_lowest(hotel, stay)
        assert result["rooms_left"] == 2


def test_a_hotel_without_a_room_for_every_night_is_left_out(api, hotels, today):
    night = today + timedelta(days=6)
    Inventory.objects.filter(room_type__hotel=hotels["cheap"], date=night).update(
        booked=2
    )
    Inventory.objects.filter(room_type__hotel=hotels["mid"], date=night).update(
        stop_sell=True
    )

    body = search(api, **stay_params(today, adults=1, rooms=1), place="Lisbon")

    assert [r["id"] for r in body["results"]] == [hotels["dear"].pk]


def test_filters_by_stars_amenities_rating_and_price_per_night(api, hotels, today):
    spa = Amenity.objects.create(code="spa", name="Spa")
    wifi = Amenity.objects.create(code="wifi", name="Wi-Fi")
    hotels["dear"].amenities.add(spa, wifi)
    hotels["mid"].amenities.add(wifi)
    stay = stay_params(today, adults=1, rooms=1)

    def ids(**params):
        return [r["id"] for r in search(api, **stay, **params)["results"]]

    assert ids(stars=[4, 5]) == [hotels["mid"].pk, hotels["dear"].pk]
    assert ids(amenities=["spa", "wifi"]) == [hotels["dear"].pk]
    assert ids(min_rating="9") == [hotels["dear"].pk]
    # Per room and night in major units: 80.00, 150.00, 300.00 EUR and 50.00 in Porto.
    assert ids(place="Lisbon", max_price="100") == [hotels["cheap"].pk]
    assert ids(place="Lisbon", min_price="200") == [hotels["dear"].pk]


def test_search_by_point_and_radius_sorted_by_distance(api, hotels, today):
    body = search(
        api,
        **stay_params(today, adults=1, rooms=1),
        lat=38.71,
        lng=-9.13,
        radius=10,
        sort="distance",
    )

    results = body["results"]
    assert [r["id"] for r in results] == [hotels["cheap"].pk, hotels["dear"].pk]
    assert results[0]["distance_km"] < 0.01
    assert 5 < results[1]["distance_km"] < 10


def test_sort_by_rating(api, hotels, today):
    body = search(api, **stay_params(today, adults=1, rooms=1), sort="rating")

    assert [r["id"] for r in body["results"]][:2] == [
        hotels["dear"].pk,
        hotels["mid"].pk,
    ]


def test_pages_of_a_chosen_size(api, hotels, today):
    stay = stay_params(today, adults=1, rooms=1)

    first = search(api, **stay, page_size=2)
    second = search(api, **stay, page_size=2, page=2)

    assert first["count"] == 4 and first["pages"] == 2
    assert len(first["results"]) == 2 and len(second["results"]) == 2
    assert not {r["id"] for r in first["results"]} & {
        r["id"] for r in second["results"]
    }


def test_bad_search_parameters_are_a_400_listing_each(api, today):
    response = api.get(
        HOTELS,
        {
            "check_in": str(today + timedelta(days=5)),
            "check_out": str(today + timedelta(days=1)),
            "adults": 1,
            "rooms": 1,
            "lat": 38.7,
        },
    )

    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"check_out", "lng"}


def test_a_channel_manager_searches_only_its_hotels(
    channel_api, hotel, rate_plan, hotels, today
):
    body = search(channel_api, **stay_params(today, adults=1, rooms=1))

    assert [r["id"] for r in body["results"]] == [hotel.pk]


def availability(client, hotel, params):
    return client.get(f"/api/v1/hotels/{hotel.pk}/availability/", params)


def test_availability_agrees_with_the_quote_of_every_plan(api, hotels, today):
    hotel = hotels["mid"]
    Inventory.objects.filter(
        room_type__hotel=hotel, date=today + timedelta(days=6)
    ).update(price=17_777)

    body = availability(api, hotel, stay_params(today, adults=2)).json()

    stay = StayRequest(today + timedelta(days=5), today + timedelta(days=8), 1, 2)
    (entry,) = body["room_types"]
    assert entry["available"] and entry["reason"] is None and entry["free"] == 2
    for rate in entry["rates"]:
        quote = booking_quote(rate_plan_id=rate["rate_plan"], stay=stay)
        assert rate["total"] == quote.total
    assert body["currency"] == hotel.currency
    assert "nights" not in entry  # the summary stays small


def test_availability_says_why_a_stay_cannot_be_had(api, hotels, today):
    hotel = hotels["cheap"]
    Inventory.objects.filter(
        room_type__hotel=hotel, date=today + timedelta(days=6)
    ).update(booked=2)

    sold_out = availability(api, hotel, stay_params(today)).json()["room_types"][0]
    crowded = availability(api, hotels["dear"], stay_params(today, adults=5)).json()

    assert (sold_out["available"], sold_out["reason"], sold_out["free"]) == (
        False,
        "sold_out",
        0,
    )
    assert crowded["room_types"][0]["reason"] == "too_many_guests"


def test_availability_per_night_detail_on_request(api, hotels, today):
    body = availability(
        api,
        hotels["mid"],
        {**stay_params(today, nights=2), "nights": "true"},
    ).json()

    entry = body["room_types"][0]
    assert [n["date"] for n in entry["nights"]] == [
        str(today + timedelta(days=5)),
        str(today + timedelta(days=6)),
    ]
    assert all(len(rate["nightly"]) == 2 for rate in entry["rates"])


def test_availability_is_cached_for_seconds_but_a_booking_rechecks(
    api, post, hotels, today, django_assert_max_num_queries
):
    hotel = hotels["cheap"]
    params = stay_params(today)
    first = availability(api, hotel, params).json()
    Inventory.objects.filter(room_type__hotel=hotel).update(booked=2)  # sold out now

    with django_assert_max_num_queries(
        1
    ):  # the key lookup; the summary comes from Redis
        cached = availability(api, hotel, params).json()
    plan = cached["room_types"][0]["rates"][0]["rate_plan"]
    booking = post(
        api,
        "/api/v1/bookings/",
        {
            "rate_plan": plan,
            **params,
            "adults": 1,
            "guest": {"name": "Ada", "email": "ada@example.com"},
        },
    )

    assert cached == first and cached["room_types"][0]["available"]
    assert booking.status_code == 409 and booking.json()["code"] == "sold_out"


def test_availability_of_past_dates_says_so(api, hotels, today):
    response = availability(api, hotels["mid"], stay_params(today, offset=-3))

    assert response.status_code == 200
    assert [e["reason"] for e in response.json()["room_types"]] == ["past_date"]


def test_a_channel_manager_cannot_read_availability_of_other_hotels(
    channel_api, hotels, today
):
    assert (
        availability(channel_api, hotels["mid"], stay_params(today)).status_code == 404
    )


def test_search_accepts_a_place_in_native_script_or_by_another_name(
    api, today, demo_places
):
    taipei = make_hotel(
        today, city="Taipei", country="TW", time_zone="Asia/Taipei", currency="TWD"
    )
    seoul = make_hotel(
        today, city="Seoul", country="KR", time_zone="Asia/Seoul", currency="KRW"
    )

    def found(place):
        stay = stay_params(today, offset=10, adults=2, rooms=1)
        body = search(api, **stay, place=place)
        return [hotel["id"] for hotel in body["results"]]

    assert found("台北") == found("Taibei") == [taipei.pk]
    assert found("서울") == [seoul.pk]
    assert found("Atlantis") == []
