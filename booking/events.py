"""Booking events: published after commit, fanned out by a Celery task to handlers.

Handlers are dotted paths in `settings.BOOKING_EVENT_HANDLERS`, each called as
`handler(booking_id, event, data)` in a worker; this module knows them by that setting
only. The guest e-mails (notifications.tasks) and partner webhooks (api.tasks) hang here.
A handler may run twice (a redelivered task): it must be idempotent. Each publication has
an id, the same on every delivery: `current_event_id()` tells a handler which one it is
handling (e.g. to tell two changes of one booking apart).
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


class BookingEvent(StrEnum):
    HELD = "booking.held"
    CONFIRMED = "booking.confirmed"
    CHANGED = "booking.changed"
    CANCELLED = "booking.cancelled"
    EXPIRED = "booking.expired"
    CHECKED_IN = "booking.checked_in"
    CHECKED_OUT = "booking.checked_out"
    NO_SHOW = "booking.no_show"


_current_event_id: ContextVar[str] = ContextVar("booking_event_id", default="")


def current_event_id() -> str:
    """Return the id of the event whose handlers are running ("" outside of them)."""
    return _current_event_id.get()


@contextmanager
def handling(event_id: str) -> Iterator[None]:
    """Run the handlers of the event `event_id` inside this block."""
    token = _current_event_id.set(event_id)
    try:
        yield
    finally:
        _current_event_id.reset(token)


def publish(booking_id: int, event: BookingEvent, **data) -> None:
    """Queue `event` for its handlers once the current transaction commits."""
    if not settings.BOOKING_EVENT_HANDLERS:
        return
    event_id = uuid.uuid4().hex
    # Robust: the booking is committed; a broker that is down loses the event (logged),
    # it must not turn the guest's successful booking into an error page.
    transaction.on_commit(
        lambda: dispatch_booking_event.delay(
            booking_id, str(event), data, event_id=event_id
        ),
        robust=True,
    )


# The task's name keeps its first module's: queued messages name it so.
@shared_task(name="booking.tasks.dispatch_booking_event", ignore_result=True)
def dispatch_booking_event(
    booking_id: int, event: str, data: dict, event_id: str = ""
) -> None:
    """Hand one booking event to every configured handler."""
    with handling(event_id):
        for path in settings.BOOKING_EVENT_HANDLERS:
            import_string(path)(booking_id, event, data)
