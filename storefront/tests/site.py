"""Helpers for the booking site's tests: the Reserve button's query, the details form."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

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
