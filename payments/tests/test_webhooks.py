"""The webhook endpoint: signature first, each event stored once and applied once."""

import json
import time

import pytest
from django.test import Client

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from core.testing import run_together
from payments.models import GatewayEvent, Payment
from payments.services import payment_start

from .fake_stripe import sign
from .fixtures import deliver

pytestmark = pytest.mark.django_db


def paid_behind_our_back(fake, booking, card="pm_card_visa"):
    """Start a payment, then let the guest pay at Stripe (Stripe.js) without us knowing."""
    payment = payment_start(booking_id=booking.pk)
    fake.act(f"/v1/payment_intents/{payment.gateway_id}/confirm", payment_method=card)
    return payment


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    fake_stripe, hold, client
):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    wrong_secret = deliver(client, event, secret="whsec_someone_else")
    unsigned = client.post(
        "/payments/stripe/webhook/", data="{}", content_type="application/json"
    )

    assert wrong_secret.status_code == 400
    assert unsigned.status_code == 400
    assert GatewayEvent.objects.count() == 0
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_a_stale_signature_is_refused(fake_stripe, hold, client):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    response = deliver(client, event, timestamp=int(time.time()) - 3600)

    assert response.status_code == 400
    assert GatewayEvent.objects.count() == 0


def test_a_tampered_body_is_refused(fake_stripe, hold, client):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )
    header = sign(json.dumps(event), "whsec_test_innkeep")
    event["data"]["object"]["amount"] = 1
    response = client.post(
        "/payments/stripe/webhook/",
        data=json.dumps(event),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400


def test_a_duplicate_or_replayed_event_is_stored_once_and_applied_once(
    fake_stripe, hold, client
):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    first = deliver(client, event)
    again = deliver(client, event)
    replay_later = deliver(client, event, timestamp=int(time.time()) + 5)

    assert [r.status_code for r in (first, again, replay_later)] == [200, 200, 200]
    assert GatewayEvent.objects.filter(event_id=event["id"]).count() == 1
    stored = GatewayEvent.objects.get(event_id=event["id"])
    assert stored.processed_at is not None and stored.payment_id == payment.pk
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.get(pk=payment.pk).resolution == "confirmed"


def test_events_out_of_order_never_undo_a_success(fake_stripe, hold, client):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.act(
        f"/v1/payment_intents/{payment.gateway_id}/confirm",
        payment_method="pm_card_chargeDeclined",
    )
    fake_stripe.act(
        f"/v1/payment_intents/{payment.gateway_id}/confirm",
        payment_method="pm_card_visa",
    )
    [failed] = fake_stripe.events(
        type="payment_intent.payment_failed", object_id=payment.gateway_id
    )
    [succeeded] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    assert deliver(client, succeeded).status_code == 200
    assert deliver(client, failed).status_code == 200  # older, arrives later

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert GatewayEvent.objects.filter(processed_at__isnull=False).count() == 2


def test_a_failure_then_a_newer_failure_is_applied_in_order(fake_stripe, hold, client):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.act(
        f"/v1/payment_intents/{payment.gateway_id}/confirm",
        payment_method="pm_card_chargeDeclined",
    )
    [failed] = fake_stripe.events(
        type="payment_intent.payment_failed", object_id=payment.gateway_id
    )

    deliver(client, failed)

    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.failure_code == "generic_decline"
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_an_event_that_arrives_before_we_saved_the_intent_id_finds_its_payment(
    fake_stripe, hold, client
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.act(
        f"/v1/payment_intents/{payment.gateway_id}/confirm",
        payment_method="pm_card_visa",
    )
    intent_id = payment.gateway_id
    Payment.objects.filter(pk=payment.pk).update(gateway_id="")  # as if not committed
    [event] = fake_stripe.events(type="payment_intent.succeeded", object_id=intent_id)

    deliver(client, event)

    payment.refresh_from_db()
    assert payment.gateway_id == intent_id
    assert payment.status == Payment.Status.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_dispute_is_recorded_on_the_payment(fake_stripe, hold, client):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    fake_stripe.act(f"/_sim/dispute/{payment.gateway_id}", reason="fraudulent")
    [event] = fake_stripe.events(
        type="charge.dispute.created", object_id=payment.gateway_id
    )

    deliver(client, event)

    payment.refresh_from_db()
    assert payment.disputed_at is not None
    assert payment.dispute_reason == "fraudulent"
    assert payment.dispute_id.startswith("dp_")


def test_a_refund_made_at_stripe_shows_on_the_payment(fake_stripe, hold, client):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [paid] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )
    deliver(client, paid)
    fake_stripe.act("/v1/refunds", payment_intent=payment.gateway_id, amount="1000")
    [refunded] = fake_stripe.events(
        type="charge.refunded", object_id=payment.gateway_id
    )

    deliver(client, refunded)
    deliver(client, refunded)

    assert Payment.objects.get(pk=payment.pk).amount_refunded == 1000


def test_stored_payloads_carry_no_card_details(fake_stripe, hold, client):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(type="charge.succeeded", object_id=payment.gateway_id)
    event["data"]["object"]["payment_method_details"] = {
        "card": {"last4": "4242", "exp_month": 12, "exp_year": 2030}
    }

    deliver(client, event)

    stored = GatewayEvent.objects.get(event_id=event["id"])
    assert "payment_method_details" not in str(stored.payload)
    assert "last4" not in str(stored.payload)


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_the_same_webhook_delivered_twice_at_once_is_applied_once(
    fake_stripe, hold, room_type
):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )

    outcomes = run_together(2, lambda i: deliver(Client(), event).status_code)

    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == [200, 200]
    assert GatewayEvent.objects.filter(event_id=event["id"]).count() == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert Payment.objects.get(pk=payment.pk).resolution == "confirmed"
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_a_canceled_intent_is_recorded_but_never_undoes_a_success(
    fake_stripe, hold, client
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.act(f"/v1/payment_intents/{payment.gateway_id}/cancel")
    [canceled] = fake_stripe.events(
        type="payment_intent.canceled", object_id=payment.gateway_id
    )

    deliver(client, canceled)

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD

    other = hold(offset=20)
    paid = paid_behind_our_back(fake_stripe, other)
    [succeeded] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=paid.gateway_id
    )
    late = dict(canceled, id="evt_late_cancel")
    late["data"] = {"object": dict(succeeded["data"]["object"], status="canceled")}
    deliver(client, succeeded)
    deliver(client, late)
    assert Payment.objects.get(pk=paid.pk).status == Payment.Status.SUCCEEDED


@pytest.mark.parametrize(
    "forged", [{"amount": 1}, {"currency": "usd"}, {"amount": 1, "currency": "jpy"}]
)
def test_a_signed_success_for_another_sum_does_not_confirm_the_booking(
    fake_stripe, hold, client, forged
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)  # the guest has not paid
    event = {
        "id": "evt_forged_sum",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": payment.gateway_id,
                "object": "payment_intent",
                "status": "succeeded",
                "amount": payment.amount,
                "currency": payment.currency.lower(),
                **forged,
            }
        },
    }

    response = deliver(client, event)

    assert response.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD
    assert Payment.objects.get(pk=payment.pk).status != Payment.Status.SUCCEEDED
    stored = GatewayEvent.objects.get(event_id="evt_forged_sum")
    assert stored.processed_at is not None


def test_a_success_whose_copy_differs_applies_what_the_gateway_says(
    fake_stripe, hold, client
):
    booking = hold()
    payment = paid_behind_our_back(fake_stripe, booking)  # really paid at Stripe
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=payment.gateway_id
    )
    event["data"]["object"]["amount"] = payment.amount + 1  # a copy in doubt

    deliver(client, event)

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
