"""Refunds: by the frozen policy at each boundary, partial, retried, and by hand."""

from datetime import timedelta

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from booking.models import Booking, BookingStatus
from core.errors import ErrorCode, ValidationError
from hotels.models import Hotel
from payments.models import GatewayEvent, Payment, Refund
from payments.services import (
    cancel_booking_and_refund,
    payment_confirm,
    reconcile_payments,
    refund_create,
)

pytestmark = pytest.mark.django_db
RETURN_URL = "https://innkeep.example/done"


def paid(hold, **kwargs):
    booking = hold(**kwargs)
    payment = payment_confirm(
        booking_id=booking.pk, payment_method="pm_card_visa", return_url=RETURN_URL
    )
    assert payment.resolution == Payment.Resolution.CONFIRMED
    return Booking.objects.get(pk=booking.pk), payment


# The factory policy refunds 100% from 7 days before check-in, 50% from 2 days, then 0.
@pytest.mark.parametrize(
    ("days_ahead", "percent"),
    [(30, 100), (7, 100), (6, 50), (2, 50), (1, 0)],
)
def test_cancelling_refunds_what_the_policy_gives_at_each_boundary(
    stripe_backend, hold, days_ahead, percent
):
    booking, payment = paid(hold, offset=days_ahead)

    result = cancel_booking_and_refund(booking_id=booking.pk, reason="plans changed")

    assert result.booking.status == BookingStatus.CANCELLED
    expected = booking.total * percent // 100
    assert result.booking.refund_amount == expected
    payment.refresh_from_db()
    assert payment.amount_refunded == expected
    if percent:
        assert result.refund.amount == expected
        assert result.refund.status == Refund.Status.SUCCEEDED
        assert result.refund.gateway_id.startswith("re_")
    else:
        assert result.refund is None
        assert not Refund.objects.exists()


def test_cancelling_twice_refunds_once(fake_stripe, hold):
    booking, _payment = paid(hold, offset=30)
    cancel_booking_and_refund(booking_id=booking.pk)
    again = cancel_booking_and_refund(booking_id=booking.pk)

    assert Refund.objects.count() == 1
    assert again.refund.pk == Refund.objects.get().pk
    assert len(fake_stripe.events(type="charge.refunded")) == 1


def test_partial_refunds_add_up_to_the_payment_and_no_further(stripe_backend, hold):
    _booking, payment = paid(hold)

    refund_create(payment_id=payment.pk, amount=1000, reason="minibar")
    refund_create(payment_id=payment.pk, amount=payment.amount - 1000)
    with pytest.raises(ValidationError) as too_large:
        refund_create(payment_id=payment.pk, amount=1)

    assert too_large.value.code == ErrorCode.REFUND_TOO_LARGE
    payment.refresh_from_db()
    assert payment.amount_refunded == payment.amount
    assert Refund.objects.filter(status=Refund.Status.SUCCEEDED).count() == 2


def test_a_refund_that_fails_is_retried_with_backoff_until_it_succeeds(
    fake_stripe, hold, settings
):
    booking, payment = paid(hold, offset=30)
    fake_stripe.down = True

    result = cancel_booking_and_refund(booking_id=booking.pk)

    refund = Refund.objects.get(pk=result.refund.pk)
    assert refund.status == Refund.Status.FAILED
    assert refund.attempts == 1 and refund.last_error
    first_delay = refund.next_attempt_at - refund.updated_at
    assert timedelta(seconds=25) < first_delay <= timedelta(seconds=31)

    # Not due yet: the sweep leaves it alone.
    reconcile_payments()
    assert Refund.objects.get(pk=refund.pk).attempts == 1

    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=refund.created_at)
    reconcile_payments()  # still down: second attempt, longer wait
    refund.refresh_from_db()
    assert refund.attempts == 2
    assert refund.next_attempt_at - refund.updated_at > first_delay

    fake_stripe.down = False
    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=refund.created_at)
    reconcile_payments()

    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).amount_refunded == refund.amount
    # One refund at Stripe although three tries were made: the same idempotency key.
    assert len(fake_stripe.events(type="refund.created")) == 1


def test_a_refund_gives_up_after_the_last_attempt_and_shows_in_the_admin(
    fake_stripe, hold, settings, admin_client
):
    settings.PAYMENTS_REFUND_MAX_ATTEMPTS = 2
    booking, _payment = paid(hold, offset=30)
    fake_stripe.down = True
    result = cancel_booking_and_refund(booking_id=booking.pk)
    Refund.objects.filter(pk=result.refund.pk).update(
        next_attempt_at=result.refund.created_at
    )
    reconcile_payments()

    refund = Refund.objects.get(pk=result.refund.pk)
    assert refund.status == Refund.Status.GAVE_UP
    page = admin_client.get(reverse("admin:payments_refund_changelist"))
    assert "Failed (needs a person)" in page.content.decode()

    fake_stripe.down = False
    response = admin_client.post(
        reverse("admin:payments_refund_changelist"),
        {"action": "retry_refunds", "_selected_action": [refund.pk]},
        follow=True,
    )
    assert "1 of 1 refund(s) went through." in response.content.decode()
    assert Refund.objects.get(pk=refund.pk).status == Refund.Status.SUCCEEDED


def test_the_admin_refunds_by_hand_and_refuses_too_much_readably(
    fake_stripe, hold, admin_client
):
    _booking, payment = paid(hold)
    url = reverse("admin:payments_payment_changelist")

    form = admin_client.post(
        url, {"action": "refund_payment", "_selected_action": [payment.pk]}
    )
    assert form.status_code == 200
    assert "can still be refunded" in form.content.decode()

    too_much = admin_client.post(
        url,
        {
            "action": "refund_payment",
            "_selected_action": [payment.pk],
            "apply": "1",
            "amount": payment.amount + 1,
        },
    )
    assert too_much.status_code == 200
    assert "larger than what remains" in too_much.content.decode()
    assert not Refund.objects.exists()

    done = admin_client.post(
        url,
        {
            "action": "refund_payment",
            "_selected_action": [payment.pk],
            "apply": "1",
            "amount": 2500,
            "reason": "late check-in",
        },
        follow=True,
    )
    assert done.status_code == 200
    refund = Refund.objects.get()
    assert (refund.amount, refund.purpose, refund.status) == (
        2500,
        Refund.Purpose.MANUAL,
        Refund.Status.SUCCEEDED,
    )
    assert refund.created_by == "admin"


@pytest.mark.parametrize("name", ["payments_payment", "payments_refund"])
def test_admin_lists_render_and_name_their_hotel(fake_stripe, hold, admin_client, name):
    booking, payment = paid(hold)
    refund_create(payment_id=payment.pk, amount=100)
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    model_admin = next(
        a for m, a in django_admin.site._registry.items() if m._meta.db_table == name
    )
    # The lookup leads from the model to its hotel (the admin scoping relies on it).
    model = model_admin.model
    assert model.objects.filter(**{model_admin.hotel_lookup: booking.hotel}).exists()
    assert Hotel.objects.filter(pk=booking.hotel_id).exists()


def test_gateway_events_are_for_superusers_only(fake_stripe, hold, admin_client):
    assert (
        admin_client.get(reverse("admin:payments_gatewayevent_changelist")).status_code
        == 200
    )
    # Without a hotel_lookup the admin's hotel scoping keeps the model from hotel staff.
    assert not hasattr(django_admin.site._registry[GatewayEvent], "hotel_lookup")


def test_the_admin_cancel_action_refunds_a_paid_booking_at_once(
    fake_stripe, hold, admin_client
):
    booking, payment = paid(hold, offset=30)

    response = admin_client.post(
        reverse("admin:booking_booking_changelist"),
        {"action": "cancel", "_selected_action": [booking.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount, refund.status) == (booking.total, Refund.Status.SUCCEEDED)
    assert refund.created_by == "admin:admin"


def test_cancelling_with_a_manual_refund_still_pending_refunds_only_the_rest(
    fake_stripe, hold
):
    booking, payment = paid(hold, offset=30)
    pending = Refund.objects.create(
        payment=payment,
        amount=booking.total - 1_000,
        currency=booking.currency,
        status=Refund.Status.PENDING,
    )

    result = cancel_booking_and_refund(booking_id=booking.pk)

    assert result.booking.status == BookingStatus.CANCELLED
    assert result.refund.amount == 1_000
    assert Refund.objects.filter(payment=payment).count() == 2
    assert pending.amount + result.refund.amount == booking.total
