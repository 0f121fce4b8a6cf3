"""The site in a real browser: search, results, hotel page, languages, accessibility."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from hotels.tests.factories import hotel_today

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_filters_sorts_pages_and_shares_then_opens_a_hotel(
    page, porto, screenshot
):
    check_in = hotel_today(porto[0]) + timedelta(days=14)
    page.goto("/")
    screenshot(page, "home-en")
    page.fill("#id_place", "Porto")
    page.fill("#id_check_in", check_in.isoformat())
    page.fill("#id_check_out", (check_in + timedelta(days=2)).isoformat())
    page.click("#search-button")

    assert "12 hotels can take your whole stay" in page.inner_text("h1")
    assert page.locator(".result").count() == 10
    screenshot(page, "results-en")
    shared = page.url
    query = parse_qs(urlparse(shared).query)
    assert query["place"] == ["Porto"] and query["check_in"] == [check_in.isoformat()]

    page.click("a[rel=next]")
    assert page.locator(".result").count() == 2
    assert "Page 2 of 2" in page.inner_text(".pagination")

    page.goto(shared)
    page.check("#id_amenities_0")
    page.check("label:has-text('5') >> xpath=preceding-sibling::input")
    page.click("text=Apply filters")
    names = page.locator(".result__name").all_inner_texts()
    assert names == ["Ribeira House 02", "Ribeira House 08"]

    page.goto(shared)
    page.select_option("#id_sort", "rating")  # JS submits at once
    page.wait_for_url("**sort=rating**")
    page.goto(shared + "&max_price=85")  # Non-refundable: €72, €81, €90, ... a night
    assert page.locator(".result__name").all_inner_texts() == [
        "Ribeira House 00",
        "Ribeira House 01",
    ]

    page.click("text=Ribeira House 00")
    assert page.inner_text("h1") == "Ribeira House 00"
    assert "Free cancellation until" in page.inner_text("#rooms")
    screenshot(page, "hotel-en")


def test_language_switch_changes_text_and_number_and_date_formats(
    page, porto, screenshot
):
    hotel = porto[0]
    check_in = hotel_today(hotel) + timedelta(days=14)
    url = (
        f"/hotels/{hotel.slug}/?check_in={check_in}&check_out={check_in + timedelta(days=2)}"
        "&adults=2&rooms=1"
    )
    page.goto(url)
    assert "Rooms and prices" in page.content()
    assert "€144.00" in page.content()  # 2 × €80, 10% off

    with page.expect_navigation(url="**/hotels/**"):
        page.select_option("#language", "ko")  # JS submits the switcher at once
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "객실 및 요금" in page.content()
    assert f"{check_in.year}. {check_in.month}. {check_in.day}." in page.content()
    screenshot(page, "hotel-ko")

    with page.expect_navigation(url="**/hotels/**"):
        page.select_option("#language", "zh-hant")
    assert "客房與價格" in page.content()
    assert f"{check_in.year}年{check_in.month}月{check_in.day}日" in page.content()
    page.goto("/")
    screenshot(page, "home-zh-hant")
    page.goto("/accounts/login/")
    screenshot(page, "sign-in-zh-hant")
    page.goto(
        f"/search/?place=Porto&check_in={check_in}&check_out={check_in + timedelta(days=2)}&adults=2&rooms=1"
    )
    screenshot(page, "results-zh-hant")


def test_every_input_has_a_label_and_the_keyboard_reaches_search(page, porto):
    page.goto("/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name)"""
    )
    assert unlabelled == []

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-button":
            break
    assert page.evaluate("document.activeElement.id") == "search-button"


def test_bad_dates_show_an_error_tied_to_the_field(page, porto):
    check_in = hotel_today(porto[0]) + timedelta(days=10)
    page.goto(
        f"/search/?place=Porto&check_in={check_in}&check_out={check_in}&adults=2&rooms=1"
    )

    field = page.locator("#id_check_out")
    assert field.get_attribute("aria-invalid") == "true"
    error_id = field.get_attribute("aria-describedby")
    assert page.inner_text(f"#{error_id}") == "Check-out must be after check-in."


def test_find_my_booking_with_a_wrong_email_gets_nothing(page, porto, screenshot):
    from booking.services import GuestDetails, booking_hold
    from inventory.models import RatePlan
    from inventory.rules import StayRequest

    check_in = hotel_today(porto[0]) + timedelta(days=10)
    plan = RatePlan.objects.filter(room_type__hotel=porto[0]).first()
    booking = booking_hold(
        rate_plan_id=plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=2), 1, 2),
        guest=GuestDetails(name="Ada Lovelace", email="ada@example.com"),
        source="site",
    )

    page.goto("/bookings/find/")
    page.fill("#id_reference", booking.reference)
    page.fill("#id_email", "eve@example.com")
    page.click("button:has-text('Find booking')")
    assert "No booking matches" in page.inner_text("[role=alert]")
    assert booking.guest_name not in page.content()
    response = page.goto(f"/bookings/{booking.reference}/")
    assert response.status == 404

    page.goto("/bookings/find/")
    page.fill("#id_reference", booking.reference.lower())
    page.fill("#id_email", "ada@example.com")
    page.click("button:has-text('Find booking')")
    assert booking.reference in page.inner_text("main")
    screenshot(page, "booking-en")
