"""Staff write their hotel's content in every language on its admin pages; the manager
of another hotel cannot."""

import pytest

from backoffice.tests.world import form_data, url
from hotels.models import Hotel, RoomType
from hotels.tests.factories import HotelFactory, staff
from inventory.models import RatePlan

pytestmark = pytest.mark.django_db


def test_the_hotel_page_has_a_field_per_language_and_saves_them(owner_client, hotel):
    shown = owner_client.get(url(Hotel, "change", hotel.pk))
    html = shown.content.decode()
    for field in ("name_en", "name_zh_hant", "name_ko", "description_ko"):
        assert f'name="{field}"' in html
        assert f'for="id_{field}"' in html  # labelled

    response = owner_client.post(
        url(Hotel, "change", hotel.pk),
        {
            **form_data(shown),
            "name_en": "Bukchon Hanok Stay",
            "name_ko": "북촌 한옥스테이",
            "description_ko": "백 년 된 한옥입니다.",
            "description_zh_hant": "百年韓屋。",
        },
    )

    assert response.status_code == 302
    saved = Hotel.objects.get(pk=hotel.pk)
    assert (saved.name_en, saved.name_ko) == ("Bukchon Hanok Stay", "북촌 한옥스테이")
    assert saved.description_zh_hant == "百年韓屋。"
    # The original column, which the search's SQL reads, follows the English text.
    assert Hotel.objects.filter(pk=hotel.pk).values_list("name", flat=True).get() == (
        "Bukchon Hanok Stay"
    )


def test_a_room_type_and_a_rate_plan_save_their_translations(
    owner_client, room_type, rate_plan
):
    shown = owner_client.get(url(RoomType, "change", room_type.pk))
    response = owner_client.post(
        url(RoomType, "change", room_type.pk),
        {**form_data(shown), "name_ko": "온돌방", "description_ko": "온돌 바닥"},
    )
    assert response.status_code == 302
    assert RoomType.objects.get(pk=room_type.pk).name_ko == "온돌방"

    shown = owner_client.get(url(RatePlan, "change", rate_plan.pk))
    response = owner_client.post(
        url(RatePlan, "change", rate_plan.pk),
        {**form_data(shown), "name_en": "Flexible rate", "name_zh_hant": "彈性房價"},
    )
    assert response.status_code == 302
    plan = RatePlan.objects.get(pk=rate_plan.pk)
    assert (plan.name_en, plan.name_zh_hant) == ("Flexible rate", "彈性房價")
    assert RatePlan.objects.filter(pk=plan.pk).values_list("name", flat=True).get() == (
        "Flexible rate"
    )


def test_an_empty_english_name_is_a_form_error_and_changes_nothing(owner_client, hotel):
    shown = owner_client.get(url(Hotel, "change", hotel.pk))

    response = owner_client.post(
        url(Hotel, "change", hotel.pk),
        {**form_data(shown), "name_en": "", "name_ko": "이름"},
    )

    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    assert Hotel.objects.get(pk=hotel.pk).name_ko in (None, "")


def test_the_manager_of_another_hotel_cannot_translate_it(client, hotel):
    other = HotelFactory()
    client.force_login(staff("elsewhere", other, role="manager"))
    before = Hotel.objects.filter(pk=hotel.pk).values().get()

    shown = client.get(url(Hotel, "change", hotel.pk))
    response = client.post(
        url(Hotel, "change", hotel.pk),
        {"name_en": "Taken over", "name_ko": "탈취", "slug": hotel.slug},
    )

    assert shown.status_code in (302, 403, 404)
    assert response.status_code in (302, 403, 404)
    assert Hotel.objects.filter(pk=hotel.pk).values().get() == before


def test_the_hotel_list_finds_a_hotel_by_any_of_its_names(owner_client, hotel):
    hotel.name_en, hotel.name_ko = "Bukchon Hanok Stay", "북촌 한옥스테이"
    hotel.save()

    for query in ("북촌", "Bukchon"):
        response = owner_client.get(url(Hotel, "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [hotel], query


def test_a_save_while_another_language_is_active_keeps_the_english_original(
    make_hotel,
):
    """The original columns are what the search's SQL and the history read as English."""
    from django.db import connection
    from django.utils import translation

    from hotels.models import RoomType

    with translation.override("ko"):
        hotel = make_hotel(name="Bukchon Hanok Stay", city="Seoul")
        room_type = RoomType.objects.filter(hotel=hotel).first()
        hotel.name_ko = "북촌 한옥스테이"
        hotel.save()
        room_type.name_ko = "온돌방"
        room_type.save()
        plan = room_type.rate_plans.first()
        plan.name_ko = "기본"
        plan.save()

    # Raw SQL: modeltranslation rewrites `name` in ORM queries to a language's column.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM hotels_hotel WHERE id = %s", [hotel.pk])
        assert cursor.fetchone() == ("Bukchon Hanok Stay",)
        cursor.execute("SELECT name FROM hotels_roomtype WHERE id = %s", [room_type.pk])
        assert cursor.fetchone() != ("온돌방",)
        cursor.execute("SELECT name FROM inventory_rateplan WHERE id = %s", [plan.pk])
        assert cursor.fetchone() != ("기본",)
