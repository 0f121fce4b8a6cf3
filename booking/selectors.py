"""Reads over bookings."""

from dataclasses import dataclass
from datetime import date

from django.db import connection

from .models import (
    LIVE_STATUSES,
    Booking,
    BookingEmail,
    BookingStatus,
    ClosureBooking,
)


@dataclass(frozen=True, slots=True)
class CountDisagreement:
    """An inventory night whose `booked` differs from the rooms its live bookings hold."""

    room_type_id: int
    date: date
    booked: int | None  # None: live bookings cover a night that has no inventory row
    expected: int


# Expected counts come from expanding each live booking into its nights; a full outer
# join also reports nights that bookings cover but that have no inventory row.
_DISAGREEMENTS_SQL = """
WITH expected AS (
    SELECT b.room_type_id, night::date AS date, SUM(b.rooms) AS rooms
    FROM booking_booking b
    CROSS JOIN LATERAL generate_series(b.check_in, b.check_out - 1, interval '1 day') AS night
    WHERE b.status = ANY(%(live)s) {booking_filter}
    GROUP BY b.room_type_id, night::date
)
SELECT COALESCE(i.room_type_id, e.room_type_id), COALESCE(i.date, e.date), i.booked,
       COALESCE(e.rooms, 0)
FROM (SELECT room_type_id, date, booked FROM inventory_inventory i WHERE true {inventory_filter}) i
FULL OUTER JOIN expected e ON e.room_type_id = i.room_type_id AND e.date = i.date
WHERE i.booked IS DISTINCT FROM COALESCE(e.rooms, 0)
ORDER BY 1, 2
"""


def inventory_disagreements(
    *, room_type_ids: list[int] | None = None
) -> list[CountDisagreement]:
    """Return every night where inventory and live bookings disagree (invariant 2)."""
    params = {"live": list(LIVE_STATUSES), "room_types": room_type_ids}
    booking_filter = inventory_filter = ""
    if room_type_ids is not None:
        booking_filter = "AND b.room_type_id = ANY(%(room_types)s)"
        inventory_filter = "AND i.room_type_id = ANY(%(room_types)s)"
    sql = _DISAGREEMENTS_SQL.format(
        booking_filter=booking_filter, inventory_filter=inventory_filter
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [CountDisagreement(*row) for row in cursor.fetchall()]


@dataclass(frozen=True, slots=True)
class TallyDisagreement:
    """A hold-cap tally whose counts differ from the held bookings counted in it."""

    actor: str
    holds: int | None  # None: held bookings name an actor that has no tally row
    room_nights: int | None
    expected_holds: int
    expected_room_nights: int


_TALLY_DISAGREEMENTS_SQL = """
WITH expected AS (
    SELECT a.actor, count(*) AS holds,
           sum(b.rooms * (b.check_out - b.check_in)) AS room_nights
    FROM booking_booking b CROSS JOIN LATERAL unnest(b.hold_actors) AS a(actor)
    WHERE b.status = 'held'
    GROUP BY a.actor
)
SELECT COALESCE(t.actor, e.actor), t.holds, t.room_nights,
       COALESCE(e.holds, 0), COALESCE(e.room_nights, 0)
FROM booking_holdtally t FULL OUTER JOIN expected e ON e.actor = t.actor
WHERE COALESCE(t.holds, 0) <> COALESCE(e.holds, 0)
   OR COALESCE(t.room_nights, 0) <> COALESCE(e.room_nights, 0)
ORDER BY 1
"""


def tally_disagreements() -> list[TallyDisagreement]:
    """Return every hold-cap tally that disagrees with the held bookings (invariant 11).

    One statement, so one snapshot: a hold and its tally commit together.
    """
    with connection.cursor() as cursor:
        cursor.execute(_TALLY_DISAGREEMENTS_SQL)
        return [TallyDisagreement(*row) for row in cursor.fetchall()]


def bookings_of_user(user, now) -> tuple[list, list]:
    """Return a signed-in guest's (upcoming, past) bookings with hotel, room and plan.

    Upcoming: held, confirmed or checked in, departing today or later (UTC date, a day's
    slack covers every hotel zone). Past: everything else, most recent stay first.
    """
    active = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
    rows = list(
        Booking.objects.filter(user=user)
        .select_related("hotel", "room_type", "rate_plan")
        .order_by("check_in", "pk")
    )
    cutoff = now.date()
    upcoming = [b for b in rows if b.status in active and b.check_out >= cutoff]
    past = [b for b in reversed(rows) if b not in upcoming]
    return upcoming, past


def booking_by_reference_and_email(reference: str, email: str):
    """Return the booking with this reference whose guest e-mail matches, or None."""
    return (
        Booking.objects.filter(
            reference=reference[:16], guest_email__iexact=email.strip()
        )
        .select_related("hotel")
        .first()
    )


@dataclass(frozen=True, slots=True)
class ClosureLine:
    """One booking of a closure's checklist: who it is, whether told, what is left."""

    booking: Booking
    status_then: str
    told: bool  # the guest's e-mail about the closure went out
    cancelled: bool
    to_move: bool  # still live on a closed night: the hotel must move or cancel it


def closure_checklist(closure) -> list[ClosureLine]:
    """Return the bookings a closure fell on, by arrival, with what became of each."""
    rows = list(
        ClosureBooking.objects.filter(closure=closure)
        .select_related("booking", "booking__partner", "booking__room_type")
        .order_by("booking__check_in", "booking__pk")
    )
    keys = [
        f"hotel.deactivated:{closure.pk}",
        f"hotel.closed:{closure.pk}",
    ]
    told = set(
        BookingEmail.objects.filter(
            booking_id__in=[row.booking_id for row in rows], key__in=keys
        ).values_list("booking_id", flat=True)
    )
    lines = []
    for row in rows:
        booking = row.booking
        on_closed_night = booking.check_out > closure.start and (
            closure.end is None or booking.check_in <= closure.end
        )
        live = booking.status in (BookingStatus.HELD, BookingStatus.CONFIRMED)
        lines.append(
            ClosureLine(
                booking=booking,
                status_then=row.status_then,
                told=booking.pk in told,
                cancelled=booking.status == BookingStatus.CANCELLED,
                to_move=live and on_closed_night and closure.lifted_at is None,
            )
        )
    return lines
