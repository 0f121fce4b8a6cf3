"""Keys, scopes, the problem format of every refusal, and the rate limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import PartnerAPIKey
from accounts.services import partner_key_create, partner_key_revoke, partner_update
from accounts.tests.factories import PartnerFactory
from core.errors import ValidationError

from .conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/bookings/"  # any GET that needs no parameters


def test_only_a_hash_of_the_key_is_stored_and_it_is_shown_once(agency):
    key, raw = partner_key_create(partner=agency, name="k", scopes=["booking"])

    stored = PartnerAPIKey.objects.get(pk=key.pk)
    assert raw.startswith(stored.prefix + ".")
    assert raw.split(".", 1)[1] not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")


def test_no_key_is_a_401_problem(client):
    response = client.get(LIST)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_secret_with_a_real_prefix_is_a_401(agency_key):
    prefix = agency_key.split(".")[0]

    response = client_for(prefix + ".wrong-secret").get(LIST)

    assert response.status_code == 401


def test_a_revoked_key_stops_working(api, agency_key):
    assert api.get(LIST).status_code == 200

    partner_key_revoke(key_id=PartnerAPIKey.objects.get().pk)

    assert client_for(agency_key).get(LIST).status_code == 401


def test_an_expired_key_does_not_work(agency):
    _, raw = partner_key_create(
        partner=agency,
        name="old",
        scopes=["booking"],
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert client_for(raw).get(LIST).status_code == 401


def test_disabling_a_partner_stops_its_keys_at_once(api, agency):
    assert api.get(LIST).status_code == 200  # the key is now cached in Redis

    agency.is_active = False
    partner_update(partner=agency)

    assert api.get(LIST).status_code == 401


def test_revoking_in_the_admin_stops_the_key_at_once(admin_client, api):
    assert api.get(LIST).status_code == 200
    key = PartnerAPIKey.objects.get()

    admin_client.post(
        f"/admin/accounts/partnerapikey/{key.pk}/change/",
        {"name": key.name, "revoked": "on"},
    )

    assert PartnerAPIKey.objects.get().revoked
    assert api.get(LIST).status_code == 401


def test_an_authenticated_read_needs_no_query_for_the_key(
    api, django_assert_num_queries
):
    api.get(LIST)

    with django_assert_num_queries(1):  # the bookings page itself
        assert api.get(LIST).status_code == 200


def test_the_key_records_when_it_was_last_used(api):
    assert PartnerAPIKey.objects.get().last_used_at is None

    api.get(LIST)

    assert PartnerAPIKey.objects.get().last_used_at is not None


def test_a_channel_manager_cannot_get_a_booking_key():
    partner = PartnerFactory(kind="channel_manager")

    with pytest.raises(ValidationError):
        partner_key_create(partner=partner, name="x", scopes=["booking"])


def test_an_unknown_api_path_is_a_404_problem(api):
    response = api.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_405_problem(api):
    response = api.delete(LIST)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_past_the_rate_a_key_gets_429_with_retry_after(settings, api, other_api):
    settings.API_THROTTLE_RATE = "3/minute"

    answers = [api.get(LIST) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    throttled = answers[-1]
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert throttled.json()["code"] == "throttled"
    assert throttled["Content-Type"] == "application/problem+json"
    assert other_api.get(LIST).status_code == 200  # counted per key


def test_the_schema_and_the_docs_are_served_without_a_cdn(client):
    schema = client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
