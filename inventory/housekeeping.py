"""Housekeeping: a room's status, and rooms to sell while a room is out of order."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from core.errors import Busy, ErrorCode, NotFound, ValidationError
from hotels.models import Room

from . import locking
from .services import inventory_shift_rooms

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
        changed, overbooked = [], []
        was_out = room.housekeeping_status == Room.Housekeeping.OUT_OF_ORDER
        if was_out:
            changed, _ = inventory_shift_rooms(
                room_type=room.room_type,
                nights=[n for n in room.out_of_order_nights if n >= today],
                delta=1,
            )
        if going_out:
            nights = [
                today + timedelta(days=i)
                for i in range((out_of_order_until - today).days + 1)
            ]
            changed, overbooked = inventory_shift_rooms(
                room_type=room.room_type, nights=nights, delta=-1
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
