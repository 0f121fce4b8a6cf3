"""Booking events: published after commit, fanned out by a Celery task to handlers.

Handlers are dotted paths in `settings.BOOKING_EVENT_HANDLERS`, each called as
`handler(booking_id, event, data)` in a worker; e-mails and partner webhooks hang here.
A handler may run twice (a redelivered task): it must be idempotent.
"""

from enum import StrEnum

from django.conf import settings
from django.db import transaction


class BookingEvent(StrEnum):
    HELD = "booking.held"
    CONFIRMED = "booking.confirmed"
    CHANGED = "booking.changed"
    CANCELLED = "booking.cancelled"
    EXPIRED = "booking.expired"
    CHECKED_IN = "booking.checked_in"
    CHECKED_OUT = "booking.checked_out"
    NO_SHOW = "booking.no_show"


def publish(booking_id: int, event: BookingEvent, **data) -> None:
    """Queue `event` for its handlers once the current transaction commits."""
    if not settings.BOOKING_EVENT_HANDLERS:
        return
    from .tasks import dispatch_booking_event

    transaction.on_commit(
        lambda: dispatch_booking_event.delay(booking_id, str(event), data)
    )
