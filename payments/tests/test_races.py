"""Payment races with real threads, each on its own database connection."""

import pytest

from booking.models import Booking, BookingStatus
from core.testing import run_together
from payments.models import Payment
from payments.services import payment_confirm

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
