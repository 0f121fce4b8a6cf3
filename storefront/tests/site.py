"""Helpers for the booking site's tests: the Reserve button's query, the details form,
the manage pages' addresses and the won amounts they show."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from core.money import format_money

GUEST_FORM = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "+44 20 7946 0000",
    "special_requests": "A quiet room, please.",
}


def reserve(rate_plan, check_in, *, nights=2, rooms=1, adults=2, children=0, key=None):
    """Return what a rate's Reserve button sends (GET) to the details page."""
    return {
        "rate_plan": rate_plan.pk,
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "rooms": rooms,
        "adults": adults,
        "children": children,
        "key": key or "k" * 20,
    }


def book(client: Client, rate_plan, check_in, **kwargs):
    """POST the details page with the guest form; return the response."""
    guest = {**GUEST_FORM, **kwargs.pop("guest", {})}
    return client.post(
        reverse("booking:new"), {**reserve(rate_plan, check_in, **kwargs), **guest}
    )


def krw(amount: int) -> str:
    """Return `amount` (minor units) as the site shows won."""
    return format_money(amount, "KRW")


def cancel_url(booking):
    """Return the address of `booking`'s cancel page."""
    return reverse("booking:cancel", args=[booking.reference])


def change_url(booking):
    """Return the address of `booking`'s change page."""
    return reverse("booking:change", args=[booking.reference])
