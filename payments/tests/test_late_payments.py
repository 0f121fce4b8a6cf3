"""Payments that come after their hold lapsed or their booking was cancelled."""

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import booking_cancel, booking_expire
from booking.tests.factories import GUEST, browser_of, make_overdue
from core import outbox
from core.models import OutboxEvent
from payments.models import Payment, Refund
from payments.outgoing import dispatch_payment_event
from payments.services import cancel_booking_and_refund, payment_start

from .fixtures import deliver, pay_at_stripe

pytestmark = pytest.mark.django_db


def test_paid_after_the_hold_lapsed_with_rooms_left_takes_them_again(
    fake_stripe, hold, room_type, client
):
    booking = hold(rooms=2, adults=2)
    payment = payment_start(booking_id=booking.pk)
    make_overdue(booking)
    assert booking_expire(booking_id=booking.pk)
    event = pay_at_stripe(fake_stripe, payment)

    assert deliver(client, event).status_code == 200

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.get(pk=payment.pk).resolution == "reinstated"
    assert not Refund.objects.exists()
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_paid_after_the_hold_lapsed_and_the_rooms_were_sold_is_refunded_in_full(
    fake_stripe, hold, room_type, client
):
    booking = hold(rooms=3, adults=3)  # all three rooms of the type
    payment = payment_start(booking_id=booking.pk)
    make_overdue(booking)
    other = hold(rooms=1, guest=GUEST.__class__(name="Bo", email="bo@example.com"))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.EXPIRED
    event = pay_at_stripe(fake_stripe, payment)

    deliver(client, event)

    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert payment.resolution == Payment.Resolution.REFUNDED_UNAVAILABLE
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == payment.amount == payment.amount_refunded
    assert refund.status == Refund.Status.SUCCEEDED
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.HELD
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []
    # The guest is told, by e-mail (once the relay passes) and on the page.
    assert mail.outbox == []
    outbox.drain()
    [message] = mail.outbox
    assert booking.reference in message.subject and message.to == [booking.guest_email]
    notice = OutboxEvent.objects.get(topic="payment")
    dispatch_payment_event(  # the relay died before marking it: published again
        notice.aggregate_id, notice.event_type, notice.data, event_id=str(notice.pk)
    )
    assert len(mail.outbox) == 1
    page = browser_of(booking).get(reverse("payments:done", args=[booking.reference]))
    assert "We could not keep your rooms" in page.content.decode()


def test_paid_after_the_guest_cancelled_the_hold_is_refunded_in_full(
    fake_stripe, hold, client
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    booking_cancel(booking_id=booking.pk)
    event = pay_at_stripe(fake_stripe, payment)

    deliver(client, event)

    payment.refresh_from_db()
    assert payment.resolution == Payment.Resolution.REFUNDED_NOT_BOOKABLE
    assert payment.amount_refunded == payment.amount


def test_cancelled_while_stripe_was_unreachable_then_paid_is_refunded_in_full(
    fake_stripe, hold, client
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.down = True
    cancel_booking_and_refund(booking_id=booking.pk)
    # The intent could not be cancelled: the payment stays open, not falsely canceled.
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    fake_stripe.down = False
    event = pay_at_stripe(fake_stripe, payment)

    deliver(client, event)

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.resolution == Payment.Resolution.REFUNDED_NOT_BOOKABLE
    assert payment.amount_refunded == payment.amount


def test_cancelling_a_held_booking_cancels_its_intent_at_stripe(fake_stripe, hold):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)

    cancel_booking_and_refund(booking_id=booking.pk)

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELED
    assert fake_stripe.object(payment.gateway_id)["status"] == "canceled"
