"""Bad input never reaches PostgreSQL as a 500: every URL of the resolver, hostile values.

The routes come from the URL resolver, so a new route is covered without anyone
listing it. Each is asked with a NUL byte in its path parameters and in its query,
as a guest, as a superuser (the admin and the back office) and as a partner (the API).
"""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

NUL = "%00"
# A value for each path converter: the hostile one where the converter allows it.
VALUES = {
    "int": "1",
    "slug": "hotel-1",
    "str": f"AB{NUL}CD",
    "path": f"1{NUL}",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
HOSTILE_QUERY = (
    f"q=ab{NUL}c&p={NUL}&o={NUL}&cursor=cD0yMDI2LTEzLTQ1&check_in=2026-13-45"
    f"&term=a{NUL}&city={NUL}&status={NUL}&hotel__id__exact=1{NUL}&date={NUL}"
)


def routes(resolver=None, prefix=""):
    """Yield every route of the resolver as a concrete path."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield concrete(pattern)


def concrete(pattern: str) -> str:
    """Fill a route's converters (and the admin's regex groups) with sample values."""
    path = re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: VALUES.get(m.group(1) or "str", "x"),
        pattern,
    )
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)  # regex groups (admin app_list)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"\.\*$", "anything", path)
    return "/" + path.lstrip("/")


@pytest.fixture
def partner_key():
    partner = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    return partner_key_create(partner=partner, name="k", scopes=["booking"])[1]


@pytest.fixture
def channel_key(hotel):
    partner = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    partner.hotels.add(hotel)
    return partner_key_create(partner=partner, name="c", scopes=["ari"])[1]


def assert_no_5xx(response, url):
    assert response.status_code < 500, f"{url} → {response.status_code}"


def test_every_route_answers_hostile_paths_and_queries_without_a_5xx(
    client, admin_client, partner_key, hold
):
    hold()  # one booking, so that list pages have a row to render
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=partner_key)
    urls = sorted(set(routes()))
    assert len(urls) > 100  # the admin, the site and the API are all there
    for url in urls:
        for caller in (client, admin_client, api):
            for target in (url, f"{url}?{HOSTILE_QUERY}"):
                response = caller.get(target)
                assert_no_5xx(response, target)


def test_every_api_answer_is_a_problem_document_even_for_hostile_input(partner_key):
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=partner_key)
    for url in sorted({u for u in routes() if u.startswith("/api/v1/")}):
        if url.endswith("/schema/"):
            continue
        response = api.get(f"{url}?{HOSTILE_QUERY}")
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), url


@pytest.mark.parametrize("target", ["bookings", "ari", "webhooks"])
def test_deeply_nested_json_is_a_400_problem(partner_key, channel_key, hotel, target):
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=channel_key if target == "ari" else partner_key)
    url = f"/api/v1/hotels/{hotel.pk}/ari/" if target == "ari" else f"/api/v1/{target}/"
    body = "[" * 10_000 + "]" * 10_000

    response = api.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="deep-1"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "nested" in response.json()["detail"]


def test_an_over_size_body_is_a_413_problem(partner_key, settings):
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=partner_key)
    body = json.dumps({"guest": {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}})

    response = api.post(
        "/api/v1/bookings/",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="big-1",
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_cursor_that_decodes_to_a_bad_position_is_a_400(partner_key):
    api = APIClient()
    api.credentials(HTTP_X_API_KEY=partner_key)

    # base64 of "p=2026-13-45": a well-formed cursor whose position is no date.
    response = api.get("/api/v1/bookings/?cursor=cD0yMDI2LTEzLTQ1")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
