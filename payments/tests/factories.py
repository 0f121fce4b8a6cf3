"""Payments for any app's tests: rows written straight, or paid as a guest pays."""

import factory
from django.urls import reverse

from booking.tests.factories import browser_of
from payments.models import Payment, Refund

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"


def pay(booking, card=VISA):
    """Pay a held booking on its payment page (test gateway); return the response."""
    return browser_of(booking).post(
        reverse("payments:pay", args=[booking.reference]), {"card_number": card}
    )


class PaymentFactory(factory.django.DjangoModelFactory):
    """A succeeded test-gateway payment of `booking`'s total; pass booking=..."""

    class Meta:
        model = Payment

    amount = factory.LazyAttribute(lambda payment: payment.booking.total)
    currency = factory.LazyAttribute(lambda payment: payment.booking.currency)
    gateway = "test"
    status = Payment.Status.SUCCEEDED


class RefundFactory(factory.django.DjangoModelFactory):
    """A refund of part of `payment`; pass payment=... and amount=..."""

    class Meta:
        model = Refund

    currency = factory.LazyAttribute(lambda refund: refund.payment.currency)
