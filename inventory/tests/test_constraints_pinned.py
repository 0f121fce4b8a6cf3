"""The database's own guards, read back from pg_constraint: a migration that dropped or
loosened one (the model and its migration changed together) fails here."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def definition(table: str, name: str) -> tuple[str, str]:
    """Return (contype, pg_get_constraintdef) of the constraint `name` on `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND conname = %s
            """,
            [table, name],
        )
        row = cursor.fetchone()
    assert row is not None, f"{table} has no constraint {name}"
    return row


def test_the_capacity_check_is_in_the_database_as_written():
    kind, text = definition("inventory_inventory", "inventory_booked_within_capacity")

    assert kind == "c"
    assert text == "CHECK (((booked >= 0) AND (booked <= (rooms + overbooking))))"


def test_the_room_exclusion_is_in_the_database_as_written():
    kind, text = definition("booking_roomassignment", "room_never_double_assigned")

    assert kind == "x"
    assert text == "EXCLUDE USING gist (room_id WITH =, stay WITH &&)"
