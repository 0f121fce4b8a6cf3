"""Stripe down, slow or failing: the guest is told, the breaker spares Stripe."""

import threading
from datetime import UTC, datetime

import pybreaker
import pytest
from django.urls import reverse
from django_redis import get_redis_connection

from booking.models import Booking, BookingStatus
from booking.tests.factories import browser_of
from payments.errors import PaymentUnavailable
from payments.gateways import get_gateway
from payments.gateways.breaker import stripe_breaker
from payments.services import payment_confirm, payment_start

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


def test_stripe_down_shows_the_guest_until_when_the_rooms_are_held(
    fake_stripe, hold, settings
):
    settings.PAYMENTS_BREAKER_FAIL_MAX = 2
    booking = hold()
    fake_stripe.down = True
    local = booking.held_until.astimezone(booking.hotel.tz)

    response = browser_of(booking).get(
        reverse("payments:pay", args=[booking.reference])
    )

    assert response.status_code == 503
    html = response.content.decode()
    assert "Payment is unavailable right now." in html
    assert f"Your rooms are held until {local:%H:%M} (hotel time)." in html
    # Bounded retries: one call and STRIPE_MAX_NETWORK_RETRIES more, then it gave up.
    assert len(fake_stripe.calls) == 1 + settings.STRIPE_MAX_NETWORK_RETRIES


def test_the_breaker_opens_for_every_process_and_spares_stripe(
    fake_stripe, hold, settings
):
    settings.PAYMENTS_BREAKER_FAIL_MAX = 2
    booking = hold()
    fake_stripe.down = True
    for _ in range(2):
        with pytest.raises(PaymentUnavailable):
            payment_start(booking_id=booking.pk)
    calls = len(fake_stripe.calls)

    with pytest.raises(PaymentUnavailable) as unavailable:
        payment_confirm(
            booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
        )

    assert len(fake_stripe.calls) == calls  # open: Stripe is not even asked
    assert "held until" in unavailable.value.message
    # Another process sees the same state: it lives in Redis.
    other = pybreaker.CircuitRedisStorage(
        pybreaker.STATE_CLOSED,
        get_redis_connection("default"),
        namespace=stripe_breaker()._state_storage._namespace_name,
    )
    assert other.state == pybreaker.STATE_OPEN
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_a_declined_card_does_not_count_as_stripe_failing(fake_stripe, hold, settings):
    settings.PAYMENTS_BREAKER_FAIL_MAX = 2
    booking = hold()
    for _ in range(3):
        with pytest.raises(Exception, match="declined"):
            payment_confirm(
                booking_id=booking.pk,
                payment_method="pm_card_chargeDeclined",
                return_url=RETURN_URL,
            )
    assert stripe_breaker().current_state == pybreaker.STATE_CLOSED


def test_a_stripe_that_hangs_times_out_and_the_guest_is_told(
    fake_stripe, hold, settings
):
    settings.STRIPE_TIMEOUT_SECONDS = 0.3
    booking = hold()
    fake_stripe.delay = 1.0

    with pytest.raises(PaymentUnavailable):
        payment_start(booking_id=booking.pk)

    # One try and one retry, each cut off by the read timeout.
    assert len(fake_stripe.calls) == 1 + settings.STRIPE_MAX_NETWORK_RETRIES
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_stripe_calls_from_several_threads_run_side_by_side(fake_stripe):
    """The breaker must not serialise Stripe calls (pybreaker's call() would)."""
    intent = fake_stripe.act("/v1/payment_intents", amount="1000", currency="eur")
    gateway = get_gateway()
    fake_stripe.delay = 0.2
    barrier = threading.Barrier(4)
    errors = []

    def retrieve():
        try:
            barrier.wait(5)
            gateway.retrieve_payment_intent(intent["id"])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=retrieve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert fake_stripe.most_in_flight >= 2
    assert stripe_breaker().current_state == pybreaker.STATE_CLOSED


def test_the_breaker_lets_a_trial_through_after_its_timeout_and_closes_on_success(
    fake_stripe, hold, settings
):
    settings.PAYMENTS_BREAKER_FAIL_MAX = 2
    booking = hold()
    fake_stripe.down = True
    for _ in range(2):
        with pytest.raises(PaymentUnavailable):
            payment_start(booking_id=booking.pk)
    breaker = stripe_breaker()
    assert breaker.current_state == pybreaker.STATE_OPEN

    fake_stripe.down = False
    # Its timeout passes (pybreaker only ever moves opened_at forward: set it directly).
    storage = breaker._state_storage
    storage._redis.set(
        storage._namespace("opened_at"),
        int(datetime.now(UTC).timestamp())
        - settings.PAYMENTS_BREAKER_RESET_SECONDS
        - 1,
    )
    payment = payment_start(booking_id=booking.pk)

    assert payment.gateway_id.startswith("pi_")
    assert breaker.current_state == pybreaker.STATE_CLOSED
