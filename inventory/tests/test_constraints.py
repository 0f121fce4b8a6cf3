"""The database itself refuses an oversold night: the last line of defence (invariant 1)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from inventory.models import Inventory

pytestmark = pytest.mark.django_db


def write(sql: str, params: list) -> None:
    """Run raw SQL, as a bug that bypassed the services would."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_booked_can_never_exceed_rooms_plus_overbooking(room_type, today):
    row = Inventory.objects.get(room_type=room_type, date=today + timedelta(days=3))
    ceiling = row.rooms + row.overbooking

    write("UPDATE inventory_inventory SET booked = %s WHERE id = %s", [ceiling, row.pk])
    with pytest.raises(IntegrityError, match="inventory_booked_within_capacity"):
        write(
            "UPDATE inventory_inventory SET booked = %s WHERE id = %s",
            [ceiling + 1, row.pk],
        )

    row.refresh_from_db()
    assert row.booked == ceiling


def test_booked_can_never_go_below_zero(room_type, today):
    row = Inventory.objects.get(room_type=room_type, date=today + timedelta(days=3))

    with pytest.raises(IntegrityError, match="inventory_booked_within_capacity"):
        write("UPDATE inventory_inventory SET booked = -1 WHERE id = %s", [row.pk])


def test_rooms_cannot_drop_below_what_is_booked(room_type, today):
    row = Inventory.objects.get(room_type=room_type, date=today + timedelta(days=3))
    write("UPDATE inventory_inventory SET booked = 2 WHERE id = %s", [row.pk])

    with pytest.raises(IntegrityError, match="inventory_booked_within_capacity"):
        write(
            "UPDATE inventory_inventory SET rooms = 1, overbooking = 0 WHERE id = %s",
            [row.pk],
        )
