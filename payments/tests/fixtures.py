"""Payments fixtures (a pytest plugin): a fake Stripe server, signed deliveries, plans."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
import stripe
from django.conf import settings as django_settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from inventory.tests.factories import RatePlanFactory
from payments.gateways.breaker import stripe_breaker
from payments.models import Payment

from .fake_stripe import FakeStripe, sign

WEBHOOK_SECRET = "whsec_test_innkeep"


@pytest.fixture(autouse=True)
def _breaker_closed():
    """Every test starts with the shared (Redis) Stripe breaker closed."""
    stripe_breaker().close()
    yield
    stripe_breaker().close()


@pytest.fixture
def fake_stripe(settings):
    """Point the Stripe gateway at a fake Stripe server started for this test."""
    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    yield fake
    fake.stop()


@dataclass
class StripeBackend:
    """Where the Stripe gateway's calls go: the fake server, or Stripe's test mode."""

    name: str
    fake: FakeStripe | None
    client: stripe.StripeClient | None = None

    def events(self, *, type: str, object_id: str) -> list[dict]:
        if self.fake is not None:
            return self.fake.events(type=type, object_id=object_id)
        page = self.client.v1.events.list({"type": type, "limit": 100})
        return [
            e.to_dict()
            for e in reversed(page.data)
            if object_id
            in (e.data.object.get("id"), e.data.object.get("payment_intent"))
        ]


def _backends():
    names = ["fake"]
    if getattr(django_settings, "STRIPE_LIVE_TEST_KEY", "").startswith("sk_test_"):
        names.append("stripe")
    return names


@pytest.fixture(params=_backends())
def stripe_backend(request, settings):
    """The flows both Stripes can run: the fake always, Stripe itself when keyed."""
    if request.param == "fake":
        fake = request.getfixturevalue("fake_stripe")
        yield StripeBackend("fake", fake)
        return
    key = settings.STRIPE_LIVE_TEST_KEY
    settings.STRIPE_SECRET_KEY = key
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_unused"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    yield StripeBackend("stripe", None, stripe.StripeClient(key))


def deliver(client: Client, event: dict, *, secret=WEBHOOK_SECRET, timestamp=None):
    """POST an event to the webhook endpoint, signed as Stripe signs it."""
    payload = json.dumps(event)
    return client.post(
        reverse("payments:stripe_webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret, timestamp),
    )


def pay_at_stripe(fake, payment, card="pm_card_visa"):
    """The guest's card is charged at Stripe (Stripe.js); our server hears nothing yet."""
    fake.act(f"/v1/payment_intents/{payment.gateway_id}/confirm", payment_method=card)
    [event] = fake.events(type="payment_intent.succeeded", object_id=payment.gateway_id)
    return event


def age(payment, minutes=10):
    """Make the payment look `minutes` older, as the sweep only asks about old ones."""
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=F("updated_at") - timedelta(minutes=minutes)
    )


@pytest.fixture
def no_show_fees(settings):
    """Turn on the handler that charges a no-show's fee (off in the other tests)."""
    settings.BOOKING_EVENT_HANDLERS = [
        *settings.BOOKING_EVENT_HANDLERS,
        "payments.tasks.on_booking_event",
    ]


@pytest.fixture
def pay_at_hotel_plan(request):
    """A pay-at-hotel rate plan (card guarantee) beside the pay-now one."""
    return RatePlanFactory(
        room_type=request.getfixturevalue("room_type"),
        cancellation_policy=request.getfixturevalue("policy"),
        payment_mode="pay_at_hotel",
    )


__all__ = ["age", "deliver", "pay_at_stripe", "reverse"]
