"""The guest site's look in a real browser, on a desktop and on a 390×844 phone, in en,
zh-hant and ko: the first hotel on the first screen, the photo viewer by keyboard, the
maps with and without JavaScript, and the sticky Reserve bar."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from demo.photos import render_photo
from hotels.models import HotelPhoto
from hotels.tests.factories import hotel_today

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = {"en": "en", "zh-hant": "zh-Hant", "ko": "ko"}


def _tile() -> bytes:
    """Return a plain 256 px map tile, so the tests never reach the real tile server."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), "#eef0ea")
    draw = ImageDraw.Draw(image)
    draw.line([(0, 180), (256, 150)], fill="#ffffff", width=9)
    draw.line([(90, 0), (120, 256)], fill="#ffffff", width=6)
    draw.rectangle([(150, 20), (230, 90)], fill="#d8ead3")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


TILE = _tile()
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def open_page(browser, live_server, csp_violations):
    """Open pages in a context of a given size, language and JavaScript setting."""
    contexts = []

    def make(*, viewport=DESKTOP, language="en", javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            java_script_enabled=javascript,
            extra_http_headers={"Accept-Language": LANGUAGES[language]},
        )
        contexts.append(context)
        context.route(
            "https://tile.openstreetmap.org/**",
            lambda route: route.fulfill(body=TILE, content_type="image/png"),
        )
        if javascript:
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
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == [], csp_violations


@pytest.fixture
def ribeira(porto):
    """The Porto hotels placed along the river, the first with five photos."""
    for index, hotel in enumerate(porto):
        hotel.latitude = 41.1400 + (index % 4) * 0.0012
        hotel.longitude = -8.6160 + (index // 4) * 0.0030
        hotel.save(update_fields=["latitude", "longitude"])
    first = porto[0]
    for index in range(1, 5):
        data = render_photo(
            title=first.name,
            subtitle=f"Photo {index + 1}",
            palette=("#73200b", "#4bb8f2"),
            seed=f"look-{index}",
        )
        photo = HotelPhoto(
            hotel=first, caption=f"Room view {index + 1}", position=index
        )
        photo.image.save(f"look-{index}.png", ContentFile(data), save=True)
    return porto


def stay(hotel) -> str:
    check_in = hotel_today(hotel) + timedelta(days=14)
    return (
        f"check_in={check_in}&check_out={check_in + timedelta(days=2)}&adults=2&rooms=1"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_first_hotel_is_on_the_first_screen(
    open_page, ribeira, screenshot, language
):
    page = open_page(viewport=PHONE, language=language)
    page.goto(f"/search/?place=Porto&{stay(ribeira[0])}")

    assert page.locator("html").get_attribute("lang") == language
    first = page.locator(".result").first.bounding_box()
    assert first["y"] >= 0 and first["y"] + first["height"] <= PHONE["height"], first
    filters = page.locator("details[data-filters]")
    assert filters.get_attribute("open") is None
    assert not page.locator("#id_min_rating").is_visible()
    page.click(".filters__summary")
    assert page.locator("#id_min_rating").is_visible()
    page.click(".filters__summary")
    screenshot(page, f"results-phone-{language}")


def test_on_a_desktop_the_filters_are_open_and_a_filter_keeps_them_open(
    open_page, ribeira
):
    page = open_page()
    page.goto(f"/search/?place=Porto&{stay(ribeira[0])}")
    assert page.locator("#id_min_rating").is_visible()

    phone = open_page(viewport=PHONE)
    phone.goto(f"/search/?place=Porto&stars=5&{stay(ribeira[0])}")
    assert phone.locator("details[data-filters]").get_attribute("open") is not None
    assert phone.locator("#id_min_rating").is_visible()


@pytest.mark.parametrize(
    ("language", "viewport"), [("en", DESKTOP), ("ko", PHONE), ("zh-hant", PHONE)]
)
def test_the_photo_viewer_works_by_keyboard(
    open_page, ribeira, screenshot, language, viewport
):
    page = open_page(viewport=viewport, language=language)
    page.goto(f"/hotels/{ribeira[0].slug}/?{stay(ribeira[0])}")
    thumbs = page.locator(".gallery .gallery__link")
    assert thumbs.count() == 5
    dialog = page.locator("dialog.lightbox")
    assert not dialog.is_visible()

    thumbs.nth(1).focus()
    page.keyboard.press("Enter")
    assert dialog.is_visible()
    assert page.inner_text("[data-lightbox-counter]") == "2 / 5"
    assert page.get_attribute(".lightbox__image", "alt") == "Room view 2"
    page.keyboard.press("ArrowRight")
    assert page.inner_text("[data-lightbox-counter]") == "3 / 5"
    assert page.get_attribute(".lightbox__image", "src").endswith(".png")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("[data-lightbox-counter]") == "5 / 5"  # it wraps around
    page.wait_for_function(
        "document.querySelector('.lightbox__image').complete"
        " && document.querySelector('.lightbox__image').naturalWidth > 0"
    )
    screenshot(page, f"lightbox-{language}")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate(
        "document.activeElement === document.querySelectorAll('.gallery .gallery__link')[1]"
    )


def test_without_javascript_every_photo_is_a_link_to_its_image(open_page, ribeira):
    page = open_page(javascript=False)
    page.goto(f"/hotels/{ribeira[0].slug}/")

    href = page.get_attribute(".gallery .gallery__link >> nth=2", "href")
    page.click(".gallery .gallery__link >> nth=2")
    page.wait_for_url(f"**{href}")
    assert page.url.endswith(".png")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_map_has_its_markers_with_javascript(
    open_page, ribeira, screenshot, language
):
    page = open_page(language=language)
    page.goto(f"/search/?place=Porto&{stay(ribeira[0])}")

    page.wait_for_selector("#results-map.map--live .leaflet-marker-icon")
    assert page.locator("#results-map .leaflet-marker-icon").count() == 10
    assert not page.locator("#results-map .map__plot").is_visible()
    assert page.locator("#results-map .leaflet-tile-loaded").count() > 0
    assert "OpenStreetMap" in page.inner_text(
        "#results-map .leaflet-control-attribution"
    )
    page.locator("#results-map .leaflet-marker-icon").first.focus()
    page.keyboard.press("Enter")
    link = page.locator("#results-map .leaflet-popup-content a")
    assert "/hotels/ribeira-house-" in link.get_attribute("href")
    if language == "en":
        screenshot(page, "results-map-en")


def test_without_javascript_the_map_is_a_plot_of_linked_markers(
    open_page, ribeira, screenshot
):
    page = open_page(javascript=False)
    page.goto(f"/search/?place=Porto&{stay(ribeira[0])}")

    markers = page.locator("#results-map .map__plot a.map__marker")
    assert markers.count() == 10
    assert page.locator("#results-map .leaflet-container").count() == 0
    assert page.locator("#results-map .map__plot").is_visible()
    osm = page.get_attribute("#results-map .map__caption a", "href")
    assert osm.startswith("https://www.openstreetmap.org/")
    target = markers.first.get_attribute("href")
    markers.first.locator("circle").click()
    page.wait_for_url(f"**{target}")
    assert page.locator("h1").inner_text().startswith("Ribeira House")


def test_the_hotel_map_shows_it_and_its_neighbours_but_never_lists_it(
    open_page, ribeira
):
    hotel = ribeira[0]
    page = open_page(viewport=PHONE, language="ko")
    page.goto(f"/hotels/{hotel.slug}/?{stay(hotel)}")

    page.wait_for_selector("#hotel-map.map--live .leaflet-marker-icon")
    assert (
        page.locator("#hotel-map .leaflet-marker-icon.map__pin--current").count() == 1
    )
    assert page.locator("#hotel-map .leaflet-marker-icon").count() == 7  # itself + 6
    assert hotel.name not in page.inner_text("ol.nearby")
    assert page.locator("ol.nearby li").count() == 6

    static = open_page(javascript=False)
    static.goto(f"/hotels/{hotel.slug}/")
    assert static.locator("#hotel-map a.map__marker--current").count() == 1


@pytest.mark.parametrize(
    ("language", "viewport"), [("en", PHONE), ("zh-hant", PHONE), ("ko", DESKTOP)]
)
def test_the_reserve_bar_stays_in_sight_and_leads_to_the_rate(
    open_page, ribeira, screenshot, language, viewport
):
    hotel = ribeira[0]
    page = open_page(viewport=viewport, language=language)
    page.goto(f"/hotels/{hotel.slug}/?{stay(hotel)}")
    bar = page.locator("[data-reserve-bar]")

    for y in (0, 900, 1800):
        page.evaluate(f"window.scrollTo(0, {y})")
        box = bar.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1, (
            y,
            box,
        )
    assert "€144.00" in bar.inner_text()  # 2 × €80, 10% off: the cheaper plan
    page.evaluate("window.scrollTo(0, 600)")
    screenshot(page, f"hotel-reserve-bar-{language}-{viewport['width']}")
    page.click("[data-reserve-bar] a")
    assert page.url.endswith("#rate-" + page.url.rsplit("#rate-", 1)[1])
    target = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{target}").is_visible()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    # At the end the bar sits in its own place: the footer is not under it.
    footer = page.locator(".site-footer").bounding_box()
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= footer["y"] + 1


def test_without_javascript_the_reserve_bar_is_a_plain_link(open_page, ribeira):
    hotel = ribeira[0]
    page = open_page(viewport=PHONE, javascript=False)
    page.goto(f"/hotels/{hotel.slug}/?{stay(hotel)}")

    page.click("[data-reserve-bar] a")
    assert "#rate-" in page.url
