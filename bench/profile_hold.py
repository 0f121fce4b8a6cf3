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

Writes bench/results/profile_hold.txt (what it prints). Each measurement is in a module of
its own: profile_hold_queries.py, _phases.py, _cprofile.py, _pyspy.py.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # the bench's environment and fixtures
from profile_hold_cprofile import cpu_profile
from profile_hold_phases import phases
from profile_hold_pyspy import collapsed
from profile_hold_queries import count_redis, show_paths

OUT = benchlib.RESULTS_DIR / "profile_hold.txt"


class Tee:
    """Print each line and keep it for bench/results/profile_hold.txt."""

    def __init__(self):
        self.buffer = io.StringIO()

    def __call__(self, *parts):
        line = " ".join(str(p) for p in parts)
        print(line)
        self.buffer.write(line + "\n")


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
    from inventory.models import Inventory  # only after setup_django()

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
