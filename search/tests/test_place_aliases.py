"""Place search in native scripts and by other names: 台北 = Taipei = Taibei = 臺北."""

from datetime import timedelta

import pytest
from django.db import connection

from hotels.tests.factories import hotel_today
from inventory.rules import StayRequest
from search.hotels import HotelSearch, search_hotels, search_sql
from search.models import Place, PlaceAlias

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


@pytest.fixture
def demo_like(make_hotel, demo_places):
    """Hotels of three demo cities, named as demo/catalogue.yaml names them."""
    return {
        "taipei": make_hotel(
            name="Daan Garden Hotel", city="Taipei", country="TW",
            time_zone="Asia/Taipei", currency="TWD",
        ),
        "seoul": make_hotel(
            name="Bukchon Hanok Stay", city="Seoul", country="KR",
            time_zone="Asia/Seoul", currency="KRW",
        ),
        "tokyo": make_hotel(
            name="Shibuya Crossing Inn", city="Tokyo", country="JP",
            time_zone="Asia/Tokyo", currency="JPY",
        ),
    }  # fmt: skip


def find(hotel, place):
    check_in = hotel_today(hotel) + timedelta(days=10)
    stay = StayRequest(check_in, check_in + timedelta(days=2), 1, 2)
    return [r.name for r in search_hotels(HotelSearch(stay=stay, place=place)).results]


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("台北", "taipei"),
        ("臺北", "taipei"),
        ("Taibei", "taipei"),
        ("taipei", "taipei"),
        ("타이베이", "taipei"),
        ("台北市", "taipei"),
        ("台北, 台灣", "taipei"),
        ("ＴＡＩＢＥＩ", "taipei"),  # full-width letters, as some IMEs type them
        ("Taibeii", "taipei"),  # a typo of an alias
        ("서울", "seoul"),
        ("Seoul", "seoul"),
        ("首爾", "seoul"),
        ("東京", "tokyo"),
        ("도쿄", "tokyo"),
    ],
)
def test_a_city_is_found_by_its_other_names(demo_like, typed, city):
    assert find(demo_like[city], typed) == [demo_like[city].name]


def test_an_unknown_place_finds_nothing(demo_like):
    assert find(demo_like["taipei"], "Atlantis") == []
    assert find(demo_like["taipei"], "北京") == []


def test_an_alias_names_a_city_in_its_own_country_only(make_hotel):
    # A Taipei in another country is not what a guest typing 台北 means.
    elsewhere = make_hotel(name="Not In Taiwan", city="Taipei", country="US")

    assert find(elsewhere, "台北") == []
    assert find(elsewhere, "Taipei") == ["Not In Taiwan"]


def test_an_alias_added_as_data_is_searched_at_once(demo_like):
    seoul = Place.objects.get(name="Seoul", country="KR")
    assert find(demo_like["seoul"], "Hanyang") == []

    PlaceAlias.objects.create(place=seoul, name="Hanyang")

    assert find(demo_like["seoul"], "hanyang") == [demo_like["seoul"].name]


def test_the_alias_lookup_uses_the_alias_indexes_at_scale(demo_like):
    # 30,000 places, so the planner prefers the indexes to reading the table.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_place (name, country)"
            " SELECT 'City ' || g, 'XX' FROM generate_series(1, 30000) g;"
            " INSERT INTO search_placealias (place_id, name, language)"
            " SELECT id, 'Alias ' || md5(name), '' FROM search_place"
            " WHERE country = 'XX';"
            " ANALYZE search_place; ANALYZE search_placealias"
        )
    check_in = hotel_today(demo_like["taipei"]) + timedelta(days=10)
    stay = StayRequest(check_in, check_in + timedelta(days=2), 1, 2)
    sql, params = search_sql(HotelSearch(stay=stay, place="台北"))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # The planner weighs the trigram index against a scan of 30,000 short rows
        # either way; it must at least be able to use it for this expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        forced = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan on search_alias_key " in plan
    assert "Index Scan on search_alias_key_trgm" in forced
    assert find(demo_like["taipei"], "台北") == [demo_like["taipei"].name]
