"""The outbox relay: each committed row published once, failures kept for later."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from celery import shared_task
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.functions import Now

from core import outbox
from core.models import OutboxEvent
from core.testing import run_together

pytestmark = pytest.mark.django_db

seen: list[tuple] = []


@shared_task(name="core.tests.test_outbox.record")
def record(aggregate_id, event_type, data, event_id=""):
    if data.get("fail"):
        raise RuntimeError("the handler broke")
    if data.get("slow"):
        time.sleep(0.005)  # long enough for two relays' batches to overlap
    seen.append((aggregate_id, event_type, event_id))


@pytest.fixture
def topic(settings):
    settings.OUTBOX_TASKS = {"test": "core.tests.test_outbox.record"}
    seen.clear()
    return "test"


def write(topic, count=1, **data):
    with transaction.atomic():
        return [
            outbox.write(
                topic=topic, aggregate_id=n, event_type="thing.happened", data=data
            )
            for n in range(count)
        ]


def test_the_relay_publishes_each_row_once_with_its_id(topic):
    ids = write(topic, 3)

    assert outbox.drain() == 3
    assert outbox.drain() == 0

    assert sorted(event_id for _, _, event_id in seen) == sorted(ids)
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_publish_each_row_once(topic):
    ids = write(topic, 60, slow=True)

    outcomes = run_together(2, lambda _: outbox.drain(batch_size=5))

    assert [o.error for o in outcomes] == [None, None]
    assert sum(o.value for o in outcomes) == 60
    published = [event_id for _, _, event_id in seen]
    assert sorted(published) == sorted(ids)  # every row, none twice
    assert outbox.pending_count() == 0


def test_a_row_that_fails_waits_while_the_others_go_on(topic):
    [good] = write(topic)
    [bad] = write(topic, fail=True)

    report = outbox.relay()

    assert (report.published, report.failed, report.broker_down) == (1, 1, False)
    failed = OutboxEvent.objects.get(pk=bad)
    assert failed.published_at is None
    assert (failed.attempts, failed.last_error) == (1, "the handler broke")
    assert failed.next_attempt_at is not None
    assert outbox.relay().published == 0  # it waits for its backoff
    # Once its time comes (and its handler works), it goes.
    OutboxEvent.objects.filter(pk=bad).update(data={}, next_attempt_at=Now())
    assert outbox.relay().published == 1
    assert sorted(e for _, _, e in seen) == sorted([good, bad])


def test_the_backoff_doubles_up_to_its_ceiling(settings):
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 60
    assert [outbox.backoff(n) for n in (1, 2, 3, 7, 8)] == [1, 2, 4, 60, 60]


def test_purge_deletes_only_rows_published_long_ago(topic):
    old, recent, pending = write(topic, 3)
    OutboxEvent.objects.filter(pk=old).update(published_at=Now() - timedelta(days=8))
    OutboxEvent.objects.filter(pk=recent).update(published_at=Now())

    assert outbox.purge_published(older_than=timedelta(days=7)) == 1
    assert {str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)} == {
        recent,
        pending,
    }


# A command owns its connection (it drops an old one between passes): no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_command_once_publishes_what_is_due_and_says_so(topic):
    write(topic, 2)
    out = io.StringIO()

    call_command("relay_outbox", "--once", stdout=out)

    assert len(seen) == 2
    assert "published 2" in out.getvalue()
    assert "stopped, 2 events published" in out.getvalue()


def test_a_row_of_an_unknown_topic_is_kept_with_its_error(topic):
    [unknown] = write("nobody-listens")

    assert outbox.relay().failed == 1
    row = OutboxEvent.objects.get(pk=unknown)
    assert row.published_at is None and "nobody-listens" in row.last_error


@pytest.mark.django_db(transaction=True)
def test_the_relay_process_publishes_then_stops_cleanly_on_sigterm():
    with transaction.atomic():
        # A booking event for no booking: its handlers find nothing and do nothing.
        event_id = outbox.write(topic="booking", aggregate_id=0, event_type="x.y")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    relay = subprocess.Popen(
        [sys.executable, "manage.py", "relay_outbox"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while outbox.pending_count() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert OutboxEvent.objects.get(pk=event_id).published_at is not None
        relay.send_signal(signal.SIGTERM)
        output, _ = relay.communicate(timeout=30)
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait()

    assert relay.returncode == 0, output
    assert "started, 1 events pending" in output
    assert "stopped, 1 events published" in output
