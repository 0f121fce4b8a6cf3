"""Payment races with real threads, each on its own database connection."""

import pytest
from django.test import Client

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from core.models import OutboxEvent
from core.testing import run_together
from payments.models import GatewayEvent, Payment, Refund
from payments.services import (
    payment_confirm,
    payment_refresh,
    payment_start,
    refund_create,
)

from .fixtures import deliver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("races")]


def test_a_double_clicked_pay_button_charges_once(fake_stripe, hold):
    booking = hold()

    outcomes = run_together(
        3,
        lambda i: payment_confirm(
            booking_id=booking.pk, payment_method="pm_card_visa", return_url="x"
        ),
    )

    assert [o.error for o in outcomes] == [None, None, None]
    assert {o.value.pk for o in outcomes} == {Payment.objects.get(booking=booking).pk}
    assert len(fake_stripe.events(type="payment_intent.created")) == 1
    assert len(fake_stripe.events(type="payment_intent.succeeded")) == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_cancellation_refund_asked_for_at_once_and_again_is_made_once(
    fake_stripe, hold
):
    booking = hold(offset=30)
    payment = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url="x"
    )
    amount = payment.amount

    # A retried cancel and a raced one ask for the same refund: the lookup under the
    # payment's lock returns the first, the unique constraint is only the backstop.
    outcomes = run_together(
        4,
        lambda i: refund_create(
            payment_id=payment.pk, amount=amount, purpose=Refund.Purpose.CANCELLATION
        ),
    )
    again = refund_create(
        payment_id=payment.pk, amount=amount, purpose=Refund.Purpose.CANCELLATION
    )

    assert [o.error for o in outcomes] == [None] * 4
    [refund] = Refund.objects.filter(payment=payment)
    assert {o.value.pk for o in outcomes} | {again.pk} == {refund.pk}
    assert len(fake_stripe.events(type="charge.refunded")) == 1
    payment.refresh_from_db()
    assert payment.amount_refunded == amount


def test_the_webhook_and_the_guests_return_confirm_a_payment_once(fake_stripe, hold):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.act(
        f"/v1/payment_intents/{payment.gateway_id}/confirm",
        payment_method="pm_card_visa",
    )
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    # Stripe's webhook (twice: it retries) and the guest's return redirect
    # (payment_refresh, twice: a reload) apply the same success at the same moment.
    def arrive(i: int):
        if i % 2:
            return deliver(Client(), event).status_code
        return payment_refresh(payment_id=payment.pk).resolution

    outcomes = run_together(4, arrive)

    assert [o.error for o in outcomes] == [None] * 4
    assert sorted(map(str, (o.value for o in outcomes))) == sorted(
        ["200", "200", "confirmed", "confirmed"]
    )
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.resolution == Payment.Resolution.CONFIRMED
    assert GatewayEvent.objects.filter(event_id=event["id"]).count() == 1
    confirmed = OutboxEvent.objects.filter(
        aggregate_id=booking.pk, event_type="booking.confirmed"
    )
    assert confirmed.count() == 1
    assert Payment.objects.filter(booking=booking).count() == 1
    assert inventory_disagreements(room_type_ids=[booking.room_type_id]) == []
