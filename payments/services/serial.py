"""One payment action at a time per booking, across processes.

A session-level PostgreSQL advisory lock, keyed by the booking, spans the several short
transactions of a payment action (the booking services own and commit their own), so a
webhook, the guest's browser and the reconciliation sweep never interleave on one
booking. It is always taken before any row lock; booking services never take it, so no
cycle can form. A dead connection releases it.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from core.errors import Busy, ErrorCode

_NAMESPACE = 7_370_002


@contextmanager
def booking_serial(booking_id: int, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the payments lock of one booking for the block (re-entrant).

    Raises Busy when another action keeps it longer than `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)",
                [_NAMESPACE, booking_id % 2_147_483_647],
            )
            if cursor.fetchone()[0]:
                break
            if time.monotonic() > deadline:
                raise Busy(
                    ErrorCode.BUSY,
                    "This booking's payment is being updated. Please try again.",
                )
            time.sleep(0.02)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                [_NAMESPACE, booking_id % 2_147_483_647],
            )
