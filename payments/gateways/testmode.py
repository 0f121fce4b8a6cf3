"""The test gateway: Stripe's test cards with no network, for development and demos.

It is the Stripe gateway with the real `stripe` client, whose HTTP transport hands each
request to the simulator in-process; the simulator keeps its objects in PostgreSQL so
every web and worker process sees the same "Stripe". The site marks it as TEST MODE.
"""

import json
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import stripe
from django.db import connection, transaction

from ..models import SimulatedObject
from .base import CardDeclined, GatewayError, Intent, InvalidSignature
from .simulator import SimError, Simulator, decode_form
from .stripe_api import StripeGateway

_LOCK_KEY = 7_370_001  # one advisory lock serialises the simulated Stripe account


class DatabaseStore:
    """Simulator state in `SimulatedObject` rows, one transaction per request."""

    @contextmanager
    def lock(self):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            yield

    def get(self, object_id):
        row = SimulatedObject.objects.filter(pk=object_id).first()
        return row.data if row else None

    def put(self, obj):
        SimulatedObject.objects.update_or_create(
            pk=obj["id"], defaults={"kind": obj["object"], "data": obj}
        )

    def add_event(self, event):
        SimulatedObject.objects.create(pk=event["id"], kind="event", data=event)

    def list_events(self):
        return [
            row.data
            for row in SimulatedObject.objects.filter(kind="event").order_by(
                "created_at", "pk"
            )
        ]

    def replay(self, key):
        row = SimulatedObject.objects.filter(idempotency_key=key).first()
        return (row.data["status"], row.data["body"]) if row else None

    def remember(self, key, status, body):
        SimulatedObject.objects.create(
            pk=f"idem_{uuid.uuid4().hex}",
            kind="idempotent_response",
            idempotency_key=key,
            data={"status": status, "body": body},
        )


class InProcessClient(stripe.HTTPClient):
    """A `stripe` HTTP transport that answers from a simulator instead of the network."""

    name = "innkeep-simulator"

    def __init__(self, simulator: Simulator):
        super().__init__()
        self.simulator = simulator

    def request(self, method, url, headers, post_data=None):
        parts = urlsplit(url)
        params = decode_form(parts.query if method.upper() == "GET" else post_data)
        status, body = self.simulator.handle(
            method.upper(),
            parts.path,
            params,
            (headers or {}).get("Idempotency-Key"),
        )
        return json.dumps(body), status, {"Request-Id": "req_simulated"}

    def close(self):
        pass


class TestGateway(StripeGateway):
    """Stripe's test cards, simulated; needs no keys and no network."""

    __test__ = False  # not a pytest test class
    name = "test"
    has_authentication_page = True

    def __init__(self, *, breaker=None):
        self.simulator = Simulator(DatabaseStore())
        super().__init__(
            secret_key="sk_test_simulated",  # noqa: S106 (not a secret)
            max_network_retries=0,
            breaker=breaker,
            http_client=InProcessClient(self.simulator),
        )
        self.test_mode = True

    def authenticate(self, intent_id: str, *, approve: bool) -> Intent:
        """Complete or fail the authentication step, as the cardholder's bank would."""
        status, body = self.simulator.handle(
            "POST", f"/_sim/authenticate/{intent_id}", {"approve": str(approve).lower()}
        )
        if status == 200:
            return Intent.from_data(body)
        error = body["error"]
        if status == 402:
            data = error.get("payment_intent") or error.get("setup_intent")
            raise CardDeclined(
                error["message"],
                error["code"],
                Intent.from_data(data) if data else None,
            )
        raise GatewayError(error["message"], error.get("code", ""))

    def verify_event(self, payload, signature):
        raise InvalidSignature("The test gateway sends no webhooks.")


__all__ = ["DatabaseStore", "InProcessClient", "SimError", "TestGateway"]
