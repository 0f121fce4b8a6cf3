"""The sweep heals: crashes between a charge and our commit, lost events, refunds owed."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import booking_cancel, booking_change, booking_expire
from booking.tests.factories import GUEST, make_overdue
from core.testing import run_together
from payments.models import GatewayEvent, Payment, Refund
from payments.services import payment_confirm, payment_start, reconcile_payments

from .fixtures import age, deliver, pay_at_stripe

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


def test_a_crash_between_the_charge_and_our_commit_heals_by_reconciliation(
    fake_stripe, hold, room_type
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    pay_at_stripe(fake_stripe, payment)  # charged; the webhook is lost, we crashed

    reconcile_payments()  # too recent to ask about: leaves it alone
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING

    age(payment)
    report = reconcile_payments()

    assert report.payments == 1
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_a_crash_after_creating_the_intent_but_before_saving_its_id_heals(
    fake_stripe, hold
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    intent_id = payment.gateway_id
    Payment.objects.filter(pk=payment.pk).update(gateway_id="", client_secret="")
    fake_stripe.act(
        f"/v1/payment_intents/{intent_id}/confirm", payment_method="pm_card_visa"
    )
    age(payment)

    reconcile_payments()

    payment.refresh_from_db()
    # The same idempotency key found the same intent instead of making a second one.
    assert payment.gateway_id == intent_id
    assert payment.status == Payment.Status.SUCCEEDED
    assert len(fake_stripe.events(type="payment_intent.created")) == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_an_intent_forgotten_after_its_hold_ended_is_cancelled_at_stripe(
    fake_stripe, hold
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    Booking.objects.filter(pk=booking.pk).update(
        held_until=F("created_at") - timedelta(hours=2)
    )
    booking_expire(booking_id=booking.pk)
    age(payment)

    report = reconcile_payments()

    assert report.abandoned == 1
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELED
    assert fake_stripe.object(payment.gateway_id)["status"] == "canceled"


def test_a_stored_event_left_unapplied_is_applied_by_the_sweep(fake_stripe, hold):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    event = pay_at_stripe(fake_stripe, payment)
    stored = GatewayEvent.objects.create(
        gateway="stripe",
        event_id=event["id"],
        type=event["type"],
        payload=event,
        created=event["created"],
        object_id=payment.gateway_id,
    )
    GatewayEvent.objects.filter(pk=stored.pk).update(
        received_at=stored.received_at - timedelta(minutes=5)
    )

    assert reconcile_payments().events == 1

    assert GatewayEvent.objects.get(pk=stored.pk).processed_at is not None
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_a_booking_cancelled_without_the_payments_service_is_refunded_by_the_sweep(
    fake_stripe, hold
):
    booking = hold(offset=30)
    payment = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )
    booking_cancel(booking_id=booking.pk)  # e.g. an older admin action
    assert not Refund.objects.exists()

    report = reconcile_payments()

    assert report.cancellations == 1
    refund = Refund.objects.get(payment=payment)
    assert refund.purpose == Refund.Purpose.CANCELLATION
    assert refund.amount == Booking.objects.get(pk=booking.pk).refund_amount
    assert refund.status == Refund.Status.SUCCEEDED
    reconcile_payments()
    assert Refund.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_a_webhook_and_the_sweep_at_once_refund_a_lost_booking_once(
    fake_stripe, hold, room_type
):
    booking = hold(rooms=3, adults=3)
    payment = payment_start(booking_id=booking.pk)
    make_overdue(booking)
    hold(rooms=1, guest=GUEST.__class__(name="Bo", email="bo@example.com"))
    event = pay_at_stripe(fake_stripe, payment)
    age(payment)

    def work(i):
        if i == 0:
            return deliver(Client(), event).status_code
        return reconcile_payments()

    outcomes = run_together(2, work)

    assert [o.error for o in outcomes] == [None, None]
    payment.refresh_from_db()
    assert payment.resolution == Payment.Resolution.REFUNDED_UNAVAILABLE
    assert Refund.objects.filter(payment=payment).count() == 1
    assert len(fake_stripe.events(type="refund.created")) == 1
    assert payment.amount_refunded == payment.amount
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_a_shorter_stay_whose_refund_was_never_made_is_refunded_by_the_sweep(
    fake_stripe, hold
):
    booking = hold(offset=30, nights=3)
    payment = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )
    # The change commits, then the process dies before refund_change runs.
    change = booking_change(
        booking_id=booking.pk, check_out=booking.check_out - timedelta(days=1)
    ).change
    assert change.refund_amount > 0
    assert not Refund.objects.exists()

    report = reconcile_payments()

    assert report.change_refunds == 1
    refund = Refund.objects.get(payment=payment)
    assert (refund.purpose, refund.change_id) == (Refund.Purpose.CHANGE, change.pk)
    assert refund.amount == change.refund_amount
    assert refund.status == Refund.Status.SUCCEEDED
    assert reconcile_payments().change_refunds == 0
    assert Refund.objects.count() == 1
