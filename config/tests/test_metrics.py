"""/metrics: the domain's metrics move with what happens, and production guards them."""

import os
import secrets
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models.functions import Now
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from booking.models import Booking
from booking.tasks import expire_overdue_holds
from booking.tests.factories import make_overdue
from core.errors import Busy, Unavailable
from core.models import OutboxEvent
from core.testing import RedisServer
from inventory.models import Inventory
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def scrape(client=None, **headers) -> dict[tuple, float]:
    """Return every sample of /metrics by (name, sorted labels)."""
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def delta(before, after, name, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_a_hold_a_sold_out_an_expiry_and_a_payment_each_move_their_metric(hold):
    before = scrape()

    first, second, _ = (hold(offset=20, nights=1) for _ in range(3))  # 3 rooms
    with pytest.raises(Unavailable):
        hold(offset=20, nights=1)  # found short under the lock
    with pytest.raises(Unavailable):
        hold(offset=20, nights=1)  # told by the Redis hint, no lock
    assert pay(first).status_code == 302
    make_overdue(second)
    expire_overdue_holds.delay()

    after = scrape()
    assert delta(before, after, "innkeep_holds_taken_total", source="site") == 3
    assert delta(before, after, "innkeep_sold_out_answers_total", where="lock") == 1
    assert delta(before, after, "innkeep_sold_out_answers_total", where="hint") == 1
    assert delta(before, after, "innkeep_payments_total", outcome="succeeded") == 1
    assert delta(before, after, "innkeep_holds_expired_total") == 1
    # Three holds and the sold-out one took their locks; the hinted one never did.
    assert delta(before, after, "innkeep_lock_wait_seconds_count") == 4
    assert delta(before, after, "innkeep_lock_held_seconds_count") == 4
    age = after[
        ("innkeep_beat_heartbeat_age_seconds", (("job", "expire-overdue-holds"),))
    ]
    assert 0 <= age < 60
    assert Booking.objects.filter(pk=second.pk, status="expired").exists()


@pytest.mark.django_db(transaction=True)
def test_a_lock_wait_past_the_timeout_counts_a_busy_answer(
    settings, hold, room_type, today
):
    settings.INVENTORY_LOCK_TIMEOUT_MS = 200
    night = today + timedelta(days=30)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row_lock():
        try:
            with transaction.atomic():
                Inventory.objects.select_for_update().get(
                    room_type=room_type, date=night
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    before = scrape()
    blocker = threading.Thread(target=hold_the_row_lock)
    blocker.start()
    try:
        assert locked.wait(10)
        with pytest.raises(Busy):
            hold(offset=30, nights=1)
    finally:
        release.set()
        blocker.join()

    after = scrape()
    assert delta(before, after, "innkeep_busy_answers_total") == 1
    assert delta(before, after, "innkeep_holds_taken_total", source="site") == 0


def test_outbox_lag_is_the_age_of_the_oldest_unpublished_event():
    OutboxEvent.objects.create(topic="booking", aggregate_id=1, event_type="held")
    OutboxEvent.objects.update(created_at=Now() - timedelta(minutes=5))

    samples = scrape()

    assert samples[("innkeep_outbox_lag_seconds", ())] >= 290
    assert samples[("innkeep_outbox_pending", ())] == 1


def test_queue_depth_is_read_from_the_broker_at_scrape_time(monkeypatch):
    broker = RedisServer()
    broker.start()
    try:
        monkeypatch.setattr(current_app.conf, "broker_url", broker.url)
        import redis

        redis.Redis.from_url(broker.url).lpush("celery", "a", "b", "c")

        samples = scrape()

        assert samples[("innkeep_celery_queue_depth", (("queue", "celery"),))] == 3
        broker.stop()
        # The broker gone: the scrape still answers, without that gauge.
        samples = scrape()
        assert ("innkeep_celery_queue_depth", (("queue", "celery"),)) not in samples
        assert ("innkeep_outbox_pending", ()) in samples
    finally:
        broker.close()


def test_site_requests_are_counted_by_status(client):
    before = scrape()

    client.get("/no-such-page/")

    after = scrape()
    assert (
        delta(
            before, after, "django_http_responses_total_by_status_total", status="404"
        )
        == 1
    )


TOKEN = "metrics-" + "t" * 32


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 403),
        ({"HTTP_AUTHORIZATION": "Bearer wrong"}, 403),
        ({"HTTP_AUTHORIZATION": f"Basic {TOKEN}"}, 403),
        ({"HTTP_AUTHORIZATION": "Bearer"}, 403),
        ({"HTTP_AUTHORIZATION": "\x00\xff garbage"}, 403),
        ({"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}, 200),
        ({"HTTP_AUTHORIZATION": f"bearer  {TOKEN} "}, 200),
    ],
)
def test_with_auth_required_metrics_need_the_bearer_token(settings, headers, status):
    settings.METRICS_REQUIRE_AUTH = True
    settings.METRICS_TOKEN = TOKEN

    response = Client().get("/metrics", **headers)

    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert b"innkeep_" not in response.content


def test_an_allowed_network_is_the_client_address_the_trusted_proxy_reports(settings):
    settings.METRICS_REQUIRE_AUTH = True
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "not a network"]
    settings.TRUSTED_PROXY_COUNT = 1
    inside = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.1.2.3"}
    # The client wrote the left entry itself; the proxy appended the real address.
    spoofed = {"HTTP_X_FORWARDED_FOR": "10.1.2.3, 203.0.113.9"}

    assert Client().get("/metrics", **inside).status_code == 200
    assert Client().get("/metrics", **spoofed).status_code == 403
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's, ignored
    assert (
        Client(REMOTE_ADDR="203.0.113.9").get("/metrics", **inside).status_code == 403
    )


def test_with_auth_required_and_nothing_configured_metrics_do_not_exist(settings):
    settings.METRICS_REQUIRE_AUTH = True
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []

    assert Client().get("/metrics").status_code == 404


_PRODUCTION_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="innkeep.example.com")
plain = client.get("/metrics").status_code
keyed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + settings.METRICS_TOKEN)
print(plain, keyed.status_code, b"innkeep_holds_taken" in keyed.content)
"""


def test_production_settings_refuse_metrics_without_the_token():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "innkeep.example.com",
        "METRICS_TOKEN": TOKEN,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("METRICS_REQUIRE_AUTH", None)

    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["403", "200", "True"]


_COUNT_TWO = """
import django
django.setup()
from core import metrics
metrics.HOLDS_TAKEN.labels("partner").inc(2)
"""
_SCRAPE = """
import django
django.setup()
from django.test import Client
text = Client().get("/metrics").content.decode()
print(next(l for l in text.splitlines() if 'holds_taken_total{source="partner"}' in l))
"""


def test_in_multiprocess_mode_one_scrape_sums_every_worker_process(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "LOG_LEVEL": "CRITICAL",
    }

    def run(code):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run(_COUNT_TWO)  # two gunicorn or Celery pool processes, one after the other
    run(_COUNT_TWO)

    assert run(_SCRAPE) == 'innkeep_holds_taken_total{source="partner"} 4.0'
