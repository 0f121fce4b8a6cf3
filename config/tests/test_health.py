"""/health/live and /health/ready: ready names every check that failed, with a 503."""

import copy
from datetime import timedelta

import pytest
from celery import current_app
from django.core.cache import caches
from django.db.models.functions import Now
from django.test import Client

from booking.tasks import expire_overdue_holds
from core import heartbeat
from core.models import Heartbeat, OutboxEvent
from core.testing import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def up(settings, tmp_path, monkeypatch):
    """Everything /health/ready asks about is up: its own Redis (cache and broker), a
    media folder, and beat's hold-expiry task has just run."""
    server = RedisServer()
    server.start()
    cache_settings = copy.deepcopy(settings.CACHES)
    cache_settings["default"]["LOCATION"] = server.url
    settings.CACHES = cache_settings
    caches["default"].close()
    # The Celery app's broker (restored after the test), not the setting it was made from.
    monkeypatch.setattr(current_app.conf, "broker_url", server.url)
    settings.MEDIA_ROOT = str(tmp_path)
    expire_overdue_holds.delay()
    yield server
    server.close()


def ready():
    response = Client().get("/health/ready")
    return response.status_code, response.json()


def test_ready_is_200_when_every_check_passes(up):
    status, body = ready()

    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {
        "database",
        "redis",
        "broker",
        "beat",
        "outbox",
        "disk",
    }


def test_ready_is_503_naming_redis_and_the_broker_when_redis_stops(up):
    assert ready()[0] == 200

    up.stop()
    status, body = ready()

    assert status == 503
    assert body["failed"] == ["broker", "redis"]
    assert body["checks"]["database"] == {"status": "ok"}
    # Liveness asks no dependency: the process still answers.
    assert Client().get("/health/live").status_code == 200


def test_ready_is_503_naming_beat_when_the_expiry_heartbeat_is_stale(up):
    Heartbeat.objects.filter(name=heartbeat.HOLD_EXPIRY).update(
        beat_at=Now() - timedelta(minutes=4)
    )

    status, body = ready()

    assert status == 503
    assert body["failed"] == ["beat"]
    assert "last ran 240s ago" in body["checks"]["beat"]["reason"]


def test_ready_is_503_when_the_expiry_task_never_ran(up):
    Heartbeat.objects.all().delete()

    status, body = ready()

    assert (status, body["failed"]) == (503, ["beat"])


def test_ready_is_503_naming_the_outbox_when_events_wait_too_long(up, settings):
    settings.HEALTH_OUTBOX_MAX_LAG_SECONDS = 60
    OutboxEvent.objects.create(topic="booking", aggregate_id=1, event_type="held")
    OutboxEvent.objects.update(created_at=Now() - timedelta(minutes=2))

    status, body = ready()

    assert (status, body["failed"]) == (503, ["outbox"])


def test_ready_is_503_naming_the_disk_when_media_space_runs_low(up, settings):
    settings.HEALTH_MEDIA_MIN_FREE_MB = 10**12  # more than any disk has

    status, body = ready()

    assert (status, body["failed"]) == (503, ["disk"])


def test_probes_answer_before_the_host_check_and_refuse_other_methods(up):
    client = Client(HTTP_HOST="10.0.0.7:8000")  # a probe by address, not a host name

    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 200
    refused = client.post("/health/ready")
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"
