"""The API gives hotel content in the language of `lang` or Accept-Language."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_hotel(hotel, room_type, rate_plan):
    hotel.name_ko = "서울 호텔"
    hotel.description_ko = "도심 한가운데에 있는 호텔입니다."
    hotel.save()
    room_type.name_ko = "디럭스 더블"
    room_type.save()
    return hotel


def test_accept_language_ko_gives_the_korean_name(api, korean_hotel):
    response = api.get(f"/api/v1/hotels/{korean_hotel.pk}/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 200
    assert response.json()["name"] == "서울 호텔"
    assert response.json()["description"] == "도심 한가운데에 있는 호텔입니다."
    assert response["Content-Language"] == "ko"
    assert "Accept-Language" in response["Vary"]


def test_without_a_language_the_content_is_english(api, korean_hotel):
    response = api.get(f"/api/v1/hotels/{korean_hotel.pk}/")

    assert response.json()["name"] == korean_hotel.name_en


def test_lang_wins_over_accept_language_and_falls_back_to_english(
    api, korean_hotel, room_type
):
    response = api.get(
        f"/api/v1/hotels/{korean_hotel.pk}/room-types/?lang=zh-hant",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 200
    [row] = (
        response.json()["results"] if "results" in response.json() else response.json()
    )
    assert row["name"] == room_type.name_en  # no Chinese name: English


def test_an_unknown_lang_is_a_400_problem(api, korean_hotel):
    response = api.get(f"/api/v1/hotels/{korean_hotel.pk}/?lang=xx")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "en, zh-hant, ko" in response.json()["detail"]


def test_the_schema_documents_lang_and_accept_language(client):
    schema = client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    operation = schema["paths"]["/api/v1/hotels/{id}/"]["get"]
    parameters = {(p["name"], p["in"]): p for p in operation["parameters"]}
    assert parameters[("lang", "query")]["schema"]["enum"] == ["en", "zh-hant", "ko"]
    assert ("Accept-Language", "header") in parameters
