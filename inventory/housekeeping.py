"""Housekeeping: a room's status, and rooms to sell while a room is out of order."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction

from core.errors import Busy, ErrorCode, NotFound, ValidationError
from hotels.models import Room, RoomType

from . import hints, locking
from .locking import Night

MAX_OUT_OF_ORDER_NIGHTS = 365


@dataclass(frozen=True)
class HousekeepingResult:
    room: Room
    # Nights whose rooms to sell changed (fewer when going out of order, more back).
    nights_changed: list[date]
    # Nights still sold beyond the rooms left: a guest there needs another room.
    nights_overbooked: list[date]


def room_set_housekeeping(
    *, room_id: int, status: str, out_of_order_until: date | None = None
) -> HousekeepingResult:
    """Set a room's housekeeping status; out of order takes it off sale until a date.

    Going out of order until `out_of_order_until` (the last night out, hotel time)
    takes one room to sell off each night from today that can spare it; a night whose
    bookings already need every room keeps its rooms and is reported as overbooked, so
    the hotel can move a guest: bookings are never undone here. Back in order gives
    the room back on the nights it was taken from.
    Raises NotFound, ValidationError (bad status or date) or Busy.
    """
    if status not in Room.Housekeeping.values:
        raise ValidationError(
            ErrorCode.INVALID_INVENTORY_CHANGE, "Pick a housekeeping status."
        )
    room = Room.objects.select_related("room_type", "hotel").filter(pk=room_id).first()
    if room is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such room.")
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        today = now.astimezone(room.hotel.tz).date()
        going_out = status == Room.Housekeeping.OUT_OF_ORDER
        if going_out:
            if out_of_order_until is None or out_of_order_until < today:
                raise ValidationError(
                    ErrorCode.INVALID_INVENTORY_CHANGE,
                    "Say until which night (today or later) the room is out of order.",
                    field="until",
                )
            if (out_of_order_until - today).days >= MAX_OUT_OF_ORDER_NIGHTS:
                raise ValidationError(
                    ErrorCode.INVALID_INVENTORY_CHANGE,
                    f"A room is out of order for at most {MAX_OUT_OF_ORDER_NIGHTS} "
                    "nights at a time.",
                    field="until",
                )
        # Inventory rows first, then the room row: the order booking_check_out uses.
        was_out = room.housekeeping_status == Room.Housekeeping.OUT_OF_ORDER
        give_back = (
            sorted({n for n in room.out_of_order_nights if n >= today})
            if was_out
            else []
        )
        take = (
            [
                today + timedelta(days=i)
                for i in range((out_of_order_until - today).days + 1)
            ]
            if going_out
            else []
        )
        # One lock over both sets of nights, in date order: a second lock for the
        # nights taken would break the global order and could deadlock with a hold.
        by_room_type = locking.lock_room_types({room.room_type_id: give_back + take})
        rows = by_room_type.get(room.room_type_id, {})
        rooms = {night: row.rooms for night, row in rows.items()}
        changed, overbooked = [], []
        if give_back:
            changed, _ = _shift_rooms(room.room_type, rows, rooms, give_back, delta=1)
        if take:
            changed, overbooked = _shift_rooms(
                room.room_type, rows, rooms, take, delta=-1
            )
        locked = Room.objects.select_for_update().get(pk=room.pk)
        if (locked.housekeeping_status, locked.out_of_order_nights) != (
            room.housekeeping_status,
            room.out_of_order_nights,
        ):
            # Someone changed the room meanwhile: what was given or taken is stale.
            raise Busy(
                ErrorCode.BUSY, "This room was just changed by someone else. Try again."
            )
        room = locked
        room.housekeeping_status = status
        room.out_of_order_until = out_of_order_until if going_out else None
        room.out_of_order_nights = changed if going_out else []
        room.save(
            update_fields=[
                "housekeeping_status",
                "out_of_order_until",
                "out_of_order_nights",
            ]
        )
    return HousekeepingResult(
        room=room, nights_changed=changed, nights_overbooked=overbooked
    )


_ADJUST_ROOMS_SQL = """
UPDATE inventory_inventory
SET rooms = rooms + %(delta)s,
    overbooking = (rooms + %(delta)s) * %(percent)s / 100,
    updated_at = now()
WHERE room_type_id = %(room_type)s AND date = ANY(%(nights)s)
"""


def _shift_rooms(
    room_type: RoomType,
    rows: dict[date, Night],
    rooms: dict[date, int],
    nights: list[date],
    delta: int,
) -> tuple[list[date], list[date]]:
    """Add `delta` rooms to sell on each locked night (in date order) that can take it.

    A night is skipped when it has no row, or when the change would leave fewer rooms
    (plus overbooking) than are booked there. `rooms` holds the rooms to sell as this
    transaction has left them, and is updated, so that a later shift sees this one.
    Return (nights changed, nights refused because of bookings).
    """
    changed, refused = [], []
    for night in nights:
        if night not in rows:
            continue
        new_rooms = rooms[night] + delta
        capacity = new_rooms + room_type.overbooking_units(max(new_rooms, 0))
        if new_rooms < 0 or capacity < rows[night].booked:
            refused.append(night)
        else:
            changed.append(night)
            rooms[night] = new_rooms
    if changed:
        with connection.cursor() as cursor:
            cursor.execute(
                _ADJUST_ROOMS_SQL,
                {
                    "delta": delta,
                    "percent": room_type.overbooking_percent,
                    "room_type": room_type.pk,
                    "nights": changed,
                },
            )
        transaction.on_commit(lambda: hints.forget(room_type.pk, changed))
    return changed, refused
