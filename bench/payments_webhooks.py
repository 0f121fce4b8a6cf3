"""Payments figures: webhook handling time and Stripe calls per booking.

Runs against the database in DATABASE_URL (migrated) and a fake Stripe server on
127.0.0.1 (the simulator the tests use), through the real `stripe` client:

    DATABASE_URL=... REDIS_URL=... python bench/payments_webhooks.py [bookings]

Creates its own hotel; prints the machine, then the figures; writes
bench/payments_webhooks.txt.
"""

import contextlib
import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

from booking.services import GuestDetails, booking_hold  # noqa: E402
from core.clock import db_now  # noqa: E402
from hotels.tests.factories import HotelFactory, RoomTypeFactory  # noqa: E402
from inventory.rules import StayRequest  # noqa: E402
from inventory.services import inventory_open  # noqa: E402
from inventory.tests.factories import RatePlanFactory  # noqa: E402
from payments.services import payment_confirm, payment_start  # noqa: E402
from payments.tests.fake_stripe import FakeStripe, sign  # noqa: E402


def main(count: int) -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY = "sk_test_bench"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_bench"
    settings.STRIPE_API_BASE = fake.url
    hotel = HotelFactory(
        time_zone="Europe/Lisbon", currency="EUR", slug=f"bench-{uuid.uuid4().hex[:12]}"
    )
    room_type = RoomTypeFactory(hotel=hotel, room_count=count + 4, max_occupancy=2)
    today = db_now().astimezone(hotel.tz).date()
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=60))
    plan = RatePlanFactory(room_type=room_type)
    stay = StayRequest(today + timedelta(days=20), today + timedelta(days=22))

    def new_booking(i):
        return booking_hold(
            rate_plan_id=plan.pk,
            stay=stay,
            guest=GuestDetails(name=f"Bench {i}", email=f"b{i}@example.com"),
            source="site",
        )

    # Stripe calls for one booking paid on the first try (server-side confirm).
    fake.calls.clear()
    payment_confirm(
        booking_id=new_booking(0).pk, payment_method="pm_card_visa", return_url="x"
    )
    calls_success = len(fake.calls)
    fake.calls.clear()
    booking = new_booking(1)
    with contextlib.suppress(Exception):
        payment_confirm(
            booking_id=booking.pk,
            payment_method="pm_card_chargeDeclined",
            return_url="x",
        )
    payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url="x"
    )
    calls_decline_then_success = len(fake.calls)

    # Webhook handling: each booking paid at Stripe (as Stripe.js does), then its
    # payment_intent.succeeded delivered, signed, to the endpoint.
    client = Client()
    timings, duplicate_timings = [], []
    query_counts: dict[int, list[int]] = {}
    for i in range(count):
        payment = payment_start(booking_id=new_booking(100 + i).pk)
        fake.act(
            f"/v1/payment_intents/{payment.gateway_id}/confirm",
            payment_method="pm_card_visa",
        )
        [event] = fake.events(
            type="payment_intent.succeeded", object_id=payment.gateway_id
        )
        payload = json.dumps(event)
        for bucket in (timings, duplicate_timings):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.post(
                    "/payments/stripe/webhook/",
                    data=payload,
                    content_type="application/json",
                    HTTP_STRIPE_SIGNATURE=sign(payload, "whsec_bench"),
                )
            bucket.append((time.perf_counter() - start) * 1000)
            query_counts.setdefault(id(bucket), []).append(len(queries))
            assert response.status_code == 200, response.content
    fake.stop()

    def describe(values):
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"

    lines = [
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"bookings: {count}",
        f"Stripe calls, paid first try (create + confirm): {calls_success}",
        f"Stripe calls, declined then paid: {calls_decline_then_success}",
        f"webhook payment_intent.succeeded, first delivery: {describe(timings)}, "
        f"{statistics.median(query_counts[id(timings)]):.0f} SQL queries",
        f"webhook, duplicate delivery: {describe(duplicate_timings)}, "
        f"{statistics.median(query_counts[id(duplicate_timings)]):.0f} SQL queries",
    ]
    print("\n".join(lines))
    Path(__file__).with_suffix(".txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
