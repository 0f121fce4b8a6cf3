"""Expiring holds: one overdue hold, those on some nights, a sweep (invariant 4)."""

from datetime import date

from django.db import connection, transaction
from django.db.models.functions import Now

from core import metrics
from core.errors import Busy
from inventory import hints, locking
from inventory.rules import StayRequest

from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingStatus

_EXPIRE_SQL = """
UPDATE booking_booking SET status = %s, expired_at = now(), updated_at = now()
WHERE id = %s AND status = %s AND held_until <= now()
RETURNING room_type_id, check_in, check_out, rooms
"""


def booking_expire(*, booking_id: int) -> bool:
    """Expire one overdue hold and release its rooms; return False if it was not due.

    Safe to run twice at once: the guarded update lets exactly one caller through.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        locking.begin_locked_section()
        with connection.cursor() as cursor:
            cursor.execute(
                _EXPIRE_SQL, [BookingStatus.EXPIRED, booking_id, BookingStatus.HELD]
            )
            row = cursor.fetchone()
        if row is None:
            return False
        room_type_id, check_in, check_out, rooms = row
        nights = StayRequest(check_in, check_out).nights
        locking.release(room_type_id, nights, rooms)
        transaction.on_commit(lambda: hints.forget(room_type_id, nights))
        events.publish(booking_id, BookingEvent.EXPIRED)
    metrics.HOLDS_EXPIRED.inc()
    return True


def release_overdue_holds(*, room_type_id: int, check_in: date, check_out: date) -> int:
    """Expire the overdue holds on some nights of a room type; return how many."""
    overdue = (
        Booking.objects.overlapping(room_type_id, check_in, check_out)
        .filter(status=BookingStatus.HELD, held_until__lte=Now())
        .order_by("held_until")
        .values_list("pk", flat=True)
    )
    return _expire_each(overdue)


def release_overdue_holds_of(*, actors: list[str], limit: int = 100) -> int:
    """Expire the overdue holds counted against these hold-cap actors.

    Return how many were found overdue, whoever expired them: a caller racing
    another for them has room again either way.
    """
    if not actors:
        return 0
    overdue = list(
        Booking.objects.filter(
            status=BookingStatus.HELD,
            held_until__lte=Now(),
            hold_actors__overlap=list(actors),
        )
        .order_by("held_until")
        .values_list("pk", flat=True)[:limit]
    )
    _expire_each(overdue)
    return len(overdue)


def expire_overdue_holds(*, limit: int = 1000) -> int:
    """Expire up to `limit` overdue holds, oldest first; return how many this call expired."""
    overdue = (
        Booking.objects.filter(status=BookingStatus.HELD, held_until__lte=Now())
        .order_by("held_until")
        .values_list("pk", flat=True)[:limit]
    )
    return _expire_each(overdue)


def _expire_each(booking_ids) -> int:
    expired = 0
    for pk in list(booking_ids):
        try:
            expired += booking_expire(booking_id=pk)
        except Busy:
            continue  # its nights are contended right now; the next sweep takes it
    return expired


def purge_idle_tallies() -> int:
    """Delete the hold tallies of actors that hold nothing now; return how many.

    Safe beside holds: one that finds its row gone inserts it again (ON CONFLICT),
    and a row a hold has just counted in no longer matches.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM booking_holdtally WHERE holds = 0 AND room_nights = 0"
        )
        return cursor.rowcount
