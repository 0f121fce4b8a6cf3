"""Writes to inventory that are not part of a booking: opening nights, changing them."""

from datetime import date, timedelta

from django.db import transaction

from hotels.models import RoomType

from .models import Inventory


def inventory_open(
    *, room_type: RoomType, start: date, end: date, price: int | None = None
) -> int:
    """Create the missing inventory rows of `room_type` for the nights [start, end).

    Rooms to sell default to the room type's room count, the overbooking units follow its
    allowance, the price defaults to its base price. Existing rows are left untouched.
    Return how many rows were created.
    """
    if end <= start:
        return 0
    rooms = room_type.room_count
    rows = [
        Inventory(
            room_type=room_type,
            date=start + timedelta(days=offset),
            rooms=rooms,
            overbooking=room_type.overbooking_units(rooms),
            price=room_type.base_price if price is None else price,
        )
        for offset in range((end - start).days)
    ]
    with transaction.atomic():
        before = Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=end
        ).count()
        Inventory.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        after = Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=end
        ).count()
    return after - before
