"""Paying a held booking as its guest does, on the test gateway's page."""

from django.urls import reverse

from booking.tests.factories import browser_of

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"


def pay(booking, card=VISA):
    """Pay a held booking on its payment page (test gateway); return the response."""
    return browser_of(booking).post(
        reverse("payments:pay", args=[booking.reference]), {"card_number": card}
    )
