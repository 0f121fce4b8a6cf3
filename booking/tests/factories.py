"""Guests, overdue holds and the browsers that made a booking, for any app's tests."""

from datetime import timedelta

from django.db.models import F
from django.test import Client

from booking.access import SESSION_KEY
from booking.models import Booking
from booking.services import GuestDetails

GUEST = GuestDetails(name="Ada Lovelace", email="ada@example.com")


def make_overdue(booking):
    """Move a hold's deadline into the past (by the database's clock)."""
    Booking.objects.filter(pk=booking.pk).update(
        held_until=F("created_at") - timedelta(minutes=1)
    )


def browser_of(booking) -> Client:
    """A browser that made `booking` (booking.access remembers it in the session)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = [booking.reference]
    session.save()
    return client
