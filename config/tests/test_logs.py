"""Structured logs: request ids on every line and into tasks; nothing secret in any line."""

import io
import json
import logging
import threading
from datetime import timedelta

import pytest
import structlog
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from booking.models import Booking
from config.celery import app as celery_app
from core import logs
from core.models import OutboxEvent
from core.testing import RedisServer
from storefront.tests.site import book

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-91"
CARD = "4242 4242 4242 4242"
STRIPE_SECRET = "sk_live_" + "51HxYzAbCdEfGhIjKlMnOp"
EMAIL = "grace.hopper@example.com"


@pytest.fixture
def lines():
    """Every log line written while the test runs, through production's JSON formatter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logs.formatter(json=True))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def read() -> list[dict]:
        handler.flush()
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line]

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_login_a_booking_a_payment_and_an_api_call_log_no_secret(
    lines, rate_plan, today
):
    User.objects.create_user("grace", EMAIL, PASSWORD)
    partner = PartnerFactory()
    _, api_key = partner_key_create(partner=partner, name="live", scopes=["booking"])
    client = Client()

    # A failed then a good sign-in, a booking and its payment on the site.
    client.post(
        reverse("account_login"), {"login": EMAIL, "password": "wrong-" + PASSWORD}
    )
    client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    response = book(
        client, rate_plan, today + timedelta(days=12), guest={"email": EMAIL}
    )
    booking = Booking.objects.get()
    paid = client.post(response["Location"], {"card_number": CARD})
    assert paid.status_code == 302
    # A partner call with its key, and one with a key that does not exist.
    Client(HTTP_X_API_KEY=api_key).get("/api/v1/bookings/")
    Client(HTTP_X_API_KEY=api_key[:-4] + "abcd").get("/api/v1/bookings/")
    # Code that logs carelessly, as it one day will.
    log = logging.getLogger("innkeep.careless")
    log.warning("login %s password=%s card %s", EMAIL, PASSWORD, CARD)
    log.warning("stripe said no to %s with key %s", booking.reference, STRIPE_SECRET)
    structlog.get_logger("innkeep.careless").info(
        "partner call",
        api_key=api_key,
        headers={"Authorization": f"Bearer {api_key}"},
        guest={"email": EMAIL, "password": PASSWORD},
        note=f"paid with {CARD}",
    )

    written = lines()
    text = "\n".join(json.dumps(line) for line in written)
    assert len(written) >= 5
    for secret in (
        PASSWORD,
        STRIPE_SECRET,
        api_key,
        api_key.split(".")[1],
        EMAIL,
        CARD,
        CARD.replace(" ", ""),
    ):
        assert secret not in text, secret
    assert "g***@example.com" in text
    # The booking's own lines carry its request id, reference and hotel.
    held = next(line for line in written if line["event"] == "booking held")
    assert held["booking"] == booking.reference
    assert held["hotel"] == booking.hotel.slug
    assert held["request_id"] == response["X-Request-ID"]


def test_a_sane_request_id_is_kept_and_echoed_and_a_wild_one_replaced(client):
    kept = client.get("/health/live/x", HTTP_X_REQUEST_ID="edge-1234-abcd")
    wild = client.get("/", HTTP_X_REQUEST_ID="<script>" + "x" * 100)
    none = client.get("/")

    assert kept["X-Request-ID"] == "edge-1234-abcd"
    assert len(wild["X-Request-ID"]) == 32 and "<" not in wild["X-Request-ID"]
    assert len(none["X-Request-ID"]) == 32
    assert none["X-Request-ID"] != wild["X-Request-ID"]


def test_the_outbox_keeps_the_request_id_of_the_booking_that_wrote_it(rate_plan, today):
    client = Client(HTTP_X_REQUEST_ID="req-outbox-1")

    response = book(client, rate_plan, today + timedelta(days=12))

    assert response["X-Request-ID"] == "req-outbox-1"
    event = OutboxEvent.objects.get(event_type="booking.held")
    assert event.request_id == "req-outbox-1"


def test_a_task_logs_under_the_request_id_of_the_request_that_queued_it(lines):
    broker = RedisServer()
    broker.start()
    # No Django fixup (it would close the test's connection) and the root logger kept.
    app = Celery("innkeep-test", broker=broker.url, fixups=[], set_as_current=False)
    app.conf.task_always_eager = False
    app.conf.worker_hijack_root_logger = False
    seen = {}
    done = threading.Event()

    @app.task(name="innkeep.test.log_something")
    def log_something():
        logging.getLogger("innkeep.task").info("task ran")
        seen.update(structlog.contextvars.get_contextvars())
        done.set()

    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="INFO"):
            with structlog.contextvars.bound_contextvars(request_id="req-task-42"):
                log_something.delay()
            assert done.wait(30)
    finally:
        # start_worker made its app the current one: the project's is again.
        celery_app.set_current()
        celery_app.set_default()
        broker.close()

    assert seen["request_id"] == "req-task-42"
    ran = next(line for line in lines() if line["event"] == "task ran")
    assert ran["request_id"] == "req-task-42"
    assert ran["task"] == "innkeep.test.log_something"


_PLAIN_APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def test_gunicorns_access_log_redacts_links_that_carry_a_credential(tmp_path):
    """The production gunicorn settings (config/gunicorn.py) over real HTTP: the access
    log keeps the path and status, not the signed link, reset key or client secret."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    import requests
    from django.conf import settings

    from core.testing import free_port

    (tmp_path / "plain_app.py").write_text(_PLAIN_APP)
    port = free_port()
    access_log = tmp_path / "access.log"
    web = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("-c", "config/gunicorn.py", "--pythonpath", str(tmp_path)),
            "plain_app:app",
        ],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": str(access_log),
            "GUNICORN_LOG_LEVEL": "warning",
        },
        stderr=subprocess.DEVNULL,
    )
    secrets = {
        "open-link token": "ImJrLTEyMyI:1tQ2Xy:Zt7c3sU0e9yqNv0",
        "confirmation key": "MjM:1tQ2Xy:kQ3EfsvY8s0XlqGQ",
        "reset key": "4-cj2x9k-5f1c0a9e1d7b",
        "client secret": "pi_3Qx_secret_AbCdEf123456",
        "e-mail": "grace.hopper%40example.com",
    }
    paths = [
        f"/bookings/BK7Q2X/open/{secrets['open-link token']}/",
        f"/accounts/confirm-email/{secrets['confirmation key']}/",
        f"/accounts/password/reset/key/{secrets['reset key']}/",
        f"/pay/BK7Q2X/done/?payment_intent_client_secret={secrets['client secret']}",
        f"/bookings/find/?email={secrets['e-mail']}&ref=BK7Q2X",
    ]
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/up", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        for path in paths:
            assert requests.get(f"http://127.0.0.1:{port}{path}").status_code == 200
    finally:
        web.terminate()
        web.wait(timeout=30)

    logged = access_log.read_text()
    assert logged.count(" 200 ") == len(paths) + 1
    for what, secret in secrets.items():
        assert secret not in logged, what
    # What an operator needs stays: the route and the reference.
    assert "/bookings/BK7Q2X/open/[token]/" in logged
    assert "ref=BK7Q2X" in logged
