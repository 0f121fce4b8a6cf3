"""Finding a place in a real browser: native scripts, and an empty result's way back."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives

from hotels.tests.factories import HotelFactory, RoomTypeFactory, hotel_today
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_hotel(**fields):
    hotel = HotelFactory(**fields)
    kind = RoomTypeFactory(hotel=hotel, room_count=3, base_price=10_000)
    start = hotel_today(hotel)
    inventory_open(room_type=kind, start=start, end=start + timedelta(days=40))
    RatePlanFactory(room_type=kind)
    return hotel


@pytest.fixture
def cities(settings, demo_places):
    settings.SEARCH_CACHE_SECONDS = 0
    return {
        "taipei": open_hotel(
            name="Daan Garden Hotel", slug="daan-garden", city="Taipei",
            country="TW", time_zone="Asia/Taipei", currency="TWD", star_rating=3,
        ),
        "seoul": open_hotel(
            name="Bukchon Hanok Stay", slug="bukchon", city="Seoul", country="KR",
            time_zone="Asia/Seoul", currency="KRW", star_rating=3,
        ),
    }  # fmt: skip


def test_searching_taipei_in_chinese_from_the_home_page_finds_the_taipei_hotel(
    page, cities, screenshot
):
    check_in = hotel_today(cities["taipei"]) + timedelta(days=10)
    page.goto("/")
    page.fill("#id_place", "台北")
    page.fill("#id_check_in", check_in.isoformat())
    page.fill("#id_check_out", (check_in + timedelta(days=2)).isoformat())
    page.click("#search-button")

    assert page.locator(".result__name").all_inner_texts() == ["Daan Garden Hotel"]
    screenshot(page, "results-taipei-native")


def test_the_empty_results_suggestion_link_brings_results_back(page, cities):
    check_in = hotel_today(cities["seoul"]) + timedelta(days=10)
    page.goto(
        f"/search/?place=서울&check_in={check_in}"
        f"&check_out={check_in + timedelta(days=2)}&adults=2&rooms=1&stars=5"
    )
    assert page.locator(".result__name").count() == 0
    assert "No hotel has all these filters." in page.inner_text(".results")

    page.click("text=Without 5 stars there is 1 hotel")

    assert page.locator(".result__name").all_inner_texts() == ["Bukchon Hanok Stay"]
    assert "stars=" not in page.url


def test_the_dev_inbox_shows_a_sent_email_with_its_html_in_a_frame(
    page, settings, tmp_path
):
    settings.DEV_INBOX = True
    settings.EMAIL_BACKEND = "core.dev_inbox.InboxBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "inbox")
    message = EmailMultiAlternatives(
        "Your rooms are held", "Pay here: http://127.0.0.1:8080/x", to=["g@example.com"]
    )
    message.attach_alternative(
        '<p style="color:#0b5f73">Pay <a href="http://127.0.0.1:8080/x">here</a></p>',
        "text/html",
    )
    message.send()

    page.goto("/dev/inbox/")

    assert "Your rooms are held" in page.inner_text("h2")
    assert "g@example.com" in page.inner_text(".dev-inbox__headers")
    frame = page.frame_locator("iframe.dev-inbox__html")
    assert frame.locator("a").get_attribute("href") == "http://127.0.0.1:8080/x"
