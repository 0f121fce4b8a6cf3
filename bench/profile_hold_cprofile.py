"""profile_hold's CPU profile: a cProfile of sequential holds, by step and by function.

Django and the project are imported inside the functions: only after setup_django().
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from datetime import timedelta


def cpu_profile(hot, first_night, holds: int, top: int, out: Callable[..., None]):
    from booking.services import GuestDetails, booking_hold
    from inventory.rules import StayRequest

    stay = StayRequest(first_night, first_night + timedelta(days=1))
    profiler = cProfile.Profile()
    wall = time.perf_counter()
    cpu = time.process_time()
    profiler.enable()
    for i in range(holds):
        booking_hold(
            rate_plan_id=hot.rate_plan_id,
            stay=stay,
            guest=GuestDetails(name=f"Guest {i}", email=f"p{i}@example.com"),
            source="partner",
            idempotency_scope="bench:partner",
            idempotency_key=f"profile-{i}",
        )
    profiler.disable()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    stats = pstats.Stats(profiler)
    out(
        f"\n== cProfile of {holds} sequential holds: wall {wall * 1000 / holds:.2f} ms/hold, "
        f"this process's CPU {cpu * 1000 / holds:.2f} ms/hold (profiler overhead included)"
    )
    waits = {"psycopg cursor.execute (send + wait)": 0.0, "psycopg commit": 0.0}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        if "psycopg" in filename and name == "execute" and "cursor" in filename:
            waits["psycopg cursor.execute (send + wait)"] += cumulative
        if "psycopg" in filename and name == "commit" and "connection" in filename:
            waits["psycopg commit"] += cumulative
    total = stats.total_tt
    for label, seconds in waits.items():
        out(
            f"  {label}: {seconds * 1000 / holds:.2f} ms/hold ({seconds / total:.0%} of profiled)"
        )
    out("\n-- the engine's steps (cumulative, nested steps count in their callers too)")
    for filename_part, name, label in ENGINE_STEPS:
        seconds = sum(
            cumulative
            for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items()
            if function == name and filename.endswith(filename_part)
        )
        if seconds:
            out(
                f"  {label:58} {seconds * 1000 / holds:6.2f} ms/hold  {seconds / total:5.1%}"
            )
    compile_s = sum(
        cumulative
        for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items()
        if function == "as_sql"
        and filename.endswith("django/db/models/sql/compiler.py")
    )
    out(
        f"  {'  of all: Django compiling SQL (SQLCompiler.as_sql, nested)':58} "
        f"{compile_s * 1000 / holds:6.2f} ms/hold  {compile_s / total:5.1%}"
    )
    for order, label in (("tottime", "own time"), ("cumulative", "cumulative time")):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(
            order
        ).print_stats(top)
        out(f"\n-- top {top} by {label}")
        body = buffer.getvalue()
        out(body[body.find("   ncalls") :].rstrip())


ENGINE_STEPS = [
    ("booking/services/holds.py", "booking_hold", "booking_hold"),
    (
        "booking/services/common.py",
        "load_rate_plan",
        "  load_rate_plan (plan+type+hotel, policy rules)",
    ),
    ("inventory/rules.py", "validate_request", "  validate_request"),
    (
        "booking/services/common.py",
        "validate_guest",
        "  validate_guest (validate_email)",
    ),
    ("booking/services/common.py", "request_fingerprint", "  request_fingerprint"),
    ("booking/services/holds.py", "_replay", "  _replay (idempotency SELECT)"),
    ("inventory/hints.py", "known_short", "  hints.known_short (Redis MGET)"),
    ("booking/services/holds.py", "_hold_once", "  _hold_once (the transaction)"),
    ("inventory/locking.py", "begin_locked_section", "    begin_locked_section"),
    ("inventory/rules.py", "validate_timing", "    validate_timing"),
    ("inventory/locking.py", "lock_nights", "    lock_nights (lock query)"),
    ("inventory/rules.py", "check_nights", "    check_nights"),
    ("inventory/locking.py", "take", "    take (UPDATE booked)"),
    (
        "booking/services/holds.py",
        "_take_and_insert",
        "    _take_and_insert (UPDATE + INSERT, one statement)",
    ),
    ("django/db/models/base.py", "save", "    Booking.save (INSERT)"),
    ("django/db/transaction.py", "__exit__", "    atomic __exit__ (COMMIT)"),
]
