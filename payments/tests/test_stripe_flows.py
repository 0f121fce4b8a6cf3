"""Pay-now flows through the real `stripe` client: the fake Stripe, or Stripe's test mode."""

import pytest

from booking.models import Booking, BookingStatus
from payments.errors import PaymentDeclined
from payments.models import Payment
from payments.services import payment_confirm, payment_start

from .fixtures import deliver

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


def test_a_card_that_succeeds_confirms_the_booking_with_one_intent(
    stripe_backend, hold, client
):
    booking = hold()

    payment = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.resolution == Payment.Resolution.CONFIRMED
    assert (payment.amount, payment.currency) == (booking.total, booking.currency)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert Payment.objects.filter(booking=booking).count() == 1
    [event] = stripe_backend.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )
    assert event["data"]["object"]["metadata"]["booking_reference"] == booking.reference
    assert event["data"]["object"]["amount"] == booking.total
    # Stripe's own webhook for it changes nothing more.
    assert deliver(client, event).status_code == 200
    assert Payment.objects.get(pk=payment.pk).resolution == "confirmed"


def test_a_declined_card_keeps_the_hold_and_the_same_intent_takes_another_card(
    stripe_backend, hold
):
    booking = hold()

    with pytest.raises(PaymentDeclined) as declined:
        payment_confirm(
            booking_id=booking.pk,
            payment_method="pm_card_chargeDeclined",
            return_url=RETURN_URL,
        )

    assert declined.value.params["decline_code"] in ("generic_decline", "card_declined")
    failed = Payment.objects.get(booking=booking)
    assert failed.status == Payment.Status.FAILED
    assert failed.failure_code
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD

    paid = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )
    assert paid.pk == failed.pk and paid.gateway_id == failed.gateway_id
    assert paid.status == Payment.Status.SUCCEEDED
    assert paid.attempts == 2


def test_authentication_required_waits_for_the_guest_then_its_webhook_confirms(
    fake_stripe, hold, client
):
    booking = hold()

    payment = payment_confirm(
        booking_id=booking.pk,
        payment_method="pm_card_authenticationRequiredSetupForOffSession",
        return_url=RETURN_URL,
    )
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD

    fake_stripe.act(f"/_sim/authenticate/{payment.gateway_id}", approve="true")
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )
    response = deliver(client, event)

    assert response.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_every_post_to_stripe_carries_our_idempotency_key(fake_stripe, hold):
    booking = hold()
    with pytest.raises(PaymentDeclined):
        payment_confirm(
            booking_id=booking.pk,
            payment_method="pm_card_chargeDeclined",
            return_url=RETURN_URL,
        )
    payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )

    posts = [(path, key) for method, path, key in fake_stripe.calls if method == "POST"]
    payment = Payment.objects.get(booking=booking)
    assert [key for _, key in posts] == [
        f"innkeep-payment-{payment.pk}-create",
        f"innkeep-payment-{payment.pk}-confirm-1",
        f"innkeep-payment-{payment.pk}-confirm-2",
    ]


def test_starting_twice_reuses_the_intent(stripe_backend, hold):
    booking = hold()
    first = payment_start(booking_id=booking.pk)
    second = payment_start(booking_id=booking.pk)
    assert first.pk == second.pk and first.gateway_id == second.gateway_id
