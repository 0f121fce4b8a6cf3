"""inventory_apply takes every lock in one statement, in the global order, first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotels.tests.factories import RoomTypeFactory
from inventory.services import InventoryChange, inventory_apply

pytestmark = pytest.mark.django_db


def test_apply_locks_every_room_type_in_one_statement_before_writing(
    hotel, room_type, today
):
    other = RoomTypeFactory(hotel=hotel, room_count=10)
    start = today + timedelta(days=1)
    changes = [
        InventoryChange(
            room_type_id=rt.pk, start=start, end=start + timedelta(days=7), rooms=2
        )
        for rt in (other, room_type)
    ]

    with CaptureQueriesContext(connection) as queries:
        inventory_apply(changes=changes, room_types=[room_type, other])

    statements = [q["sql"] for q in queries.captured_queries]
    locks = [i for i, sql in enumerate(statements) if "FOR UPDATE" in sql]
    writes = [i for i, sql in enumerate(statements) if 'UPDATE "inventory' in sql]
    assert len(locks) == 1, statements
    assert "ORDER BY room_type_id, date" in statements[locks[0]]
    assert any("lock_timeout" in sql for sql in statements[: locks[0]])
    assert writes and locks[0] < min(writes)
