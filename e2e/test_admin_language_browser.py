"""The back office in Traditional Chinese in a real browser: a manager picks 繁體中文 in
the header, by keyboard, and the admin follows with money in the hotel's currency."""

import pytest
from django.contrib.auth import get_user_model

from core.money import format_money
from hotels.models import HotelMembership

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_switches_the_admin_to_traditional_chinese(
    page, porto, csp_violations, screenshot
):
    hotel = porto[0]
    manager = get_user_model().objects.create_user(
        username="mgr",
        password="a-long-passphrase",  # noqa: S106 (a test account)
        is_staff=True,
    )
    HotelMembership.objects.create(hotel=hotel, user=manager, role="manager")
    page.goto("/admin/")
    page.fill("#id_username", "mgr")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")
    page.wait_for_selector("#bo-language")

    # Keyboard only: the label names the box, the button applies it.
    page.focus("#bo-language")
    page.select_option("#bo-language", "zh-hant")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang='zh-hant']")

    page.goto("/admin/hotels/roomtype/")
    body = page.locator("#content").inner_text()
    assert "基本房價" in body  # the column "base price"
    assert format_money(8_000, hotel.currency, "zh-hant") in body
    assert page.locator("label[for='bo-language']").inner_text() == "語言"
    screenshot(page, "admin-zh-hant")
    manager.refresh_from_db()
    assert manager.preferred_language == "zh-hant"
    assert csp_violations == []
