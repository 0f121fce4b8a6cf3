"""profile_hold's phases: where the time of sequential holds goes, step by step.

Before the transaction, BEGIN, the lock query, the row lock held, after COMMIT.
Django and the project are imported inside the functions: only after setup_django().
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta


def phases(hot, first_night, holds: int, out: Callable[..., None]):
    """Time the phases of `holds` sequential holds by wrapping the engine's calls."""
    from django.db import transaction

    from booking.services import GuestDetails, booking_hold
    from booking.services import holds as holds_module
    from inventory import locking
    from inventory.rules import StayRequest

    marks: dict[str, float] = {}
    original_begin = locking.begin_locked_section
    original_lock = locking.lock_nights

    def begin():
        marks["begin"] = time.perf_counter()
        return original_begin()

    def lock(*args, **kwargs):
        marks["lock_sent"] = time.perf_counter()
        rows = original_lock(*args, **kwargs)
        marks["locked"] = time.perf_counter()
        transaction.on_commit(
            lambda: marks.__setitem__("committed", time.perf_counter())
        )
        return rows

    locking.begin_locked_section = begin
    locking.lock_nights = lock
    assert holds_module.locking is locking
    stay = StayRequest(first_night, first_night + timedelta(days=1))
    keys = ("total", "before", "open", "lock", "held", "after")
    series: dict[str, list[float]] = {key: [] for key in keys}
    try:
        for i in range(holds):
            start = time.perf_counter()
            booking_hold(
                rate_plan_id=hot.rate_plan_id,
                stay=stay,
                guest=GuestDetails(name=f"Guest {i}", email=f"g{i}@example.com"),
                source="partner",
                idempotency_scope="bench:partner",
                idempotency_key=f"phase-{i}",
            )
            end = time.perf_counter()
            series["total"].append(end - start)
            series["before"].append(marks["begin"] - start)
            series["open"].append(marks["lock_sent"] - marks["begin"])
            series["lock"].append(marks["locked"] - marks["lock_sent"])
            series["held"].append(marks["committed"] - marks["locked"])
            series["after"].append(end - marks["committed"])
    finally:
        locking.begin_locked_section = original_begin
        locking.lock_nights = original_lock
    names = {
        "total": "whole booking_hold",
        "before": "before the transaction (plan, checks, replay, hint)",
        "open": "BEGIN + set lock_timeout/now()",
        "lock": "lock query (SELECT ... FOR UPDATE)",
        "held": "row lock held: lock query returned -> COMMIT returned",
        "after": "after COMMIT (on_commit, return)",
    }
    out(f"\n== Phases of {holds} sequential holds (ms; one process, no contention)")
    for key, label in names.items():
        values = sorted(v * 1000 for v in series[key])
        out(
            f"  {label:55} mean {statistics.fmean(values):6.2f}  "
            f"p50 {statistics.median(values):6.2f}  p95 {values[int(len(values) * 0.95)]:6.2f}"
        )
    held = statistics.median(series["held"])
    out(
        f"  => one process: {holds / sum(series['total']):.0f} holds/s; a hot row whose lock is "
        f"held {held * 1000:.2f} ms can take at most ~{1 / held:.0f} holds/s"
    )
