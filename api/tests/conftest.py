"""Partners, keys and API clients on top of the booking tests' small hotel."""

import time
import uuid
from datetime import timedelta

import pytest
from django_redis import get_redis_connection
from rest_framework.test import APIClient

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from api.frontdoor import epoch_name


def client_for(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_key)
    return client


@pytest.fixture(autouse=True)
def redis_up_for_a_day(_clear_cache):
    """Redis has been up longer than a key lives: its Idempotency-Key markers count.

    A test of a Redis that just started deletes the marker again.
    """
    connection = get_redis_connection("default")
    connection.set(epoch_name(), int(time.time()) - 25 * 3600)


@pytest.fixture
def agency():
    return PartnerFactory(kind=Partner.Kind.DISTRIBUTION)


@pytest.fixture
def agency_key(agency):
    return partner_key_create(partner=agency, name="live", scopes=["booking"])[1]


@pytest.fixture
def api(agency_key):
    """A client of the agency: booking scope."""
    return client_for(agency_key)


@pytest.fixture
def other_api():
    partner = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    return client_for(
        partner_key_create(partner=partner, name="b", scopes=["booking"])[1]
    )


@pytest.fixture
def channel(hotel):
    partner = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    partner.hotels.add(hotel)
    return partner


@pytest.fixture
def channel_api(channel):
    return client_for(
        partner_key_create(partner=channel, name="ari", scopes=["ari"])[1]
    )


@pytest.fixture
def booking_body(rate_plan, today):
    check_in = today + timedelta(days=10)
    return {
        "rate_plan": rate_plan.pk,
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=2)),
        "rooms": 1,
        "adults": 2,
        "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    }


@pytest.fixture
def post():
    """POST JSON with a fresh Idempotency-Key unless one is given."""

    def send(client, url, body=None, key=None, **extra):
        key = key or str(uuid.uuid4())
        return client.post(
            url, body or {}, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra
        )

    return send
