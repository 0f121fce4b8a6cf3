"""The front desk: check-in with room assignment, check-out, no-show (hotel-local dates)."""

from collections.abc import Sequence
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange

from core.errors import ErrorCode, IllegalTransition, Unavailable
from hotels.models import Room
from inventory import hints, locking
from inventory.rules import StayRequest

from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingStatus, RoomAssignment
from ..states import ensure_transition
from .common import lock_booking


def booking_check_in(*, booking_id: int, room_ids: Sequence[int] = ()) -> Booking:
    """Check a confirmed booking in on a day of its stay, assigning physical rooms.

    The database refuses a room already assigned to an overlapping stay.
    Raises NotFound, IllegalTransition (TOO_EARLY before arrival day), Unavailable
    (ROOM_NOT_SUITABLE, ROOM_TAKEN) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_transition(booking, BookingStatus.CHECKED_IN)
        today = now.astimezone(booking.hotel.tz).date()
        if today < booking.check_in:
            raise IllegalTransition(
                ErrorCode.TOO_EARLY,
                f"Check-in opens on {booking.check_in:%d %b %Y}, hotel time.",
            )
        if today >= booking.check_out:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION, "This stay is already over."
            )
        _assign_rooms(booking, room_ids)
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at", "updated_at"])
        events.publish(booking.pk, BookingEvent.CHECKED_IN)
    return booking


def _assign_rooms(booking: Booking, room_ids: Sequence[int]) -> None:
    room_ids = list(dict.fromkeys(room_ids))
    if not room_ids:
        return
    rooms = list(
        Room.objects.filter(pk__in=room_ids, room_type_id=booking.room_type_id).exclude(
            housekeeping_status=Room.Housekeeping.OUT_OF_ORDER
        )
    )
    if len(rooms) != len(room_ids) or len(room_ids) > booking.rooms:
        raise Unavailable(
            ErrorCode.ROOM_NOT_SUITABLE,
            f"Assign up to {booking.rooms} in-order rooms of type {booking.room_type.name}.",
        )
    stay = DateRange(booking.check_in, booking.check_out, "[)")
    # Rooms picked at check-in replace any the tape chart assigned ahead.
    booking.assignments.all().delete()
    try:
        RoomAssignment.objects.bulk_create(
            [RoomAssignment(booking=booking, room=room, stay=stay) for room in rooms]
        )
    except IntegrityError as error:
        raise Unavailable(
            ErrorCode.ROOM_TAKEN,
            "One of these rooms is already assigned to another stay.",
        ) from error


def booking_check_out(*, booking_id: int) -> Booking:
    """Check a guest out; an early departure gives back the nights not stayed.

    Assigned rooms become dirty for housekeeping.
    Raises NotFound, IllegalTransition or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_transition(booking, BookingStatus.CHECKED_OUT)
        today = now.astimezone(booking.hotel.tz).date()
        departure = max(today, booking.check_in + timedelta(days=1))
        fields = ["status", "checked_out_at", "updated_at"]
        if departure < booking.check_out:
            unused = StayRequest(departure, booking.check_out).nights
            locking.release(booking.room_type_id, unused, booking.rooms)
            booking.nightly_prices = booking.nightly_prices[
                : (departure - booking.check_in).days
            ]
            booking.total = sum(booking.nightly_prices) * booking.rooms
            booking.check_out = departure
            fields += ["check_out", "nightly_prices", "total"]
            booking.assignments.update(
                stay=DateRange(booking.check_in, departure, "[)")
            )
            room_type_id = booking.room_type_id
            transaction.on_commit(lambda: hints.forget(room_type_id, unused))
        Room.objects.filter(assignments__booking=booking).update(
            housekeeping_status=Room.Housekeeping.DIRTY
        )
        booking.status = BookingStatus.CHECKED_OUT
        booking.checked_out_at = now
        booking.save(update_fields=fields)
        events.publish(booking.pk, BookingEvent.CHECKED_OUT)
    return booking


def booking_mark_no_show(*, booking_id: int) -> Booking:
    """Mark a confirmed booking whose guest never came; its rooms go back on sale.

    Raises NotFound, IllegalTransition (TOO_EARLY before the arrival day) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_transition(booking, BookingStatus.NO_SHOW)
        if now.astimezone(booking.hotel.tz).date() < booking.check_in:
            raise IllegalTransition(
                ErrorCode.TOO_EARLY,
                "A guest can be a no-show only from the arrival day on.",
            )
        nights = StayRequest(booking.check_in, booking.check_out).nights
        locking.release(booking.room_type_id, nights, booking.rooms)
        booking.status = BookingStatus.NO_SHOW
        booking.no_show_at = now
        booking.save(update_fields=["status", "no_show_at", "updated_at"])
        events.publish(booking.pk, BookingEvent.NO_SHOW)
        room_type_id = booking.room_type_id
        transaction.on_commit(lambda: hints.forget(room_type_id, nights))
    return booking


def booking_move_room(
    *, booking_id: int, from_room_id: int, to_room_id: int
) -> Booking:
    """Move a checked-in guest to another room of the same type from today (hotel time).

    The old room's assignment ends today and that room becomes dirty; the new room
    serves from today to departure. The database refuses a room already assigned to
    an overlapping stay.
    Raises NotFound, IllegalTransition (not checked in, stay over), Unavailable
    (ROOM_NOT_ASSIGNED, ROOM_NOT_SUITABLE, ROOM_TAKEN) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        if booking.status != BookingStatus.CHECKED_IN:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION,
                "Only a guest who is checked in can move to another room.",
                status=booking.status,
            )
        today = now.astimezone(booking.hotel.tz).date()
        if today >= booking.check_out:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION, "This stay is already over."
            )
        start = max(today, booking.check_in)
        assignment = (
            booking.assignments.select_for_update()
            .filter(room_id=from_room_id, stay__contains=start)
            .first()
        )
        if assignment is None:
            raise Unavailable(
                ErrorCode.ROOM_NOT_ASSIGNED,
                "This guest is not in that room tonight.",
            )
        room = (
            Room.objects.filter(pk=to_room_id, room_type_id=booking.room_type_id)
            .exclude(pk=from_room_id)
            .exclude(housekeeping_status=Room.Housekeeping.OUT_OF_ORDER)
            .first()
        )
        if room is None:
            raise Unavailable(
                ErrorCode.ROOM_NOT_SUITABLE,
                f"Pick another in-order room of type {booking.room_type.name}.",
            )
        if assignment.stay.lower >= start:
            assignment.delete()
        else:
            assignment.stay = DateRange(assignment.stay.lower, start, "[)")
            assignment.save(update_fields=["stay"])
        try:
            RoomAssignment.objects.create(
                booking=booking,
                room=room,
                stay=DateRange(start, booking.check_out, "[)"),
            )
        except IntegrityError as error:
            raise Unavailable(
                ErrorCode.ROOM_TAKEN,
                f"Room {room.number} is already assigned to another stay.",
            ) from error
        Room.objects.filter(pk=from_room_id).update(
            housekeeping_status=Room.Housekeeping.DIRTY
        )
    return booking
