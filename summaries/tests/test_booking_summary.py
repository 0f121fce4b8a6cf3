"""The presenter's payment status: the states a guest can be told, and never two at once."""

import pytest
from django.urls import reverse

from booking.models import Booking
from booking.tests.factories import browser_of, make_overdue
from summaries.booking import PaymentStatus, booking_summary

pytestmark = pytest.mark.django_db


def test_an_open_payment_is_pending_until_the_hold_lapses_then_expired(hold):
    booking = hold(offset=10)
    browser_of(booking).get(reverse("payments:pay", args=[booking.reference]))
    booking = Booking.objects.get(pk=booking.pk)

    live = booking_summary(booking)
    make_overdue(booking)
    lapsed = booking_summary(Booking.objects.get(pk=booking.pk))

    assert live.payment_status == PaymentStatus.PENDING
    assert live.payment_text == "Your payment is being processed"
    assert lapsed.payment_status == PaymentStatus.EXPIRED
    assert lapsed.terms == []  # an expired hold has nothing left to cancel
    assert "being processed" not in lapsed.payment_text


def test_a_pay_at_hotel_hold_owes_its_total_at_the_hotel(hold, pay_at_hotel_plan):
    booking = hold(offset=10, rate_plan_id=pay_at_hotel_plan.pk)

    summary = booking_summary(Booking.objects.get(pk=booking.pk))

    assert summary.payment_status == PaymentStatus.AT_HOTEL
    assert (summary.paid, summary.balance_due) == (0, 200_000)
