"""Payments that outlive their hold, crashes between a charge and our commit, outages."""

from datetime import timedelta

import pybreaker
import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import booking_cancel, booking_expire
from booking.tests.test_lifecycle import make_overdue
from payments.errors import PaymentUnavailable
from payments.gateways.breaker import stripe_breaker
from payments.models import GatewayEvent, Payment, Refund
from payments.services import payment_confirm, payment_start, reconcile_payments

from .conftest import GUEST, deliver, guest_client

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


def pay_at_stripe(fake, payment, card="pm_card_visa"):
    """The guest's card is charged at Stripe (Stripe.js); our server hears nothing yet."""
    fake.act(f"/v1/payment_intents/{payment.gateway_id}/confirm", payment_method=card)
    [event] = fake.events(type="payment_intent.succeeded", object_id=payment.gateway_id)
    return event


def age(payment, minutes=10):
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=F("updated_at") - timedelta(minutes=minutes)
    )


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
    # The guest is told, by e-mail and on the page.
    [message] = mail.outbox
    assert booking.reference in message.subject and message.to == [booking.guest_email]
    page = guest_client(booking).get(reverse("payments:done", args=[booking.reference]))
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


def test_stripe_down_shows_the_guest_until_when_the_rooms_are_held(
    fake_stripe, hold, settings
):
    settings.PAYMENTS_BREAKER_FAIL_MAX = 2
    booking = hold()
    fake_stripe.down = True
    local = booking.held_until.astimezone(booking.hotel.tz)

    response = guest_client(booking).get(
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
    from django_redis import get_redis_connection

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
    from django.test import Client

    from core.testing import run_together

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


def test_stripe_calls_from_several_threads_run_side_by_side(fake_stripe):
    """The breaker must not serialise Stripe calls (pybreaker's call() would)."""
    import threading

    from payments.gateways import get_gateway

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
    from datetime import UTC, datetime

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


def test_cancelled_while_stripe_was_unreachable_then_paid_is_refunded_in_full(
    fake_stripe, hold, client
):
    booking = hold()
    payment = payment_start(booking_id=booking.pk)
    fake_stripe.down = True
    from payments.services import cancel_booking_and_refund

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
    from payments.services import cancel_booking_and_refund

    booking = hold()
    payment = payment_start(booking_id=booking.pk)

    cancel_booking_and_refund(booking_id=booking.pk)

    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELED
    assert fake_stripe.object(payment.gateway_id)["status"] == "canceled"
