"""Hotel content in the reader's language, English where the hotel has not translated it,
at no extra query on the search and hotel pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from hotels.models import RoomType
from hotels.tests.factories import hotel_today
from inventory.models import RatePlan
from search.tests.factories import search_params

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


@pytest.fixture
def seoul(make_hotel):
    hotel = make_hotel(
        name="Bukchon Hanok Stay",
        city="Seoul",
        description="A century-old hanok between two palaces.",
        address="37 Gyedong-gil",
        price=120_000,
        refundable=True,
    )
    hotel.name_ko = "북촌 한옥스테이"
    hotel.description_ko = "두 궁궐 사이에 자리한 백 년 된 한옥입니다."
    hotel.name_zh_hant = "北村韓屋住宿"
    hotel.description_zh_hant = "坐落於兩座宮殿之間的百年韓屋。"
    # No Korean address: the English one shows.
    hotel.save()
    room_type = RoomType.objects.get(hotel=hotel)
    room_type.name_en, room_type.name_ko = "Ondol Room", "온돌방"
    room_type.save()
    RatePlan.objects.filter(room_type=room_type).update(
        name_en="Flexible", name_ko="자유 취소"
    )
    return hotel


def page(language, path, params=None):
    return Client(HTTP_ACCEPT_LANGUAGE=language).get(path, params).content.decode()


def detail_params(hotel):
    return search_params(hotel_today(hotel) + timedelta(days=10), nights=2)


def test_the_hotel_page_in_korean_shows_the_korean_texts(seoul):
    html = page("ko", f"/hotels/{seoul.slug}/", detail_params(seoul))

    assert "북촌 한옥스테이" in html
    assert "두 궁궐 사이에 자리한 백 년 된 한옥입니다." in html
    assert "온돌방" in html
    assert "자유 취소" in html
    assert "A century-old hanok" not in html


def test_what_is_not_translated_falls_back_to_english(seoul):
    html = page("ko", f"/hotels/{seoul.slug}/", detail_params(seoul))
    chinese = page("zh-hant", f"/hotels/{seoul.slug}/", detail_params(seoul))

    assert "37 Gyedong-gil" in html  # no Korean address
    assert "坐落於兩座宮殿之間的百年韓屋。" in chinese
    assert "Ondol Room" in chinese and "Flexible" in chinese  # no Chinese names


def test_the_english_page_keeps_the_english_texts(seoul):
    html = page("en", f"/hotels/{seoul.slug}/", detail_params(seoul))

    assert escape("Bukchon Hanok Stay") in html
    assert "A century-old hanok between two palaces." in html
    assert "북촌" not in html


def test_search_results_name_the_hotel_room_and_plan_in_the_readers_language(seoul):
    check_in = hotel_today(seoul) + timedelta(days=10)

    korean = page("ko", "/search/", search_params(check_in, place="Seoul"))
    english = page("en", "/search/", search_params(check_in, place="Seoul"))

    assert "북촌 한옥스테이" in korean and "온돌방" in korean
    assert escape("Bukchon Hanok Stay") in english and "북촌" not in english


def test_a_cached_search_page_is_kept_per_language(seoul, settings):
    settings.SEARCH_CACHE_SECONDS = 30
    check_in = hotel_today(seoul) + timedelta(days=10)
    params = search_params(check_in, place="Seoul")

    page("ko", "/search/", params)
    english = page("en", "/search/", params)

    assert escape("Bukchon Hanok Stay") in english and "북촌" not in english


def test_translated_search_runs_as_many_queries_as_the_english_one(
    make_hotel, django_assert_max_num_queries
):
    for index in range(12):
        hotel = make_hotel(name=f"Hotel {index}", city="Porto")
        hotel.name_ko = f"호텔 {index}"
        hotel.save()
    check_in = hotel_today(hotel) + timedelta(days=10)

    # The bound of test_pages.test_search_page_runs_a_bounded_number_of_queries.
    with django_assert_max_num_queries(6):
        html = page("ko", "/search/", search_params(check_in, place="Porto"))

    assert "호텔 3" in html


def test_translated_hotel_page_runs_as_many_queries_as_the_english_one(
    seoul,
):
    params = detail_params(seoul)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get(f"/hotels/{seoul.slug}/", params)  # warm what is cached per process
    with CaptureQueriesContext(connection) as english:
        client.get(f"/hotels/{seoul.slug}/", params)
    with CaptureQueriesContext(connection) as korean:
        Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/hotels/{seoul.slug}/", params)

    assert len(korean.captured_queries) == len(english.captured_queries)
