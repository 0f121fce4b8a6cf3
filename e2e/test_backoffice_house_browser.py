"""Housekeeping on a cleaner's phone and the reviews inbox, in a real browser, under the
Content-Security-Policy (every context here reports violations to `csp_violations`)."""

import pytest

from backoffice.tests.world import build_hotel
from e2e.conftest import REPORT_CSP_VIOLATIONS
from hotels.models import Room
from hotels.tests.factories import staff
from reviews.models import Review

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def context_for(browser, live_server, csp_violations):
    """Open a browser context (phone or desktop, with or without JavaScript)."""
    contexts = []

    def make(viewport=PHONE, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=viewport == PHONE,
            has_touch=viewport == PHONE,
            java_script_enabled=javascript,
        )
        context.expose_function(
            "reportCspViolation", lambda violation: csp_violations.append(violation)
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == [], csp_violations


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_cleaner_on_a_phone_marks_a_room_inspected_with_one_tap(
    context_for, screenshot
):
    alpha = build_hotel("Alpha")
    cleaner = staff("mina", alpha.hotel, role="housekeeping")
    room = alpha.objects["rooms"][1]
    Room.objects.filter(pk=room.pk).update(
        housekeeping_status="dirty", housekeeper=cleaner
    )
    page = context_for()
    sign_in(page, "mina")

    page.goto(f"/admin/hotels/hotel/{alpha.hotel.pk}/housekeeping/?mine=1")
    card = page.locator(f"#room-{room.number}")
    button = card.get_by_role("button", name=f"Inspected · room {room.number}")
    box = button.bounding_box()
    # A big button a thumb finds: full half-width of the phone, at least 48 px high.
    assert box["height"] >= 48 and box["width"] >= 150
    screenshot(page, "housekeeping-phone")
    page.evaluate("window.notReloaded = true")

    button.tap()

    page.locator("#hk-live").get_by_text(
        f"Room {room.number} is now inspected."
    ).wait_for()
    assert page.evaluate("window.notReloaded") is True  # updated in place
    assert card.locator(".hk-status-label").inner_text() == "Inspected"
    assert button.get_attribute("aria-pressed") == "true"
    assert Room.objects.get(pk=room.pk).housekeeping_status == "inspected"


def test_without_javascript_the_same_tap_posts_the_form_and_the_page_says_so(
    context_for,
):
    alpha = build_hotel("Alpha")
    staff("mina", alpha.hotel, role="front_desk")
    room = alpha.objects["rooms"][2]
    Room.objects.filter(pk=room.pk).update(housekeeping_status="dirty")
    page = context_for(javascript=False)
    sign_in(page, "mina")

    page.goto(f"/admin/hotels/hotel/{alpha.hotel.pk}/housekeeping/")
    page.locator(f"#room-{room.number}").get_by_role(
        "button", name=f"Clean · room {room.number}"
    ).click()

    page.get_by_text(f"Room {room.number} is now clean.").wait_for()
    assert Room.objects.get(pk=room.pk).housekeeping_status == "clean"


def test_a_manager_replies_to_a_review_from_the_inbox(context_for, screenshot):
    alpha = build_hotel("Alpha")
    staff("boss", alpha.hotel, role="manager")
    review = alpha.objects["review"]
    Review.objects.filter(pk=review.pk).update(reply="", replied_at=None)
    page = context_for(viewport={"width": 1280, "height": 900})
    sign_in(page, "boss")

    page.goto(f"/admin/hotels/hotel/{alpha.hotel.pk}/reviews/")
    assert page.locator("#count-awaiting").inner_text() == "1"
    item = page.locator(f"#review-{review.pk}")
    assert "Lovely stay at Alpha" in item.inner_text()
    item.get_by_label("Your public reply").fill("Thank you, come back soon!")
    screenshot(page, "reviews-inbox")
    item.get_by_role("button", name="Publish the reply").click()

    page.get_by_text("is published.").wait_for()
    assert page.locator("#count-awaiting").inner_text() == "0"
    assert Review.objects.get(pk=review.pk).reply == "Thank you, come back soon!"
