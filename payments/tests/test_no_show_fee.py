"""A no-show's fee is charged to the card kept as its guarantee, by the booking.no_show
event's handler (payments.tasks.on_booking_event), through the real `stripe` client
and the fake Stripe server."""

from contextlib import contextmanager
from datetime import time

import pytest

from booking.events import BookingEvent, dispatch_booking_event
from booking.models import Booking, BookingStatus
from booking.services import booking_mark_no_show
from core.models import OutboxEvent
from payments.models import Payment
from payments.services import payment_confirm, reconcile_payments

from .fixtures import age, deliver

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


@pytest.fixture
def arriving(hold, pay_at_hotel_plan, hotel):
    """A pay-at-hotel booking arriving today, its card kept at (fake) Stripe."""

    def make(card="pm_card_visa", rooms=1):
        hotel.same_day_cutoff = time(23, 59, 59)
        hotel.save()
        booking = hold(
            offset=0,
            nights=2,
            rooms=rooms,
            rate_plan_id=pay_at_hotel_plan.pk,
        )
        payment_confirm(
            booking_id=booking.pk, payment_method=card, return_url=RETURN_URL
        )
        return booking

    return make


@pytest.fixture
def marked(relayed, django_capture_on_commit_callbacks):
    """`with marked():` relays the block's events, then runs what they queued after
    commit (the fee's charge), as a worker would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True), relayed():
            yield

    return block


def fees(booking):
    return list(Payment.objects.filter(booking=booking, kind=Payment.Kind.NO_SHOW_FEE))


def test_marking_a_no_show_charges_the_first_night_to_the_kept_card(
    fake_stripe, no_show_fees, marked, arriving
):
    booking = arriving(rooms=2)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    guarantee = Payment.objects.get(booking=booking, kind=Payment.Kind.GUARANTEE)

    with marked():
        booking_mark_no_show(booking_id=booking.pk)

    [fee] = fees(booking)
    assert fee.amount == booking.nightly_prices[0] * 2
    assert (fee.status, fee.resolution) == ("succeeded", "collected")
    assert fee.payment_method_id == guarantee.payment_method_id
    [event] = fake_stripe.events(
        type="payment_intent.succeeded", object_id=fee.gateway_id
    )
    intent = event["data"]["object"]
    assert intent["amount"] == fee.amount
    assert intent["customer"] == guarantee.customer_id
    assert ("POST", "/v1/payment_intents", f"innkeep-payment-{fee.pk}-create") in (
        fake_stripe.calls
    )


def test_an_event_delivered_twice_charges_once(
    fake_stripe, no_show_fees, marked, arriving
):
    booking = arriving()
    with marked():
        booking_mark_no_show(booking_id=booking.pk)
    row = OutboxEvent.objects.get(event_type=BookingEvent.NO_SHOW)

    # The relay publishes again (it died before recording the first publication).
    dispatch_booking_event(booking.pk, BookingEvent.NO_SHOW, {}, event_id=str(row.pk))

    assert len(fees(booking)) == 1
    creates = [c for c in fake_stripe.calls if c[:2] == ("POST", "/v1/payment_intents")]
    assert len(creates) == 1


def test_a_declined_charge_is_left_for_a_person_not_retried_by_a_redelivery(
    fake_stripe, no_show_fees, marked, arriving, client
):
    # The bank approved keeping the card but wants the guest for every charge.
    booking = arriving(card="pm_card_authenticationRequired")
    guarantee = Payment.objects.get(booking=booking, kind=Payment.Kind.GUARANTEE)
    fake_stripe.act(f"/_sim/authenticate/{guarantee.gateway_id}", approve="true")
    [setup] = fake_stripe.events(
        type="setup_intent.succeeded", object_id=guarantee.gateway_id
    )
    deliver(client, setup)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED

    with marked():
        booking_mark_no_show(booking_id=booking.pk)
    dispatch_booking_event(booking.pk, BookingEvent.NO_SHOW, {}, event_id="again")

    [fee] = fees(booking)
    assert fee.status == Payment.Status.FAILED
    assert fee.failure_code == "authentication_required"


def test_an_outage_leaves_the_charge_to_the_sweep(
    fake_stripe, no_show_fees, marked, arriving
):
    booking = arriving()
    fake_stripe.down = True

    with marked():
        booking_mark_no_show(booking_id=booking.pk)

    [fee] = fees(booking)
    assert fee.status == Payment.Status.PENDING and not fee.gateway_id
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW

    fake_stripe.down = False
    age(fee)
    reconcile_payments()

    [fee] = fees(booking)
    assert (fee.status, fee.resolution) == ("succeeded", "collected")


def test_a_no_show_without_a_kept_card_is_not_charged(
    fake_stripe, no_show_fees, marked, hold, hotel
):
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = hold(offset=0)
    payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )
    calls = len(fake_stripe.calls)

    with marked():
        booking_mark_no_show(booking_id=booking.pk)

    assert fees(booking) == []
    assert len(fake_stripe.calls) == calls
