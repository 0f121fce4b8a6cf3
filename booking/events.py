"""Booking events: rows of the booking's own transaction, fanned out to handlers later.

`publish()` writes the event to the outbox (core/outbox.py) in the transaction that
changes the booking, so an event exists exactly when its change committed, and no
broker is on the booking's path. The relay (`manage.py relay_outbox`) publishes it to
`dispatch_booking_event`, which calls each handler in `settings.BOOKING_EVENT_HANDLERS`
(dotted paths) as `handler(booking_id, event, data)` in a worker; this module knows
them by that setting only. The guest e-mails (notifications.tasks) and partner
webhooks (api.tasks) hang here. Delivery is at least once (a relay that dies before
committing publishes again, a redelivered task runs again): a handler dedupes by the
event's id, the outbox row's, which `current_event_id()` tells it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from core import outbox

TOPIC = "booking"


class BookingEvent(StrEnum):
    HELD = "booking.held"
    CONFIRMED = "booking.confirmed"
    CHANGED = "booking.changed"
    CANCELLED = "booking.cancelled"
    EXPIRED = "booking.expired"
    CHECKED_IN = "booking.checked_in"
    CHECKED_OUT = "booking.checked_out"
    NO_SHOW = "booking.no_show"
    # The booking's hotel closed its nights (booking.services.closures): the data
    # names the closure; the guest may cancel with a full refund while it is live.
    HOTEL_DEACTIVATED = "hotel.deactivated"
    HOTEL_CLOSED = "hotel.closed"
    HOTEL_REOPENED = "hotel.reopened"


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


def publish(booking_id: int, event: BookingEvent, /, **data) -> str:
    """Record `event` in the current transaction; its handlers run after it commits.

    Return the event's id. Raises RuntimeError outside a transaction.
    """
    return outbox.write(
        topic=TOPIC, aggregate_id=booking_id, event_type=str(event), data=data
    )


def publish_sql(source: str, event: BookingEvent, /, **data) -> tuple[str, list]:
    """Return (sql, params) that record `event` for the booking the CTE `source` returns.

    For a statement that inserts the booking under a row lock: run as one more CTE of
    it, the event costs no round trip. Raises RuntimeError outside a transaction.
    """
    sql, params, _ = outbox.write_sql(
        source=source, topic=TOPIC, event_type=str(event), data=data
    )
    return sql, params


# The task's name keeps its first module's: queued messages name it so.
@shared_task(name="booking.tasks.dispatch_booking_event", ignore_result=True)
def dispatch_booking_event(
    booking_id: int, event: str, data: dict, event_id: str = ""
) -> None:
    """Hand one booking event to every configured handler."""
    with handling(event_id):
        for path in settings.BOOKING_EVENT_HANDLERS:
            import_string(path)(booking_id, event, data)
