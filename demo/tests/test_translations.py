"""The demo hotels come with Traditional Chinese and Korean texts for what guests read."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from demo import translations
from demo.loader import load_catalogue
from hotels.models import Amenity, Hotel, RoomType
from inventory.models import RatePlan


def test_every_demo_hotel_room_type_plan_and_amenity_has_both_translations():
    catalogue = load_catalogue()
    hotels = [spec.name for city in catalogue.cities for spec in city.hotels]
    codes = {spec.code for specs in catalogue.room_types.values() for spec in specs}

    for name in hotels:
        assert all(translations.HOTELS[name]["description"]), name
    for code in codes:
        assert all(translations.ROOM_TYPES[code]["name"]), code
        assert all(translations.ROOM_TYPES[code]["description"]), code
    assert {code for code, _name, _scope in catalogue.amenities} <= set(
        translations.AMENITIES
    )
    # Not English copied over, and the Korean is Hangul, the Chinese Han characters.
    for name in hotels:
        chinese, korean = translations.HOTELS[name]["description"]
        assert any("\u4e00" <= c <= "\u9fff" for c in chinese), name
        assert any("\uac00" <= c <= "\ud7a3" for c in korean), name


@pytest.mark.django_db
def test_seed_demo_writes_the_translations_and_english_stays_the_fallback(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", hotels=4, days=3, stdout=StringIO())

    hotel = Hotel.objects.get(name_en="Casa do Fado")
    plan = RatePlan.objects.filter(room_type__hotel=hotel, code="flexible").first()
    with translation.override("ko"):
        assert hotel.description.startswith("알파마 골목에")
        assert hotel.name == "Casa do Fado"  # no Korean name: English
        assert plan.name == "자유 취소"
        assert Amenity.objects.get(code="wifi").name == "무료 Wi-Fi"
    with translation.override("zh-hant"):
        room_type = RoomType.objects.filter(hotel=hotel).first()
        assert "客房面積" in room_type.description
    with translation.override("en"):
        assert hotel.description.startswith("A tiled 18th-century townhouse")
