#!/usr/bin/env python
"""Where the time of one `booking_hold` goes: queries, Redis calls, phases, CPU profile.

usage: python bench/profile_hold.py [--holds 500] [--top 25] [--collapsed FILE]

On the bench database (as bench/hold_race.py sets it up), in one process with no contention:

1. the SQL queries and Redis commands of each path: a hold with and without an idempotency
   key, "sold out" found under the row lock, "sold out" from the Redis hint;
2. the phases of a hold over --holds sequential holds: before the transaction, opening it,
   the lock query, the time the row lock is held (lock query sent → COMMIT returned), after;
3. a cProfile of those holds (top functions by own time and by cumulative time) and the share
   of wall time spent waiting on PostgreSQL (psycopg execute/commit);
4. with --collapsed, a summary of a py-spy raw profile of a racing worker
   (`hold_race.py --py-spy FILE`): where its wall time went, by category and by function.

Writes bench/results/profile_hold.txt (what it prints).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # the bench's environment and fixtures

OUT = benchlib.RESULTS_DIR / "profile_hold.txt"


class Tee:
    def __init__(self):
        self.buffer = io.StringIO()

    def __call__(self, *parts):
        line = " ".join(str(p) for p in parts)
        print(line)
        self.buffer.write(line + "\n")


def count_redis():
    """Patch redis-py to count the commands and round trips this process sends."""
    import redis.client

    counts = Counter()
    original_execute = redis.client.Redis.execute_command
    original_pipeline = redis.client.Pipeline.execute

    def execute_command(self, *args, **kwargs):
        if not isinstance(self, redis.client.Pipeline):
            counts[str(args[0]).upper()] += 1
            counts["round trips"] += 1
        return original_execute(self, *args, **kwargs)

    def pipeline_execute(self, *args, **kwargs):
        for command_args, _ in self.command_stack:
            counts[str(command_args[0]).upper()] += 1
        counts["round trips"] += 1
        return original_pipeline(self, *args, **kwargs)

    redis.client.Redis.execute_command = execute_command
    redis.client.Pipeline.execute = pipeline_execute
    return counts


def show_paths(hot, sold_out, first_night, redis_counts, out: Callable[..., None]):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from booking.services import GuestDetails, booking_hold
    from core.errors import Unavailable
    from inventory.rules import StayRequest

    stay = StayRequest(first_night, first_night + timedelta(days=1))
    guest = GuestDetails(name="Ada Lovelace", email="ada@example.com")

    def one(label, plan_id, key=None):
        redis_counts.clear()
        with CaptureQueriesContext(connection) as queries:
            try:
                booking_hold(
                    rate_plan_id=plan_id,
                    stay=stay,
                    guest=guest,
                    source="partner" if key else "site",
                    idempotency_scope="bench:partner" if key else "",
                    idempotency_key=key,
                )
                answer = "held"
            except Unavailable as error:
                answer = (
                    f"{error.code} ({'locked' if 'free' in error.params else 'hint'})"
                )
        sql = [q["sql"] for q in queries.captured_queries]
        in_tx = sql.index("BEGIN") if "BEGIN" in sql else None
        redis = {k: v for k, v in redis_counts.items() if k != "round trips"}
        out(
            f"\n{label}: {answer}; {len(sql)} SQL statements"
            + (
                f" ({len(sql) - in_tx} from BEGIN to COMMIT)"
                if in_tx is not None
                else ""
            )
            + f"; Redis {redis_counts['round trips']} round trips {redis}"
        )
        for i, q in enumerate(queries.captured_queries):
            text = " ".join(q["sql"].split())
            out(f"  {i + 1:2}. {float(q['time']) * 1000:5.1f} ms  {text[:110]}")

    out("== Queries and Redis commands per path (one process, no contention)")
    one("hold, no idempotency key", hot.rate_plan_id)
    one("hold, idempotency key", hot.rate_plan_id, key="profile-key-1")
    one("sold out, found under the row lock", sold_out.rate_plan_id)
    one("sold out, told by the Redis hint", sold_out.rate_plan_id)


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

# Phases of a hold, by the innermost of these frames on a sampled stack (py-spy frame names
# are "function (file:line)"); the first match from the end of the stack wins.
PHASES = [
    (
        "load_rate_plan (booking/services/common.py",
        "load_rate_plan: plan, type, hotel, rules",
    ),
    ("_replay (booking/services/holds.py", "_replay: idempotency SELECT"),
    ("known_short (inventory/hints.py", "hint check (Redis MGET)"),
    ("remember_short (inventory/hints.py", "hint store (Redis SET)"),
    (
        "release_overdue_holds (booking/services/holds.py",
        "release_overdue_holds (sold out)",
    ),
    ("validate_guest (booking/services/common.py", "validate_guest"),
    ("request_fingerprint (booking/services/common.py", "request_fingerprint"),
    ("begin_locked_section (inventory/locking.py", "BEGIN + set_config/now()"),
    ("lock_nights (inventory/locking.py", "lock query (incl. lock wait)"),
    ("take (inventory/locking.py", "UPDATE booked (lock held)"),
    ("_take_and_insert (booking/services/holds.py", "UPDATE + INSERT (lock held)"),
    ("Model.save (django/db/models/base.py", "INSERT booking (lock held)"),
    ("Atomic.__exit__ (django/db/transaction.py", "COMMIT (lock held)"),
    ("_hold_once (booking/services/holds.py", "rest of _hold_once (lock held)"),
    ("booking_hold (booking/services/holds.py", "rest of booking_hold"),
]
STATES = ("waiting on PostgreSQL", "sending to PostgreSQL", "Redis I/O", "Python CPU")


def _state(leaf: str) -> str:
    if leaf.startswith("Connection.wait (psycopg/"):
        return "waiting on PostgreSQL"
    if leaf.startswith("ClientCursorMixin._execute_send (psycopg/"):
        return "sending to PostgreSQL"
    if "(redis/" in leaf or "(django_redis/" in leaf:
        return "Redis I/O"
    return "Python CPU"


def collapsed(path: str, top: int, out: Callable[..., None]):
    """Summarise py-spy raw ("collapsed") stacks of a racing worker by phase and state."""
    table: dict[str, Counter] = {}
    leaf = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf[frames[-1]] += n
        phase = "outside booking_hold (bench loop, startup)"
        for frame in reversed(frames):
            match = next(
                (name for prefix, name in PHASES if frame.startswith(prefix)), None
            )
            if match:
                phase = match
                break
        table.setdefault(phase, Counter())[_state(frames[-1])] += n
    out(
        f"\n== py-spy of one racing worker ({Path(path).name}): {total} samples of wall time"
    )
    out(
        "  'sending' is libpq's send: on 2 busy cores the sender is often preempted right after "
        "it wakes its PostgreSQL backend."
    )
    header = f"  {'phase':45} {'share':>6}  " + "  ".join(
        f"{s[:22]:>22}" for s in STATES
    )
    out(header)
    for phase, counts in sorted(table.items(), key=lambda item: -sum(item[1].values())):
        row = f"  {phase:45} {sum(counts.values()) / total:6.1%}  "
        row += "  ".join(f"{counts[s] / total:22.1%}" for s in STATES)
        out(row)
    totals = Counter()
    for counts in table.values():
        totals.update(counts)
    out(
        f"  {'all':45} {1:6.1%}  "
        + "  ".join(f"{totals[s] / total:22.1%}" for s in STATES)
    )
    out(f"  top {top} leaf frames:")
    for frame, n in leaf.most_common(top):
        out(f"    {n / total:6.1%}  {frame[:150] or '(no Python frame)'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holds", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--collapsed", help="a py-spy raw profile to summarise")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="S",
        help="wait up to S s for a quiet machine",
    )
    parser.add_argument("--db-name", default="innkeep_bench")
    parser.add_argument("--cache-prefix", default="innkeep-bench")
    args = parser.parse_args()
    out = Tee()

    benchlib.prepare_environment(args.db_name, args.cache_prefix)
    benchlib.ensure_database()
    benchlib.setup_django()
    benchlib.migrate()
    redis_counts = count_redis()
    benchlib.wipe()
    targets, first_night = benchlib.create_targets(
        hotels=1,
        room_types=2,
        rooms_each=3 * args.holds + 10,
        nights=1,
        overbooking_percent=0,
    )
    hot, sold_out = targets
    from inventory.models import Inventory

    Inventory.objects.filter(room_type_id=sold_out.room_type_id).update(rooms=0)

    machine = benchlib.machine_info()
    out(
        f"profile_hold on {machine['cpu']} ({machine['cores']} cores), Python {machine['python']}, "
        f"PostgreSQL {machine['postgresql']}, load average {machine['load_avg']}, "
        f"git {machine['git']}"
    )
    quiet = benchlib.wait_for_quiet(args.wait_idle)
    ticks = benchlib.cpu_ticks()
    show_paths(hot, sold_out, first_night, redis_counts, out)
    phases(hot, first_night, args.holds, out)
    cpu_profile(hot, first_night, args.holds, args.top, out)
    busy = benchlib.cores_busy(ticks, benchlib.cpu_ticks())
    out(
        f"\nMachine: {quiet:.2f} cores busy in the second before; {busy:.2f} of "
        f"{os.cpu_count()} during (this process, its PostgreSQL backend, Redis, and anything else)"
    )
    if args.collapsed:
        collapsed(args.collapsed, args.top, out)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(out.buffer.getvalue())
    print(f"\nwritten: {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
