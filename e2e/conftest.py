"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

`make test` installs Chromium with apt when /usr/bin/chromium is missing; Playwright's own
browser download is never used. Screenshots go to SCREENSHOT_DIR (default .data/screenshots;
`make screenshots` writes docs/screenshots/).
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from demo.photos import render_photo
from hotels.models import Amenity, HotelPhoto
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomTypeFactory,
    hotel_today,
)
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test
# itself (setting up data, checking results) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Every document reports its Content-Security-Policy violations to the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " on " + event.documentURI
  );
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations the pages of this test reported (events and console)."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.expose_function(
        "reportCspViolation", lambda violation: csp_violations.append(violation)
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
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
    yield page
    context.close()
    # Every browser test checks that the site and the admin pass their own policy.
    assert csp_violations == [], csp_violations


@pytest.fixture
def screenshot():
    folder = Path(os.environ.get("SCREENSHOT_DIR", ROOT / ".data" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


@pytest.fixture
def porto(settings, tmp_path):
    """Twelve hotels in Porto with photos, two plans each and 60 nights of inventory."""
    settings.MEDIA_ROOT = tmp_path
    settings.SEARCH_CACHE_SECONDS = 0
    wifi = Amenity.objects.create(code="wifi", name="Free Wi-Fi")
    hotels = []
    for index in range(12):
        hotel = HotelFactory(
            name=f"Ribeira House {index:02d}",
            slug=f"ribeira-house-{index:02d}",
            city="Porto",
            country="PT",
            address=f"Rua das Flores {10 + index}",
            star_rating=3 + index % 3,
            description="A quiet townhouse by the river, five minutes from the old town.",
        )
        if index % 2 == 0:
            hotel.amenities.add(wifi)
        room_type = RoomTypeFactory(
            hotel=hotel,
            name="Double Room",
            room_count=4,
            base_price=8_000 + index * 1_000,
            description="A bright double room with a view of the river.",
        )
        start = hotel_today(hotel)
        inventory_open(room_type=room_type, start=start, end=start + timedelta(days=60))
        policy = CancellationPolicyFactory(hotel=hotel)
        RatePlanFactory(
            room_type=room_type, name="Flexible", cancellation_policy=policy
        )
        RatePlanFactory(
            room_type=room_type, name="Non-refundable", price_adjustment_bp=-1_000
        )
        if index < 3:
            data = render_photo(
                title=hotel.name,
                subtitle="Porto",
                palette=("#0b5f73", "#f2b84b"),
                seed=f"e2e-{index}",
            )
            photo = HotelPhoto(hotel=hotel, caption="Facade")
            photo.image.save(f"e2e-{index}.png", ContentFile(data), save=True)
        hotels.append(hotel)
    return hotels
