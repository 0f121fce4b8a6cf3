"""The guest site's look: maps, the photo viewer, folding filters, the Reserve bar."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape

from core.money import format_money
from hotels.models import HotelPhoto
from hotels.tests.factories import hotel_today
from inventory.models import Inventory, RatePlan
from inventory.tests.factories import RatePlanFactory
from search.tests.factories import search_params

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings, tmp_path):
    settings.SEARCH_CACHE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def alfama(make_hotel):
    """Three hotels in Lisbon (one 0.4 km, one 3 km from the first) and one in Porto."""
    here = make_hotel(
        name="Casa Alfama", slug="casa-alfama", latitude=38.71, longitude=-9.14,
        price=12_000, refundable=True,
    )  # fmt: skip
    make_hotel(
        name="Castelo Inn", slug="castelo-inn", latitude=38.714, longitude=-9.14,
        price=9_000,
    )  # fmt: skip
    make_hotel(
        name="Oriente Rooms", slug="oriente-rooms", latitude=38.71, longitude=-9.1055,
        price=15_000,
    )  # fmt: skip
    make_hotel(
        name="Ribeira", slug="ribeira", city="Porto", latitude=41.14, longitude=-8.611,
        price=8_000,
    )  # fmt: skip
    return here


def png(seed: int) -> bytes:
    """Return a small PNG of one colour (seed picks it)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (seed * 40 % 256, 95, 115)).save(buffer, "PNG")
    return buffer.getvalue()


def add_photos(hotel, count, room_type=None):
    for index in range(count):
        photo = HotelPhoto(
            hotel=hotel,
            room_type=room_type,
            caption=f"View {index + 1}",
            position=index,
        )
        data = png(index)
        photo.image.save(f"p{hotel.pk}-{index}.png", ContentFile(data), save=True)


def page(client, hotel, **params):
    response = client.get(reverse("hotels:detail", args=[hotel.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


# Other hotels nearby -----------------------------------------------------------------


def test_other_hotels_nearby_never_lists_the_hotel_itself(client, alfama):
    html = page(client, alfama)

    nearby = section(html, '<ol class="nearby"', "</ol>")
    listed = re.findall(r'<a href="/hotels/([\w-]+)/">', nearby)
    assert len(listed) == 2 and alfama.slug not in listed
    assert "Castelo Inn" in nearby and "Oriente Rooms" in nearby
    assert "Casa Alfama" not in nearby and "Ribeira" not in nearby
    assert nearby.index("Castelo Inn") < nearby.index("Oriente Rooms")
    assert "0.4 km away" in nearby and "0.0 km" not in nearby


def test_the_nearby_search_link_leaves_the_hotel_out_of_its_results(client, alfama):
    html = page(client, alfama)
    link = (
        re.search(r'href="(/search/\?lat=[^"]+)"', html).group(1).replace("&amp;", "&")
    )
    assert f"exclude={alfama.slug}" in link

    results = client.get(link)

    listed = re.findall(
        r'class="result__name"><a href="/hotels/([\w-]+)/', results.content.decode()
    )
    assert results.status_code == 200
    assert alfama.slug not in listed
    assert len(listed) == 2  # Castelo Inn and Oriente Rooms, not Porto


def test_a_hotel_alone_says_no_other_hotel_is_near(client, make_hotel):
    alone = make_hotel(name="Solo", latitude=10.0, longitude=10.0)

    assert "No other hotel within 5 km." in page(client, alone)


def test_any_exclude_value_is_harmless(client, alfama):
    check_in = hotel_today(alfama) + timedelta(days=7)

    response = client.get(
        "/search/",
        search_params(check_in, place="Lisbon", exclude="<b>no such</b>" * 40),
    )

    assert response.status_code == 200
    assert "Casa Alfama" in response.content.decode()


# Maps --------------------------------------------------------------------------------


def test_the_results_map_has_a_linked_marker_per_hotel_and_a_static_fallback(
    client, alfama
):
    check_in = hotel_today(alfama) + timedelta(days=7)

    response = client.get("/search/", search_params(check_in, place="Lisbon"))

    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "js/map.js" in html
    figure = section(html, '<figure class="map" id="results-map"', "</figure>")
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in figure
    assert escape("OpenStreetMap</a> contributors") in figure
    markers = re.findall(
        r'<a class="map__marker" href="/hotels/([\w-]+)/\?check_in=', figure
    )
    assert len(markers) == 3 and alfama.slug in markers
    assert figure.count("<circle ") == 3
    assert format_money(2 * 9_000, "EUR") in figure  # each marker says its total
    assert "https://www.openstreetmap.org/" in figure


def test_the_map_follows_the_tile_setting(client, alfama, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.net/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"

    html = page(client, alfama)

    assert 'data-tile-url="https://{s}.tiles.example.net/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="Example tiles"' in html


def test_the_csp_lets_the_map_load_its_tiles(client, alfama):
    response = client.get(reverse("hotels:detail", args=[alfama.slug]))

    policy = response.headers["Content-Security-Policy"]
    img_src = next(
        part for part in policy.split(";") if part.strip().startswith("img-src")
    )
    assert "https://tile.openstreetmap.org" in img_src
    assert "'unsafe-inline'" not in policy


def test_the_hotel_page_map_shows_the_hotel_and_its_neighbours(client, alfama):
    html = page(client, alfama)

    figure = section(html, '<figure class="map" id="hotel-map"', "</figure>")
    assert figure.count('class="map__marker map__marker--current"') == 1
    assert re.search(r'map__marker--current" href="/hotels/casa-alfama/"', figure)
    assert figure.count('class="map__marker"') == 2
    assert "Ribeira" not in figure
    assert "mlat=38.71000&amp;mlon=-9.14000" in figure


def test_hotels_without_coordinates_get_no_map(client, make_hotel):
    hotel = make_hotel(name="Somewhere")
    check_in = hotel_today(hotel) + timedelta(days=7)

    results = client.get("/search/", search_params(check_in)).content.decode()
    html = page(client, hotel)

    assert "data-map" not in results and "leaflet.js" not in results
    assert "data-map" not in html and "Other hotels nearby" not in html


# Photos ------------------------------------------------------------------------------


def test_every_photo_links_to_its_full_size_image_for_the_viewer(client, alfama):
    add_photos(alfama, 5)
    room_type = alfama.room_types.get()
    add_photos(alfama, 2, room_type=room_type)

    html = page(client, alfama)

    gallery = section(html, '<ul class="gallery" data-gallery>', "</ul>")
    links = re.findall(r'<a class="gallery__link" href="([^"]+)"', gallery)
    photos = HotelPhoto.objects.filter(hotel=alfama, room_type=None).order_by(
        "position"
    )
    assert links == [photo.image.url for photo in photos]
    assert re.findall(r'alt="([^"]+)"', gallery) == [f"View {n}" for n in range(1, 6)]
    rooms = section(html, '<ul class="room-type__photos" data-gallery', "</ul>")
    assert rooms.count('class="gallery__link"') == 2
    assert '<dialog class="lightbox" id="lightbox"' in html
    assert "js/gallery.js" in html
    assert 'data-counter="{current} / {total}"' in html


def test_a_photo_without_caption_still_has_an_alt_text(client, alfama):
    photo = HotelPhoto(hotel=alfama)
    photo.image.save(
        "bare.png",
        ContentFile(png(1)),
        save=True,
    )

    assert 'alt="Casa Alfama, photo 1"' in page(client, alfama)


# Filters -----------------------------------------------------------------------------


def test_the_filter_panel_is_folded_until_a_filter_is_on(client, alfama):
    check_in = hotel_today(alfama) + timedelta(days=7)

    plain = client.get(
        "/search/", search_params(check_in, place="Lisbon")
    ).content.decode()
    starred = client.get(
        "/search/", search_params(check_in, place="Lisbon", stars=3)
    ).content.decode()
    priced = client.get(
        "/search/", search_params(check_in, place="Lisbon", min_price=0)
    ).content.decode()

    assert '<details class="filters" id="filters" data-filters>' in plain
    assert '<details class="filters" id="filters" data-filters open>' in starred
    assert '<details class="filters" id="filters" data-filters open>' in priced
    assert "Filters on" in starred and "Filters on" not in plain


def test_the_results_come_before_the_map_in_the_page(client, alfama):
    check_in = hotel_today(alfama) + timedelta(days=7)

    html = client.get(
        "/search/", search_params(check_in, place="Lisbon")
    ).content.decode()

    assert html.index('<ol class="result-list"') < html.index('id="results-map"')


# The Reserve bar ---------------------------------------------------------------------


def test_the_reserve_bar_shows_the_cheapest_total_and_leads_to_its_rate(client, alfama):
    room_type = alfama.room_types.get()
    cheap = RatePlanFactory(
        room_type=room_type, name="Saver", price_adjustment_bp=-1_500
    )
    check_in = hotel_today(alfama) + timedelta(days=7)

    html = page(client, alfama, **search_params(check_in, nights=2))

    bar = section(
        html, '<div class="reserve-bar" data-reserve-bar>', "</div>\n  </div>"
    )
    assert format_money(2 * 10_200, "EUR") in bar  # 2 nights of €120 at -15%
    assert "total for 2 nights" in bar and "Saver" in bar
    assert f'href="#rate-{cheap.pk}"' in bar
    assert f'id="rate-{cheap.pk}"' in html


def test_the_reserve_bar_skips_a_room_type_that_cannot_take_the_stay(client, alfama):
    check_in = hotel_today(alfama) + timedelta(days=7)
    Inventory.objects.filter(room_type__hotel=alfama, date=check_in).update(
        stop_sell=True
    )

    html = page(client, alfama, **search_params(check_in, nights=2))

    bar = section(
        html, '<div class="reserve-bar" data-reserve-bar>', "</div>\n  </div>"
    )
    assert "No room can take these dates." in bar
    assert 'href="#dates-title"' in bar and "€" not in bar


def test_without_dates_the_reserve_bar_asks_for_them(client, alfama):
    html = page(client, alfama)

    bar = section(
        html, '<div class="reserve-bar" data-reserve-bar>', "</div>\n  </div>"
    )
    assert "Choose your dates to see prices." in bar
    assert (
        '<a class="button button--primary reserve-bar__action" href="#dates-title">'
        in bar
    )
    assert 'id="dates-title"' in html


def test_the_reserve_bar_speaks_the_guests_language(client, alfama):
    check_in = hotel_today(alfama) + timedelta(days=7)
    params = search_params(check_in, nights=2)
    url = reverse("hotels:detail", args=[alfama.slug])

    korean = client.get(url, params, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    chinese = client.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()

    assert "예약하기" in section(korean, "data-reserve-bar>", "</div>\n  </div>")
    assert "預訂" in section(chinese, "data-reserve-bar>", "</div>\n  </div>")
    assert RatePlan.objects.filter(room_type__hotel=alfama).exists()
