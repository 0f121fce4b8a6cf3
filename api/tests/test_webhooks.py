"""Booking events reach the booking's partner, signed, retried with backoff until accepted."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from api import webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from booking.events import dispatch_booking_event, handling
from core import outbox
from core.models import OutboxEvent
from core.testing import run_together

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that answers 500 to the first `failures` requests, then 200."""

    def __init__(self, failures=0):
        self.failures = failures
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                failed = len([r for r in receiver.requests if r[0] == self.path])
                self.send_response(500 if failed <= receiver.failures else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver(failures=2)
    yield server
    server.close()


def register(client, post, url, events=None):
    response = post(client, "/api/v1/webhooks/", {"url": url, "events": events or []})
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_event_is_retried_until_accepted_and_every_attempt_is_signed(
    api, other_api, post, booking_body, receiver, django_capture_on_commit_callbacks
):
    mine = register(api, post, receiver.url("/agency"))
    register(other_api, post, receiver.url("/other"))

    with django_capture_on_commit_callbacks(execute=True):
        reference = post(api, "/api/v1/bookings/", booking_body).json()["reference"]
        outbox.drain()

    attempts = [r for r in receiver.requests if r[0] == "/agency"]
    assert len(attempts) == 3  # failed twice, then accepted
    assert not [r for r in receiver.requests if r[0] == "/other"]
    for _, headers, body in attempts:
        assert webhooks.verify(mine["secret"], headers["Innkeep-Signature"], body)
        assert not webhooks.verify(
            mine["secret"], headers["Innkeep-Signature"], body + b" "
        )
        assert headers["Innkeep-Event"] == "booking.held"
    payload = json.loads(attempts[-1][2])
    assert payload["type"] == "booking.held"
    assert payload["data"]["booking"]["reference"] == reference
    assert len({json.loads(b)["id"] for _, _, b in attempts}) == 1  # one event, retried
    held = OutboxEvent.objects.get(event_type="booking.held")
    assert payload["id"] == str(held.pk)  # the event's own id

    log = api.get(f"/api/v1/webhooks/{mine['id']}/deliveries/").json()["results"]
    assert [
        (d["event"], d["status"], d["attempts"], d["last_status_code"]) for d in log
    ] == [("booking.held", "succeeded", 3, 200)]


def test_an_endpoint_gets_only_the_events_it_asked_for(
    api, post, booking_body, receiver, django_capture_on_commit_callbacks
):
    receiver.failures = 0
    register(api, post, receiver.url("/confirmed"), ["booking.confirmed"])

    with django_capture_on_commit_callbacks(execute=True):
        reference = post(api, "/api/v1/bookings/", booking_body).json()["reference"]
        post(api, f"/api/v1/bookings/{reference}/confirm/")
        post(api, f"/api/v1/bookings/{reference}/cancel/")
        outbox.drain()

    assert [r[1]["Innkeep-Event"] for r in receiver.requests] == ["booking.confirmed"]


def test_a_redelivered_event_makes_one_delivery_per_endpoint(
    api, post, booking_body, receiver
):
    register(api, post, receiver.url("/a"))
    register(api, post, receiver.url("/b"))
    post(api, "/api/v1/bookings/", booking_body)
    held = OutboxEvent.objects.get(event_type="booking.held")

    for _ in range(3):  # published again by a relay that died, or a redelivered task
        dispatch_booking_event(
            held.aggregate_id, held.event_type, held.data, event_id=str(held.pk)
        )

    deliveries = WebhookDelivery.objects.select_related("endpoint")
    assert sorted(d.endpoint.url.rsplit("/", 1)[1] for d in deliveries) == ["a", "b"]
    assert {d.payload["id"] for d in deliveries} == {str(held.pk)}


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_event_at_once_make_one_delivery(
    api, post, booking_body, receiver
):
    register(api, post, receiver.url("/a"))
    post(api, "/api/v1/bookings/", booking_body)
    held = OutboxEvent.objects.get(event_type="booking.held")

    def handle(_):
        with handling(str(held.pk)), transaction.atomic():
            return webhooks.deliveries_create(
                booking_id=held.aggregate_id, event=held.event_type, data={}
            )

    outcomes = run_together(4, handle)

    assert [o.error for o in outcomes] == [None] * 4
    assert sorted(len(o.value) for o in outcomes) == [0, 0, 0, 1]
    assert WebhookDelivery.objects.count() == 1


def test_a_partner_cannot_read_another_partners_delivery_log(
    api, other_api, post, receiver
):
    theirs = register(other_api, post, receiver.url("/x"))

    assert api.get(f"/api/v1/webhooks/{theirs['id']}/deliveries/").status_code == 404
    assert api.delete(f"/api/v1/webhooks/{theirs['id']}/").status_code == 404
    assert WebhookEndpoint.objects.get(pk=theirs["id"]).is_active


def test_a_failed_attempt_waits_longer_each_time_and_gives_up_at_the_limit(
    settings, api, post, receiver
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.failures = 99
    endpoint = WebhookEndpoint.objects.get(
        pk=register(api, post, receiver.url("/down"))["id"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="booking.held", booking_reference="X", payload={"a": 1}
    )

    waits = [webhooks.deliver(str(delivery.pk)) for _ in range(3)]

    base = settings.WEBHOOK_BACKOFF_BASE_SECONDS
    assert base / 2 <= waits[0] <= base
    assert base <= waits[1] <= 2 * base
    assert waits[2] is None  # given up
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "failed",
        3,
        500,
    )
    assert webhooks.deliver(str(delivery.pk)) is None and len(receiver.requests) == 3


def test_backoff_doubles_with_jitter_up_to_a_cap(settings):
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_MAX_SECONDS = 100

    samples = {
        attempt: [webhooks.backoff(attempt) for _ in range(200)]
        for attempt in range(1, 8)
    }

    for attempt, values in samples.items():
        ceiling = min(100, 10 * 2 ** (attempt - 1))
        assert all(ceiling / 2 <= v <= ceiling for v in values)
        assert len(set(values)) > 100  # jittered, not a fixed schedule


def test_production_refuses_plain_http_and_private_addresses(settings, api, post):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    plain = post(api, "/api/v1/webhooks/", {"url": "http://example.com/h"})
    private = post(api, "/api/v1/webhooks/", {"url": "https://127.0.0.1/h"})

    assert plain.status_code == 422 and private.status_code == 422
    assert {e["field"] for e in private.json()["errors"]} == {"url"}
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://224.0.0.251/h",  # multicast
        "https://240.0.0.1/h",  # reserved
        "https://0.0.0.0/h",  # unspecified
        "https://[ff02::1]/h",  # IPv6 multicast
        "https://93.184.216.34:8443/h",  # a public address, another port
        "https://partner:secret@93.184.216.34/h",  # credentials
        "https://93.184.216.34:99999/h",  # no such port
    ],
)
def test_production_refuses_multicast_reserved_other_ports_and_credentials(
    settings, api, post, url
):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    response = post(api, "/api/v1/webhooks/", {"url": url})

    assert response.status_code == 422, response.json()
    assert {e["field"] for e in response.json()["errors"]} == {"url"}
    assert not WebhookEndpoint.objects.exists()


def test_production_takes_a_public_https_url_on_port_443(settings, api, post):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    response = post(api, "/api/v1/webhooks/", {"url": "https://93.184.216.34:443/h"})

    assert response.status_code == 201, response.json()


def test_credentials_are_refused_even_where_private_urls_are_allowed(api, post):
    response = post(api, "/api/v1/webhooks/", {"url": "http://u:p@127.0.0.1:9/h"})

    assert response.status_code == 422
    assert not WebhookEndpoint.objects.exists()
