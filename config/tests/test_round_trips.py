"""Round trips of one hold through the API, counted on the wire (the issue's targets).

PostgreSQL: every message the client sends that waits for an answer (a simple `Query`
or an extended-protocol `Sync`), read from libpq's trace of the connection: BEGIN and
COMMIT are separate messages and count. Redis: every command or pipeline/script sent
(`send_packed_command`) to the real server. The request goes through the API's own
middleware chain (config/routing.py), as gunicorn serves it.
"""

import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
import redis.connection
from celery.signals import task_prerun
from django.db import connection
from django_redis import get_redis_connection
from rest_framework.test import APIClient, ForceAuthClientHandler

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from api.frontdoor import epoch_name
from booking.models import Booking
from config.routing import ApiMiddlewareMixin
from core.models import OutboxEvent


def ignore_event(booking_id, event, data):
    """A booking event handler that does nothing (its cost is not the hold's)."""


class ApiChainHandler(ApiMiddlewareMixin, ForceAuthClientHandler):
    """The test client's handler with the API's middleware chain."""


@contextmanager
def counted(monkeypatch):
    """Count PostgreSQL and Redis round trips and event publications in the block."""
    counts = {"pg": 0, "redis": 0, "redis_in_transaction": 0, "published": 0}
    real_send = redis.connection.AbstractConnection.send_packed_command

    def send(self, command, check_health=True):
        counts["redis"] += 1
        counts["redis_in_transaction"] += connection.in_atomic_block
        return real_send(self, command, check_health)

    def on_task(sender=None, **kwargs):
        if sender.name == "booking.tasks.dispatch_booking_event":
            counts["published"] += 1

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        monkeypatch.setattr(
            redis.connection.AbstractConnection, "send_packed_command", send
        )
        task_prerun.connect(on_task)
        try:
            yield counts
        finally:
            task_prerun.disconnect(on_task)
            monkeypatch.undo()
            pgconn.untrace()
            trace.seek(0)
            sent = [line.split("\t") for line in trace.read().splitlines()]
            counts["pg"] = sum(
                1 for line in sent if line[0] == "F" and line[2] in ("Query", "Sync")
            )
            counts["pg_messages"] = [
                line[3].strip()[:60] for line in sent if line[0] == "F"
            ]


@pytest.fixture
def partner_client(settings):
    settings.BOOKING_EVENT_HANDLERS = ["config.tests.test_round_trips.ignore_event"]
    partner = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    raw = partner_key_create(partner=partner, name="rush", scopes=["booking"])[1]
    client = APIClient()
    client.handler = ApiChainHandler(enforce_csrf_checks=False)
    client.credentials(HTTP_X_API_KEY=raw)
    # Redis has been up longer than a key lives: its markers can be trusted.
    get_redis_connection("default").set(epoch_name(), int(time.time()) - 25 * 3600)
    return client


def hold(client, body):
    return client.post(
        "/api/v1/bookings/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


@pytest.mark.django_db(transaction=True)
def test_a_hold_costs_four_postgresql_and_one_redis_round_trip(
    partner_client, rate_plan, today, monkeypatch
):
    check_in = today + timedelta(days=10)
    body = {
        "rate_plan": rate_plan.pk,
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=2)),
        "adults": 1,
        "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    }
    assert hold(partner_client, body).status_code == 201  # caches the key's row

    with counted(monkeypatch) as counts:
        response = hold(partner_client, body)

    assert response.status_code == 201, response.json()
    # BEGIN; bound lock waits + read the plan + lock the nights; take + insert; COMMIT.
    assert counts["pg"] <= 4, counts["pg_messages"]
    assert counts["pg_messages"][0].startswith('"BEGIN"')
    assert counts["pg_messages"][-1].startswith('"COMMIT"')
    # The front door: key row, throttle, last use, key marker, sold-out hint.
    assert counts["redis"] <= 2
    assert counts["redis_in_transaction"] == 0
    # Nothing goes to the broker on the request path: booking.held is an outbox row,
    # written by the booking's own INSERT statement (counted above), for the relay.
    assert counts["published"] == 0
    assert Booking.objects.count() == 2
    assert OutboxEvent.objects.filter(published_at=None).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_sold_out_answer_costs_one_redis_round_trip_and_no_sql(
    partner_client, rate_plan, today, monkeypatch
):
    check_in = today + timedelta(days=10)
    body = {
        "rate_plan": rate_plan.pk,
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=1)),
        "adults": 1,
        "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    }
    answers = [hold(partner_client, body).status_code for _ in range(4)]
    assert answers == [201, 201, 201, 409]  # 3 rooms; the refusal leaves the hint

    with counted(monkeypatch) as counts:
        response = hold(partner_client, body)

    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert counts["pg"] == 0, counts["pg_messages"]
    assert counts["redis"] == 1
    assert counts["published"] == 0
