"""The search and hotel pages: form errors for bad input, prices, bounded queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from booking.models import Booking
from core.money import format_money
from hotels.models import HotelPhoto, RoomType
from hotels.tests.factories import hotel_today
from inventory.models import Inventory
from inventory.tests.factories import RatePlanFactory
from reviews.models import Review
from search.tests.factories import search_params

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


@pytest.fixture
def lisbon(make_hotel):
    return make_hotel(name="Casa Azul", city="Lisbon", price=12_000, refundable=True)


def field_error(html: str, field: str) -> str:
    """Return the error text tied to `field` with aria-describedby, or ''."""
    marker = f'id="id_{field}_error">'
    if marker not in html:
        return ""
    assert f'aria-describedby="id_{field}_error"' in html or (
        f"id_{field}_error" in html.split(f'id="id_{field}"')[1].split(">")[0]
    ), "the error is not tied to its input"
    return html.split(marker)[1].split("</p>")[0]


def test_search_lists_hotels_with_the_stay_total(client, lisbon):
    check_in = hotel_today(lisbon) + timedelta(days=10)

    response = client.get("/search/", search_params(check_in, nights=3, place="lisbon"))

    html = response.content.decode()
    assert response.status_code == 200
    assert escape("Casa Azul") in html
    assert format_money(36_000, "EUR") in html
    assert reverse("hotels:detail", args=[lisbon.slug]) + "?check_in=" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"check_in": -3}, "check_in", "Check-in cannot be in the past."),
        ({"nights": -1}, "check_out", "Check-out must be after check-in."),
        ({"nights": 400}, "check_out", "A stay can be at most 30 nights."),
        ({"rooms": 0}, "rooms", "Book between 1 and 9 rooms."),
        ({"rooms": 10}, "rooms", "Book between 1 and 9 rooms."),
        ({"adults": 50}, "adults", "At most 6 guests per room: add a room."),
        ({"adults": 0}, "adults", "Each room needs at least one adult."),
        ({"check_in": 900}, "check_in", "These dates are not on sale yet."),
    ],
)
def test_bad_search_input_shows_a_form_error_next_to_its_field(
    client, lisbon, change, field, message
):
    today = hotel_today(lisbon)
    check_in = today + timedelta(days=change.pop("check_in", 10))
    nights = change.pop("nights", 2)
    params = search_params(check_in, nights=1, **change)
    params["check_out"] = (check_in + timedelta(days=nights)).isoformat()

    response = client.get("/search/", params)

    assert response.status_code == 400
    assert field_error(response.content.decode(), field) == message


@pytest.mark.parametrize(
    "params",
    [
        {"check_in": "yesterday", "check_out": "2020-13-45"},
        {"adults": "many", "rooms": "-"},
        {"lat": "91", "lng": "x", "radius": "100000"},
        {"min_price": "50", "max_price": "10"},
        {"page": "0", "sort": "random", "stars": "9", "amenities": "nope"},
        {},
    ],
)
def test_garbage_in_the_query_string_never_errors_500(client, lisbon, params):
    response = client.get("/search/", params)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_every_search_input_has_a_label(client, lisbon):
    check_in = hotel_today(lisbon) + timedelta(days=10)
    html = client.get("/search/", search_params(check_in)).content.decode()

    ids = re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    hidden = set(re.findall(r'<input[^>]*type="hidden"[^>]*id="([^"]+)"', html))
    assert ids and set(ids) - hidden <= labelled


def test_search_page_runs_a_bounded_number_of_queries(
    client, make_hotel, django_assert_max_num_queries
):
    for index in range(12):
        make_hotel(name=f"Hotel {index}", city="Porto")
    check_in = hotel_today(make_hotel(city="Porto")) + timedelta(days=10)

    with django_assert_max_num_queries(6):
        response = client.get("/search/", search_params(check_in, place="Porto"))

    assert response.status_code == 200


def test_suggestions_return_cities_and_hotels_as_json(client, make_hotel):
    make_hotel(name="Seoul Forest Stay", city="Seoul", country="KR")
    make_hotel(name="Mapo Inn", city="Seoul", country="KR")

    data = client.get("/search/suggest/", {"q": "seo"}).json()["results"]

    assert data[0] == {
        "kind": "city",
        "value": "Seoul",
        "label": "Seoul, KR",
        "hotels": 2,
    }
    assert {"kind": "hotel", "value": "Seoul Forest Stay"}.items() <= data[1].items()
    assert client.get("/search/suggest/", {"q": "%"}).json() == {"results": []}


def test_search_is_rate_limited_with_a_friendly_429(client, lisbon, settings):
    settings.RATELIMIT_SEARCH = "3/m"
    check_in = hotel_today(lisbon) + timedelta(days=10)
    statuses = [
        client.get("/search/", search_params(check_in)).status_code for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/search/", search_params(check_in))
    assert "Too many tries in a short time" in response.content.decode()


# The hotel page --------------------------------------------------------------------------


def test_hotel_page_prices_every_room_type_and_plan_with_a_nightly_breakdown(
    client, lisbon
):
    room_type = RoomType.objects.get(hotel=lisbon)
    RatePlanFactory(
        room_type=room_type, name="Non-refundable", price_adjustment_bp=-1_000
    )
    check_in = hotel_today(lisbon) + timedelta(days=20)
    Inventory.objects.filter(
        room_type=room_type, date=check_in + timedelta(days=1)
    ).update(price=15_000)

    response = client.get(
        reverse("hotels:detail", args=[lisbon.slug]), search_params(check_in, nights=2)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert format_money(27_000, "EUR") in html  # 120 + 150
    assert format_money(24_300, "EUR") in html  # 108 + 135, 10% off
    assert format_money(15_000, "EUR") in html and format_money(13_500, "EUR") in html
    deadline = check_in - timedelta(days=7)
    assert (
        f"Free cancellation until {deadline:%b} {deadline.day}, {deadline.year} 11:59"
        in html
    )
    assert "Non-refundable: no refund if you cancel" in html


def test_hotel_page_says_why_a_room_type_cannot_be_had(client, lisbon):
    room_type = RoomType.objects.get(hotel=lisbon)
    check_in = hotel_today(lisbon) + timedelta(days=20)
    Inventory.objects.filter(room_type=room_type, date=check_in).update(booked=3)

    html = client.get(
        reverse("hotels:detail", args=[lisbon.slug]), search_params(check_in)
    ).content.decode()
    assert "Only 2 rooms left for these dates" in html

    Inventory.objects.filter(room_type=room_type, date=check_in).update(booked=5)
    html = client.get(
        reverse("hotels:detail", args=[lisbon.slug]), search_params(check_in)
    ).content.decode()
    assert "Sold out for these dates." in html


def test_hotel_page_with_bad_dates_shows_form_errors_and_no_prices(client, lisbon):
    check_in = hotel_today(lisbon) - timedelta(days=2)

    response = client.get(
        reverse("hotels:detail", args=[lisbon.slug]), search_params(check_in)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "check_in") == "Check-in cannot be in the past."
    assert "total for" not in html


def test_unknown_or_inactive_hotel_is_a_404(client, make_hotel):
    hidden = make_hotel(name="Hidden", status="inactive")

    assert client.get("/hotels/no-such-hotel/").status_code == 404
    assert client.get(reverse("hotels:detail", args=[hidden.slug])).status_code == 404


def test_hotel_page_shows_published_reviews_with_category_averages(client, lisbon):
    room_type = RoomType.objects.get(hotel=lisbon)
    plan = room_type.rate_plans.first()
    for overall, cleanliness, status in [
        (9, 10, "published"),
        (7, 8, "published"),
        (1, 1, "hidden"),
    ]:
        booking = Booking.objects.create(
            hotel=lisbon, room_type=room_type, rate_plan=plan,
            check_in=hotel_today(lisbon) - timedelta(days=5),
            check_out=hotel_today(lisbon) - timedelta(days=3),
            guest_name="Ana Silva", guest_email="ana@example.com", status="checked_out",
            total=1, currency="EUR", payment_mode="pay_now", source="site",
        )  # fmt: skip
        Review.objects.create(
            booking=booking, hotel=lisbon, overall=overall, cleanliness=cleanliness,
            text=f"Stay rated {overall}", status=status,
            reply="Thank you!" if overall == 9 else "",
        )  # fmt: skip

    html = client.get(reverse("hotels:detail", args=[lisbon.slug])).content.decode()

    assert "Stay rated 9" in html and "Stay rated 7" in html
    assert "Stay rated 1" not in html
    assert '<span class="score score--large">8.0</span>' in html
    assert "Cleanliness" in html and ">9.0</meter>" in html
    assert "Thank you!" in html
    assert "Ana Silva" not in html and "Ana" in html


def test_hotel_page_runs_the_same_queries_for_many_room_types_and_plans(
    client, lisbon, django_assert_max_num_queries
):
    check_in = hotel_today(lisbon) + timedelta(days=20)
    url = reverse("hotels:detail", args=[lisbon.slug])
    for index in range(6):
        room_type = RoomType.objects.create(
            hotel=lisbon, name=f"Type {index}", code=f"type-{index}", room_count=3,
            base_price=9_000 + index,
        )  # fmt: skip
        for plan in range(3):
            RatePlanFactory(room_type=room_type, price_adjustment_bp=plan * 100)
        HotelPhoto.objects.create(
            hotel=lisbon, room_type=room_type, image=f"r{index}.jpg"
        )
        Inventory.objects.bulk_create(
            Inventory(room_type=room_type, date=check_in + timedelta(days=n), rooms=3, price=9_000)
            for n in range(3)
        )  # fmt: skip

    with django_assert_max_num_queries(14):
        response = client.get(url, search_params(check_in, nights=2))

    assert response.content.decode().count('class="rate"') == 6 * 3 + 1


def test_money_and_dates_follow_the_language(client, lisbon):
    check_in = hotel_today(lisbon) + timedelta(days=20)
    url = reverse("hotels:detail", args=[lisbon.slug])

    english = client.get(url, search_params(check_in), HTTP_ACCEPT_LANGUAGE="en")
    korean = client.get(url, search_params(check_in), HTTP_ACCEPT_LANGUAGE="ko")
    chinese = client.get(url, search_params(check_in), HTTP_ACCEPT_LANGUAGE="zh-hant")

    assert "Rooms and prices" in english.content.decode()
    assert "객실 및 요금" in korean.content.decode()
    assert "客房與價格" in chinese.content.decode()
    assert (
        f"{check_in.year}년 {check_in.month}월 {check_in.day}일"
        in korean.content.decode()
        or (
            f"{check_in.year}. {check_in.month}. {check_in.day}."
            in korean.content.decode()
        )
    )
    assert (
        f"{check_in.year}年{check_in.month}月{check_in.day}日"
        in chinese.content.decode()
    )
    assert format_money(24_000, "EUR", "ko") in korean.content.decode()


def test_the_results_page_finds_a_city_by_its_native_name(
    client, make_hotel, demo_places
):
    hotel = make_hotel(name="Daan Garden Hotel", city="Taipei", country="TW",
                       time_zone="Asia/Taipei", currency="TWD")  # fmt: skip
    check_in = hotel_today(hotel) + timedelta(days=10)

    found = client.get("/search/", search_params(check_in, place="台北"))
    unknown = client.get("/search/", search_params(check_in, place="Atlantis"))

    assert "Daan Garden Hotel" in found.content.decode()
    assert "1 hotel can take your whole stay" in found.content.decode()
    assert "Daan Garden Hotel" not in unknown.content.decode()
    assert "No hotel matches “Atlantis”." in unknown.content.decode()


def test_suggestions_offer_a_citys_other_names(client, make_hotel, demo_places):
    make_hotel(name="Daan Garden Hotel", city="Taipei", country="TW")

    data = client.get("/search/suggest/", {"q": "台北"}).json()["results"]

    assert {"kind": "city", "value": "台北", "label": "台北, Taipei, TW"}.items() <= (
        data[0].items()
    )
