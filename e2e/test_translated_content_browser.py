"""A demo hotel's own texts in the reader's language, in a real browser."""

from datetime import timedelta

import pytest

from demo.translations import HOTELS, ROOM_TYPES
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomTypeFactory,
    hotel_today,
)
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH = (
    "A century-old hanok between Gyeongbokgung and Changdeokgung palaces, with heated "
    "ondol floors and breakfast served in the courtyard."
)


@pytest.fixture
def hanok(settings):
    """The demo's Bukchon Hanok Stay, with its translations, and a month of nights."""
    settings.SEARCH_CACHE_SECONDS = 0
    texts = HOTELS["Bukchon Hanok Stay"]
    hotel = HotelFactory(
        name="Bukchon Hanok Stay",
        slug="bukchon-hanok-stay",
        city="Seoul",
        country="KR",
        time_zone="Asia/Seoul",
        currency="KRW",
        description=ENGLISH,
        address="37 Gyedong-gil, Jongno-gu, Seoul 03059",
        name_zh_hant=texts["name"][0],
        name_ko=texts["name"][1],
        description_zh_hant=texts["description"][0],
        description_ko=texts["description"][1],
    )
    room_type = RoomTypeFactory(
        hotel=hotel,
        name="Ondol Room",
        code="ondol-room",
        room_count=4,
        base_price=110_000,
        name_zh_hant=ROOM_TYPES["ondol-room"]["name"][0],
        name_ko=ROOM_TYPES["ondol-room"]["name"][1],
    )
    start = hotel_today(hotel)
    inventory_open(room_type=room_type, start=start, end=start + timedelta(days=30))
    RatePlanFactory(
        room_type=room_type,
        name="Flexible",
        cancellation_policy=CancellationPolicyFactory(hotel=hotel),
    )
    return hotel


def test_the_hotel_page_shows_its_description_in_korean_and_chinese(
    page, hanok, screenshot
):
    check_in = hotel_today(hanok) + timedelta(days=7)
    page.goto(
        f"/hotels/{hanok.slug}/?check_in={check_in}"
        f"&check_out={check_in + timedelta(days=2)}&adults=2&rooms=1"
    )
    assert ENGLISH in page.content()

    with page.expect_navigation(url="**/hotels/**"):
        page.select_option("#language", "ko")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_text(HOTELS["Bukchon Hanok Stay"]["description"][1]).is_visible()
    assert page.locator("h1").inner_text().strip() == "북촌 한옥스테이"
    assert "온돌방" in page.content()
    assert ENGLISH not in page.content()
    screenshot(page, "hotel-content-ko")

    with page.expect_navigation(url="**/hotels/**"):
        page.select_option("#language", "zh-hant")
    assert page.get_by_text(HOTELS["Bukchon Hanok Stay"]["description"][0]).is_visible()
    assert page.locator("h1").inner_text().strip() == "北村韓屋住宿"
    assert "暖炕房" in page.content()
    # No Chinese rate plan name was written: the English one shows.
    assert "Flexible" in page.content()
    screenshot(page, "hotel-content-zh-hant")
