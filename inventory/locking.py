"""Row locks on per-night inventory: taken only here, always in one global order.

This is the only module that locks `inventory_inventory` rows or writes their `booked`
count. The global order is room type, then date (`ORDER BY ... FOR UPDATE`), after any
booking row the caller locks, so two overlapping stays can never deadlock. A lock wait
is bounded by `lock_timeout`; contention beyond it becomes `Busy`.
"""

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import psycopg.errors
from django.conf import settings
from django.db import OperationalError, connection

from core import metrics
from core.errors import Busy, ErrorCode


@dataclass(frozen=True, slots=True)
class Night:
    id: int
    date: date
    rooms: int
    overbooking: int
    booked: int
    price: int
    stop_sell: bool
    min_stay: int
    max_stay: int | None
    closed_to_arrival: bool
    closed_to_departure: bool
    closed: bool = False

    @property
    def free(self) -> int:
        return self.rooms + self.overbooking - self.booked


_COLUMNS = (
    "id, date, rooms, overbooking, booked, price, stop_sell, min_stay, max_stay, "
    "closed_to_arrival, closed_to_departure, closed"
)

# The locked rows come from a CTE so that one round trip also reads, without locking it,
# the departure day's row (closed-to-departure lives there).
_LOCK_SQL = f"""
WITH locked AS (
    SELECT {_COLUMNS} FROM inventory_inventory
    WHERE room_type_id = %s AND date = ANY(%s)
    ORDER BY date
    FOR UPDATE
)
SELECT true, {_COLUMNS} FROM locked
UNION ALL
SELECT false, {_COLUMNS} FROM inventory_inventory WHERE room_type_id = %s AND date = %s
"""  # noqa: S608 (the column list is a constant)

# The same for the room type of a rate plan, named by the plan: the caller need not have
# read the plan first.
_LOCK_PLAN_SQL = f"""
WITH locked AS (
    SELECT {_COLUMNS} FROM inventory_inventory
    WHERE room_type_id = (SELECT room_type_id FROM inventory_rateplan WHERE id = %s)
      AND date = ANY(%s)
    ORDER BY date
    FOR UPDATE
)
SELECT true, {_COLUMNS} FROM locked
UNION ALL
SELECT false, {_COLUMNS} FROM inventory_inventory
WHERE room_type_id = (SELECT room_type_id FROM inventory_rateplan WHERE id = %s)
  AND date = %s
"""  # noqa: S608 (the column list is a constant)

_BOUND_SQL = "SELECT set_config('lock_timeout', %s, true), now()"

# Several room types in one statement: the pairs wanted come as two parallel arrays.
_LOCK_ROOM_TYPES_SQL = f"""
SELECT room_type_id, {_COLUMNS} FROM inventory_inventory
WHERE (room_type_id, date) IN (SELECT * FROM unnest(%s::bigint[], %s::date[]))
ORDER BY room_type_id, date
FOR UPDATE
"""  # noqa: S608 (the column list is a constant)

# Every open night of one room type from a date on (a change to the room type itself).
_LOCK_FROM_SQL = f"""
SELECT {_COLUMNS} FROM inventory_inventory
WHERE room_type_id = %s AND date >= %s
ORDER BY date
FOR UPDATE
"""  # noqa: S608 (the column list is a constant)

_TAKE_SQL = "UPDATE inventory_inventory SET booked = booked + %s WHERE id = ANY(%s)"

# A data-modifying CTE runs exactly once whether or not the query reads it; the count
# of its rows says whether every night was taken, even when the insert returns nothing.
# `after` may read what `inserted` returned (e.g. write an event for the new row).
_TAKE_AND_INSERT_SQL = """
WITH taken AS (
    UPDATE inventory_inventory SET booked = booked + %s WHERE id = ANY(%s)
    RETURNING 1
), inserted AS (
    {insert}
){after}
SELECT taken.count, inserted.*
FROM (SELECT count(*) FROM taken) AS taken LEFT JOIN inserted ON true
"""

# With a guard: one more data-modifying CTE of the caller's whose rows are counted
# (e.g. the hold caps' tallies, whose locks are then the statement's last).
_TAKE_GUARD_AND_INSERT_SQL = """
WITH taken AS (
    UPDATE inventory_inventory SET booked = booked + %s WHERE id = ANY(%s)
    RETURNING 1
), guarded AS (
    {guard}
), inserted AS (
    {insert}
){after}
SELECT taken.count, guarded.count, inserted.*
FROM (SELECT count(*) FROM taken) AS taken
CROSS JOIN (SELECT count(*) FROM guarded) AS guarded
LEFT JOIN inserted ON true
"""


class GuardRefused(Exception):
    """take_and_insert's guard returned fewer rows than it had to (nothing is kept
    once the caller's transaction rolls back)."""


# Locks in date order in the subquery, then releases: one round trip, no deadlock.
_RELEASE_SQL = """
UPDATE inventory_inventory AS i SET booked = i.booked - %s
FROM (
    SELECT id FROM inventory_inventory
    WHERE room_type_id = %s AND date = ANY(%s)
    ORDER BY date
    FOR UPDATE
) AS l
WHERE i.id = l.id
"""


# Locks a hotel's nights from `start` to `end` (NULL: no end) in the global order,
# then sets `closed` on each to whether any live closure range covers it; the ranges
# come as two parallel arrays (an end NULL: open-ended). Rows already right are locked
# (a hold in flight finishes first) but not written.
_SYNC_CLOSED_SQL = """
UPDATE inventory_inventory AS i SET closed = l.want
FROM (
    SELECT inv.id, EXISTS (
        SELECT 1 FROM unnest(%s::date[], %s::date[]) AS c(s, e)
        WHERE inv.date >= c.s AND inv.date <= COALESCE(c.e, 'infinity'::date)
    ) AS want
    FROM inventory_inventory AS inv
    WHERE inv.room_type_id = ANY(%s)
      AND inv.date >= %s AND inv.date <= COALESCE(%s::date, 'infinity'::date)
    ORDER BY inv.room_type_id, inv.date
    FOR UPDATE OF inv
) AS l
WHERE i.id = l.id AND i.closed IS DISTINCT FROM l.want
"""


def sync_closed(
    room_type_ids: Iterable[int],
    start: date,
    end: date | None,
    ranges: Iterable[tuple[date, date | None]],
) -> int:
    """Lock the nights of `room_type_ids` from `start` to `end` (None: every later one)
    and mark each closed exactly when one of `ranges` (first, last night; last None:
    no end) covers it. Return how many rows changed.

    A hold that locked some of these nights first commits before this returns; one
    that waits for them reads them closed. Stop-sell is never touched.
    """
    ranges = list(ranges)
    with connection.cursor() as cursor:
        cursor.execute(
            _SYNC_CLOSED_SQL,
            [
                [first for first, _ in ranges],
                [last for _, last in ranges],
                sorted(set(room_type_ids)),
                start,
                end,
            ],
        )
        return cursor.rowcount


def begin_locked_section() -> datetime:
    """Bound lock waits for the current transaction and return the database's `now()`.

    Raises RuntimeError outside a transaction: a lock there would be released at once.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("Inventory locks must be taken inside transaction.atomic().")
    with connection.cursor() as cursor:
        cursor.execute(_BOUND_SQL, [_lock_timeout()])
        return cursor.fetchone()[1]


def _lock_timeout() -> str:
    return f"{int(settings.INVENTORY_LOCK_TIMEOUT_MS)}ms"


@dataclass(frozen=True, slots=True)
class PlanNights:
    """What `lock_plan_nights` read: the clock, the caller's reads, the nights."""

    now: datetime
    reads: list[tuple | None]
    rows: dict[date, Night]
    departure: Night | None


def lock_plan_nights(
    rate_plan_id: int,
    nights: Iterable[date],
    departure: date,
    reads: Sequence[tuple[str, Sequence]] = (),
) -> PlanNights:
    """Begin a locked section and lock the nights of a rate plan's room type, in one
    round trip; also run the caller's `reads` (SELECTs, each read for one row).

    The same as begin_locked_section() then lock_nights(), for a caller that knows only
    the plan and has more to read: the statements go to PostgreSQL as one message, in
    order (bound lock waits, the reads, the lock), through Django's client-side binding
    cursor (psycopg's ClientCursor; the database's OPTIONS must not turn on
    server_side_binding). Each read is (sql, params) and gives its first row or None.
    Raises RuntimeError outside a transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("Inventory locks must be taken inside transaction.atomic().")
    dates = sorted(set(nights))
    statements = [_BOUND_SQL, *(sql for sql, _ in reads), _LOCK_PLAN_SQL]
    params = [_lock_timeout()]
    for _, read_params in reads:
        params.extend(read_params)
    params += [rate_plan_id, dates, rate_plan_id, departure]
    locked: dict[date, Night] = {}
    departure_row = None
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements), params)
        now = cursor.fetchone()[1]
        found = []
        for _ in reads:
            cursor.nextset()
            found.append(cursor.fetchone())
        cursor.nextset()
        for is_locked, *values in cursor.fetchall():
            row = Night(*values)
            if is_locked:
                locked[row.date] = row
            else:
                departure_row = row
    return PlanNights(now, found, locked, departure_row)


def lock_nights(
    room_type_id: int, nights: Iterable[date], departure: date | None = None
) -> tuple[dict[date, Night], Night | None]:
    """Lock the rows of `nights` of a room type; also read (unlocked) the `departure` row.

    Return the locked rows by date (a missing night is absent) and the departure row.
    """
    dates = sorted(set(nights))
    locked: dict[date, Night] = {}
    departure_row = None
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL, [room_type_id, dates, room_type_id, departure])
        for is_locked, *values in cursor.fetchall():
            row = Night(*values)
            if is_locked:
                locked[row.date] = row
            else:
                departure_row = row
    return locked, departure_row


def lock_room_types(
    nights: Mapping[int, Iterable[date]],
) -> dict[int, dict[date, Night]]:
    """Lock the given nights of several room types at once, in the global order.

    `nights` maps a room type id to its nights. One statement takes every lock, so a
    caller never locks twice in a transaction. Return the locked rows by room type id,
    then by date (a missing night is absent, and so is a room type with none).
    """
    pairs = sorted(
        {
            (room_type_id, night)
            for room_type_id, days in nights.items()
            for night in days
        }
    )
    locked: dict[int, dict[date, Night]] = {}
    if not pairs:
        return locked
    room_type_ids = [room_type_id for room_type_id, _ in pairs]
    dates = [night for _, night in pairs]
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_ROOM_TYPES_SQL, [room_type_ids, dates])
        for room_type_id, *values in cursor.fetchall():
            row = Night(*values)
            locked.setdefault(room_type_id, {})[row.date] = row
    return locked


def lock_room_type_from(room_type_id: int, start: date) -> dict[date, Night]:
    """Lock every night of a room type from `start` on, in date order, in one statement.

    Return the locked rows by date.
    """
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_FROM_SQL, [room_type_id, start])
        return {row.date: row for row in (Night(*v) for v in cursor.fetchall())}


def take(rows: Iterable[Night], rooms: int) -> None:
    """Add `rooms` to booked on rows this transaction has locked."""
    ids = [row.id for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_SQL, [rooms, ids])
        if cursor.rowcount != len(ids):
            raise RuntimeError(f"took {cursor.rowcount} of {len(ids)} inventory rows")


@functools.lru_cache(maxsize=8)
def _take_and_insert_sql(insert_sql: str, after_sql: str, guard_sql: str) -> str:
    after = f", after_insert AS (\n    {after_sql}\n)" if after_sql else ""
    if guard_sql:
        return _TAKE_GUARD_AND_INSERT_SQL.format(
            guard=guard_sql, insert=insert_sql, after=after
        )
    return _TAKE_AND_INSERT_SQL.format(insert=insert_sql, after=after)


def take_and_insert(
    rows: Iterable[Night],
    rooms: int,
    insert_sql: str,
    params: Sequence,
    after: tuple[str, Sequence] | None = None,
    guard: tuple[str, Sequence, int] | None = None,
) -> tuple:
    """Add `rooms` to booked on locked rows and run the caller's insert in one statement.

    Under the row lock every round trip counts, so the take and the insert that records
    it travel together. The caller owns `insert_sql` (one `INSERT ... RETURNING ...`
    with `%s` placeholders for `params`): this module wraps it in the take's CTE and so
    never learns another table's columns. `after`, (sql, params), is one more
    data-modifying statement of the caller's that may read the insert's rows as
    `inserted` (the booking's event, written with it). `guard`, (sql, params, rows),
    is one more of the caller's that must return `rows` rows. Return the row the
    insert returned (all None if it returned none).
    Raises RuntimeError when a row was not taken, GuardRefused when the guard returned
    fewer rows (either way the caller's transaction must roll back).
    """
    ids = [row.id for row in rows]
    after_sql, after_params = after or ("", ())
    guard_sql, guard_params, wanted = guard or ("", (), 0)
    with connection.cursor() as cursor:
        cursor.execute(
            _take_and_insert_sql(insert_sql, after_sql, guard_sql),
            [rooms, ids, *guard_params, *params, *after_params],
        )
        taken, *returned = cursor.fetchone()
    if taken != len(ids):
        raise RuntimeError(f"took {taken} of {len(ids)} inventory rows")
    if guard_sql:
        guarded, *returned = returned
        if guarded < wanted:
            raise GuardRefused(f"guard returned {guarded} of {wanted} rows")
    return tuple(returned)


def release(room_type_id: int, nights: Iterable[date], rooms: int) -> int:
    """Lock (in date order) and subtract `rooms` from booked on the given nights.

    Return how many rows changed.
    """
    with connection.cursor() as cursor:
        cursor.execute(_RELEASE_SQL, [rooms, room_type_id, sorted(set(nights))])
        return cursor.rowcount


_BUSY_ERRORS = (
    psycopg.errors.LockNotAvailable,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.QueryCanceled,
)


@contextmanager
def busy_on_contention() -> Iterator[None]:
    """Turn a lock timeout (or a deadlock) inside the block into a retryable `Busy`."""
    try:
        yield
    except OperationalError as error:
        if isinstance(error.__cause__, _BUSY_ERRORS):
            metrics.BUSY.inc()
            raise Busy(
                ErrorCode.BUSY,
                "Many guests are booking these nights right now. Please try again in a moment.",
            ) from error
        raise
