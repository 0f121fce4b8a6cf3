"""hold_race's workers: the processes that race `booking_hold`, one room at a time.

Each worker sets Django up, connects and warms up, waits behind the barrier for the
others, then asks until every stay it may ask for was answered "sold out", sends its
probes, and puts every answer (kind, timings, Busy retries) on the results queue. Django
and the project are imported inside the functions: only after setup_django().
"""

from __future__ import annotations

import os
import random
import time
import traceback
from datetime import date, timedelta

from benchlib import proc_cpu_seconds, setup_django

IDEMPOTENCY_SCOPE = "bench:partner"

# Kinds of answer a request ends with.
HELD = "held"
SOLD_OUT_LOCKED = "sold_out_locked"  # told by check_nights under the row lock
SOLD_OUT_HINT = "sold_out_hint"  # told by the Redis hint, before any lock
ERROR = "error"


def _stays(spec: dict) -> list[tuple[int, int, int]]:
    """All (target index, first night offset, length) a worker may ask for."""
    nights = spec["nights"]
    max_len = min(spec["max_stay"], nights)
    return [
        (t, start, length)
        for t in range(len(spec["targets"]))
        for length in range(1, max_len + 1)
        for start in range(nights - length + 1)
    ]


def _trace_lock(marks: dict) -> None:
    """Time, in this worker, the wait for the row lock and how long it is held.

    Wraps inventory.locking.lock_nights (the engine's code is unchanged): "sent" before the
    lock query, "locked" when it returned, "committed" when the transaction committed.
    """
    from django.db import transaction

    from inventory import locking

    original = locking.lock_nights

    def lock_nights(*args, **kwargs):
        marks["sent"] = time.perf_counter()
        rows = original(*args, **kwargs)
        marks["locked"] = time.perf_counter()
        transaction.on_commit(
            lambda: marks.__setitem__("committed", time.perf_counter())
        )
        return rows

    locking.lock_nights = lock_nights


def worker_main(index: int, spec: dict, barrier, results) -> None:
    """One worker process: set Django up, connect, wait for the others, then book."""
    try:
        results.put(_work(index, spec, barrier))
    except BaseException:
        results.put({"index": index, "fatal": traceback.format_exc()})


def _work(index: int, spec: dict, barrier) -> dict:
    setup_django()
    from django.core.cache import cache
    from django.core.validators import validate_email
    from django.db import connection, connections

    from booking.services import GuestDetails, booking_hold, booking_quote
    from core.errors import Busy, ErrorCode, Unavailable
    from inventory.rules import StayRequest

    rng = random.Random(spec["seed"] * 1000 + index)
    targets = spec["targets"]
    first_night = spec["first_night"]
    source = "partner" if spec["idempotency"] else "site"
    partner = None
    if spec.get("partner_id"):
        from accounts.models import Partner

        partner = Partner.objects.get(pk=spec["partner_id"])
        source = "partner"

    lock_marks: dict[str, float] = {}
    if spec["trace_lock"]:
        _trace_lock(lock_marks)

    # Connect and warm the code path (imports, plan loading, cache client) before the start.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]
    cache.get("bench:warmup")
    warm = StayRequest(first_night, first_night + timedelta(days=1))
    booking_quote(rate_plan_id=targets[0]["rate_plan_id"], stay=warm)
    # Django compiles the e-mail domain regex on first use (~50 ms): once per process, so
    # not a cost of a request in a long-lived server.
    validate_email("warm.up@example.com")

    # (kind, start, seconds, busy retries, lock wait s, lock held s): the lock figures are
    # those of the request's last attempt, None where it took no lock or did not commit.
    events: list[tuple] = []
    booking_ids: list[int] = []
    errors: list[str] = []
    serial = 0

    def request(target: dict, offset: int, length: int) -> tuple[str, list[str]]:
        """Ask for one room; retry Busy; record the answer; return (kind, short nights)."""
        nonlocal serial
        serial += 1
        check_in = first_night + timedelta(days=offset)
        stay = StayRequest(check_in, check_in + timedelta(days=length))
        guest = GuestDetails(
            name=f"Bench {index}-{serial}", email=f"w{index}.{serial}@example.com"
        )
        key = f"{spec['run']}-{index}-{serial}" if spec["idempotency"] else None
        busy = 0
        start = time.perf_counter()
        while True:
            lock_marks.clear()
            try:
                booking = booking_hold(
                    rate_plan_id=target["rate_plan_id"],
                    stay=stay,
                    guest=guest,
                    source=source,
                    idempotency_scope=IDEMPOTENCY_SCOPE if key else "",
                    idempotency_key=key,
                    partner=partner,
                )
            except Busy:
                busy += 1
                if busy > spec["max_busy_retries"]:
                    kind, short, detail = ERROR, [], f"Busy {busy} times in a row"
                    break
                time.sleep(rng.uniform(0.001, 0.010))
                continue
            except Unavailable as error:
                if error.code == ErrorCode.SOLD_OUT:
                    short = list(error.params.get("nights", []))
                    kind = SOLD_OUT_LOCKED if "free" in error.params else SOLD_OUT_HINT
                    detail = None
                else:
                    kind, short, detail = ERROR, [], repr(error)
                break
            except Exception as error:
                kind, short, detail = ERROR, [], f"{type(error).__name__}: {error}"
                break
            else:
                kind, short, detail = HELD, [], None
                booking_ids.append(booking.pk)
                break
        wait = held = None
        if "locked" in lock_marks:
            wait = lock_marks["locked"] - lock_marks["sent"]
        if "committed" in lock_marks:
            held = lock_marks["committed"] - lock_marks["locked"]
        events.append((kind, start, time.perf_counter() - start, busy, wait, held))
        if detail is not None:
            errors.append(detail)
        return kind, short

    barrier.wait(timeout=spec["barrier_timeout"])
    started = time.perf_counter()
    cpu_started = time.process_time()
    backend_cpu_started = proc_cpu_seconds(backend_pid)
    deadline = started + spec["timeout"]
    timed_out = False

    # The sale: ask until every stay this worker may ask for was answered "sold out".
    live = _stays(spec)
    while live:
        if time.perf_counter() > deadline:
            timed_out = True
            break
        t, offset, length = live[rng.randrange(len(live))]
        kind, short = request(targets[t], offset, length)
        if kind == ERROR:
            break
        if kind in (SOLD_OUT_LOCKED, SOLD_OUT_HINT):
            short_offsets = {(date.fromisoformat(n) - first_night).days for n in short}
            live = [
                (ti, o, n)
                for ti, o, n in live
                if not (
                    (ti, o, n) == (t, offset, length)
                    or (ti == t and short_offsets & set(range(o, o + n)))
                )
            ]
    sale_done = time.perf_counter()
    sale_cpu = time.process_time() - cpu_started

    # After the sale: a few more requests, to time "sold out" answers on their own.
    every = _stays(spec)
    if not errors and not timed_out:
        for _ in range(spec["probes"]):
            t, offset, length = every[rng.randrange(len(every))]
            request(targets[t], offset, length)

    run_cpu = time.process_time() - cpu_started
    backend_cpu = proc_cpu_seconds(backend_pid)
    if backend_cpu is not None and backend_cpu_started is not None:
        backend_cpu -= backend_cpu_started
    connections.close_all()
    return {
        "index": index,
        "pid": os.getpid(),
        "started": started,
        "sale_done": sale_done,
        "sale_cpu": sale_cpu,
        "sale_requests": len(events),
        "run_cpu": run_cpu,
        "backend_cpu": backend_cpu,  # None when PostgreSQL is not on this machine
        "events": events,
        "booking_ids": booking_ids,
        "errors": errors[:20],
        "error_count": len(errors),
        "timed_out": timed_out,
    }
