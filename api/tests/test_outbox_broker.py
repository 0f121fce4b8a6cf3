"""The broker really stopped during bookings: nothing fails, nothing is lost.

The test runs its own redis-server as the Celery broker, stops it, books, lets the
relay fail, starts the broker again, and a real Celery worker (a thread) runs the
handlers: the site guest's e-mail and the partner's webhook, each once (a partner's
guest gets no "pay before the hold ends" e-mail: the partner collects).
"""

import time

import pytest
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections

from booking.models import Booking, BookingStatus
from core import outbox
from core.models import OutboxEvent
from core.testing import RedisServer

from .test_webhooks import Receiver, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # A worker thread and a redis-server of its own: keep it off the busy worker.
    pytest.mark.xdist_group("broker"),
]


@pytest.fixture
def broker(monkeypatch):
    """A Celery app on a redis-server of the test's own; the project's app after."""
    server = RedisServer()
    server.start()
    project = current_app._get_current_object()
    project.loader.import_default_modules()  # every app's tasks, for the worker
    app = Celery("innkeep-broker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=server.url,
        task_always_eager=False,  # the test settings run tasks eagerly: not here
        broker_connection_timeout=1,
        broker_connection_retry_on_startup=False,
    )
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the worker's Django checks
    yield app, server
    # start_worker made the test app the default; give the project its app back.
    project.set_default()
    project.set_current()
    server.close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


ran: list[str] = []


def after_task(task=None, **kwargs):
    ran.append(task.name)
    connections.close_all()  # the worker thread's own, so the test database can go


handled: list[tuple[int, str]] = []


def count_event(booking_id: int, event: str, data: dict) -> None:
    """A BOOKING_EVENT_HANDLERS entry of this test: what reached the handlers."""
    handled.append((booking_id, event))


def dispatched() -> int:
    return len(handled)


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_bookings_made_while_the_broker_is_down_reach_their_handlers_once_it_is_back(
    broker, settings, api, post, booking_body, receiver, hold
):
    app, server = broker
    settings.BOOKING_EVENT_HANDLERS = [
        "notifications.tasks.on_booking_event",
        "api.tasks.on_booking_event",
        "api.tests.test_outbox_broker.count_event",
    ]
    handled.clear()
    register(api, post, receiver.url("/agency"), ["booking.held"])
    mail.outbox.clear()

    server.stop()  # the broker is gone
    response = post(api, "/api/v1/bookings/", booking_body)
    site = hold(offset=20)

    assert response.status_code == 201, response.json()
    partner = Booking.objects.get(reference=response.json()["reference"])
    assert {partner.status, site.status} == {BookingStatus.HELD}
    assert outbox.pending_count() == 2

    report = outbox.relay(app=app)  # no exception escapes

    assert (report.broker_down, report.published) == (True, 0)
    assert outbox.pending_count() == 2
    assert set(OutboxEvent.objects.values_list("attempts", flat=True)) == {1}
    assert "111" in OutboxEvent.objects.first().last_error  # connection refused

    server.start()  # the broker is back
    assert outbox.drain(app=app) == 2
    assert outbox.pending_count() == 0

    ran.clear()
    task_postrun.connect(after_task, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            assert wait_for(lambda: len(mail.outbox) == 1 and receiver.requests)
            # A relay that died before committing publishes its batch again.
            OutboxEvent.objects.update(published_at=None)
            assert outbox.drain(app=app) == 2
            assert wait_for(lambda: dispatched() == 4 and not _queued(app))
            time.sleep(0.5)  # what the redelivered handlers queued, if anything
    finally:
        task_postrun.disconnect(after_task)

    assert [m.to[0] for m in mail.outbox] == [site.guest_email]
    assert "are held until" in mail.outbox[0].subject
    # Both events came twice (the redelivery), in one message each time.
    assert sorted(handled) == sorted(
        [(partner.pk, "booking.held"), (site.pk, "booking.held")] * 2
    )
    assert ran.count("core.outbox.dispatch_batch") == 2
    [(_, headers, body)] = receiver.requests
    assert headers["Innkeep-Event"] == "booking.held"
    held = OutboxEvent.objects.get(aggregate_id=partner.pk)
    assert f'"id":"{held.pk}"' in body.decode()


def _queued(app) -> int:
    with app.connection_for_read() as conn:
        return conn.default_channel.client.llen("celery")
