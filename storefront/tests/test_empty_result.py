"""A search that finds nothing says which filter to drop, with counts and links."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs

import pytest

from hotels.models import Amenity
from hotels.tests.factories import hotel_today
from inventory.models import Inventory
from search.tests.factories import search_params

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


@pytest.fixture
def porto(make_hotel):
    pool = Amenity.objects.create(code="pool", name="Swimming pool")
    wifi = Amenity.objects.create(code="wifi", name="Free Wi-Fi")
    cheap = make_hotel(name="Cheap Three", city="Porto", star_rating=3, price=10_000)
    mid = make_hotel(name="Pool Four", city="Porto", star_rating=4, price=25_000)
    top = make_hotel(name="Grand Five", city="Porto", star_rating=5, price=30_000)
    cheap.amenities.add(wifi)
    mid.amenities.add(pool, wifi)
    top.amenities.add(pool)
    return {"cheap": cheap, "mid": mid, "top": top}


def suggestions(html: str) -> dict[str, str]:
    """Return each suggestion's text mapped to the query string it links to."""
    block = html.split('class="empty__suggestions"')[1].split("</ul>")[0]
    return {
        re.sub(r"<[^>]+>", "", text).strip(): unescape(href)
        for href, text in re.findall(r'<a href="\?([^"]*)">(.*?)</a>', block, re.S)
    }


def names(html: str) -> list[str]:
    return re.findall(r'class="result__name"[^>]*>\s*<a[^>]*>([^<]+)</a>', html)


def test_each_filter_that_alone_holds_results_back_is_named_with_its_count(
    client, porto, django_assert_max_num_queries
):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=10)
    params = search_params(check_in, place="Porto", stars=[4, 5], max_price="120")

    with django_assert_max_num_queries(7):  # the search page's 6, plus one count
        response = client.get("/search/", params)

    html = response.content.decode()
    assert response.status_code == 200
    assert "No hotel has all these filters." in html
    lines = suggestions(html)
    assert set(lines) == {
        "Without 4, 5 stars there is 1 hotel",
        "Without price up to 120 a night there are 2 hotels",
    }
    without_stars = parse_qs(lines["Without 4, 5 stars there is 1 hotel"])
    assert "stars" not in without_stars and without_stars["max_price"] == ["120"]
    without_price = parse_qs(
        lines["Without price up to 120 a night there are 2 hotels"]
    )
    assert "max_price" not in without_price and without_price["stars"] == ["4", "5"]
    assert without_price["place"] == ["Porto"]


def test_following_a_suggestion_brings_exactly_its_count_of_results(client, porto):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=10)
    params = search_params(
        check_in, place="Porto", stars=[3], amenities=["pool", "wifi"]
    )
    html = client.get("/search/", params).content.decode()
    lines = suggestions(html)

    assert set(lines) == {
        "Without 3 stars there is 1 hotel",  # Pool Four has both amenities
        "Without Swimming pool there is 1 hotel",  # Cheap Three has Wi-Fi
    }
    assert parse_qs(lines["Without Swimming pool there is 1 hotel"])["amenities"] == [
        "wifi"
    ]
    for line, expected in [
        ("Without 3 stars there is 1 hotel", ["Pool Four"]),
        ("Without Swimming pool there is 1 hotel", ["Cheap Three"]),
    ]:
        followed = client.get("/search/?" + lines[line]).content.decode()
        assert names(followed) == expected


def test_a_filter_that_would_not_help_alone_is_not_offered(client, porto):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=10)
    params = search_params(
        check_in, place="Porto", stars=[5], max_price="120", amenities=["wifi"]
    )

    lines = suggestions(client.get("/search/", params).content.decode())

    # Only Cheap Three is under 120 with Wi-Fi, and it has 3 stars; dropping the
    # price leaves 5 stars without Wi-Fi, dropping Wi-Fi leaves 5 stars over 120.
    assert set(lines) == {"Without 5 stars there is 1 hotel"}


def test_when_no_single_filter_is_enough_the_page_says_so(client, porto):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=10)
    # Every hotel fails two of these: no rating yet, and stars or price.
    params = search_params(
        check_in, place="Porto", stars=[5], max_price="120", min_rating="9"
    )

    html = client.get("/search/", params).content.decode()

    assert "No hotel has all these filters." in html
    assert "Dropping one filter is not enough" in html
    assert suggestions(html) == {}


def test_an_unknown_place_says_so_and_offers_the_destinations(client, porto):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=10)

    html = client.get(
        "/search/", search_params(check_in, place="Atlantis")
    ).content.decode()

    assert "No hotel matches “Atlantis”." in html
    assert names(html) == []
    assert parse_qs(suggestions(html)["Porto"])["place"] == ["Porto"]


def test_full_dates_without_filters_suggest_a_week_later(client, porto):
    check_in = hotel_today(porto["cheap"]) + timedelta(days=3)
    Inventory.objects.filter(room_type__hotel__city="Porto", date=check_in).update(
        booked=5
    )

    html = client.get(
        "/search/", search_params(check_in, place="Porto")
    ).content.decode()

    assert "No hotel here can take your whole stay on these dates." in html
    [(label, query)] = suggestions(html).items()
    assert label.endswith(": 3 hotels")
    later = check_in + timedelta(days=7)
    assert parse_qs(query)["check_in"] == [later.isoformat()]
    assert parse_qs(query)["check_out"] == [(later + timedelta(days=2)).isoformat()]
