"""Room assignment ahead of and during a stay: the tape chart's one write."""

from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from core.errors import ErrorCode, IllegalTransition, Unavailable
from hotels.models import Room
from inventory import locking

from ..models import Booking, BookingStatus, RoomAssignment
from .common import lock_booking

# A held booking may be given a room too: the hold owns its nights already.
ASSIGNABLE = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


def booking_assign_room(
    *, booking_id: int, room_id: int, from_room_id: int | None = None
) -> Booking:
    """Give a booking room `room_id`, or move it there from `from_room_id`.

    Before arrival the room serves the whole stay (a move replaces the old room's
    assignment); for a guest in house it serves from today (hotel time) on, the old
    room keeping the nights already slept and becoming dirty. The room must be an
    in-order room of the booking's type; the database's exclusion constraint refuses a
    room assigned to an overlapping stay, also when two clerks try at once.
    Raises NotFound, IllegalTransition (status, stay over), Unavailable
    (ROOM_NOT_ASSIGNED, ROOM_NOT_SUITABLE, ROOM_TAKEN) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        if booking.status not in ASSIGNABLE:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION,
                f"A booking that is {booking.get_status_display().lower()} "
                "gets no room.",
                status=booking.status,
            )
        today = now.astimezone(booking.hotel.tz).date()
        if today >= booking.check_out:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION, "This stay is already over."
            )
        in_house = booking.status == BookingStatus.CHECKED_IN
        start = max(today, booking.check_in) if in_house else booking.check_in
        room = (
            Room.objects.filter(pk=room_id, room_type_id=booking.room_type_id)
            .exclude(housekeeping_status=Room.Housekeeping.OUT_OF_ORDER)
            .first()
        )
        if room is None or room_id == from_room_id:
            raise Unavailable(
                ErrorCode.ROOM_NOT_SUITABLE,
                f"Pick another in-order room of type {booking.room_type.name}.",
            )
        assignments = list(booking.assignments.select_for_update())
        if from_room_id is None:
            if len({a.room_id for a in assignments}) >= booking.rooms:
                raise Unavailable(
                    ErrorCode.ROOM_NOT_SUITABLE,
                    f"This booking already has its {booking.rooms} room(s): move one.",
                )
        else:
            current = [
                a
                for a in assignments
                if a.room_id == from_room_id and a.stay.upper > start
            ]
            if not current:
                raise Unavailable(
                    ErrorCode.ROOM_NOT_ASSIGNED,
                    "This booking is not in that room for those nights.",
                )
            for assignment in current:
                if assignment.stay.lower >= start:
                    assignment.delete()
                else:
                    assignment.stay = DateRange(assignment.stay.lower, start, "[)")
                    assignment.save(update_fields=["stay"])
        try:
            with transaction.atomic():
                RoomAssignment.objects.create(
                    booking=booking,
                    room=room,
                    stay=DateRange(start, booking.check_out, "[)"),
                )
        except IntegrityError as error:
            raise Unavailable(
                ErrorCode.ROOM_TAKEN,
                f"Room {room.number} is already assigned to another stay on some "
                "of these nights.",
            ) from error
        if in_house and from_room_id is not None:
            Room.objects.filter(pk=from_room_id).update(
                housekeeping_status=Room.Housekeeping.DIRTY
            )
    return booking
