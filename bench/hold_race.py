#!/usr/bin/env python
"""Race worker processes on `booking_hold` and check afterwards that nothing was oversold.

Scenarios (see bench/README.md):

- hot: one room type with R rooms (default 2,000) for ONE night; every worker asks for one
  room of that night, again and again, until it is told "sold out".
- spread: R rooms spread over T room types (default 100 × 20) in H hotels; every worker asks
  for a random room type (one night, or short stays with --spread-nights) until every room
  type has told it "sold out".

Each worker is its own process (multiprocessing "spawn") with its own Django setup and its
own PostgreSQL connection; all of them connect, warm up, then start together behind a barrier.
A `Busy` answer is retried (same request, same idempotency key). After the workers have
`--probes` more requests after their first "sold out", to measure how cheaply the rush is
told "sold out" (by the locked check, or by the Redis hint, told apart by the error's params).

After each run: every inventory row has 0 <= booked <= rooms + overbooking, every sold night is
full, the held bookings equal the rooms sold and the holds the workers were told about, no
other error happened, and `inventory_disagreements()` is empty. It prints PASS/FAIL per check
and exits 1 if anything failed.

The benchmark owns a database (default `innkeep_bench`) on the server of DATABASE_URL (from
the environment, else .data/services.env, else postgres://postgres@127.0.0.1:5432/innkeep);
it creates and migrates it, and wipes its data before each run. Its cache keys use their own
CACHE_KEY_PREFIX on the REDIS_URL server. It runs `config.settings.local` with DEBUG off
(DEBUG would record every query).

This file is the command line; a run is in hold_race_scenarios.py, its workers in
hold_race_workers.py, its checks in hold_race_checks.py, its figures, tables, report and
plot in hold_race_figures.py, hold_race_tables.py, hold_race_report.py, hold_race_plot.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchlib import (
    RESULTS_DIR,
    SETTINGS_MODULE,
    engine_fingerprint,
    ensure_database,
    machine_info,
    migrate,
    prepare_environment,
    setup_django,
)
from hold_race_plot import plot
from hold_race_report import interpretation, write_report
from hold_race_scenarios import run_scenario
from hold_race_tables import (
    fmt_ms,
    inside_table,
    latency_table,
    median_table,
    throughput_table,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers", type=int, default=8, help="worker processes (default 8)"
    )
    parser.add_argument(
        "--rooms", type=int, default=2000, help="rooms on sale (default 2000)"
    )
    parser.add_argument("--scenario", choices=("hot", "spread", "both"), default="both")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="run the hot scenario at each of --sweep-workers (spread runs at --workers)",
    )
    parser.add_argument("--sweep-workers", default="2,4,8,16,32")
    parser.add_argument(
        "--quick", action="store_true", help="small run (~10 s): a smoke test"
    )
    parser.add_argument(
        "--room-types", type=int, default=100, help="spread: room types"
    )
    parser.add_argument("--hotels", type=int, default=5, help="spread: hotels")
    parser.add_argument(
        "--spread-nights",
        type=int,
        default=1,
        help="spread: consecutive nights on sale",
    )
    parser.add_argument(
        "--max-stay", type=int, default=3, help="spread: longest stay asked"
    )
    parser.add_argument(
        "--overbooking", type=int, default=0, help="overbooking percent"
    )
    parser.add_argument(
        "--probes",
        type=int,
        default=20,
        help="requests per worker after its first sold out",
    )
    parser.add_argument(
        "--no-idempotency",
        action="store_true",
        help="send no idempotency key (site-like)",
    )
    parser.add_argument(
        "--partner-caps",
        choices=("none", "capped", "unlimited"),
        default="none",
        help="book as one partner with hold caps that fit the race (counted in a "
        "tally row), or with no limit; none: no partner, no caps (default)",
    )
    parser.add_argument(
        "--no-trace-lock",
        action="store_true",
        help="do not time the row lock inside the workers (a wrapper around lock_nights)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="S",
        help="before each run, wait up to S seconds for the machine to be under 0.3 cores busy",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run everything N times; figures use the median",
    )
    parser.add_argument(
        "--allow-events",
        action="store_true",
        help="run even if BOOKING_EVENT_HANDLERS is set (holds then queue Celery tasks)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds per run, at most"
    )
    parser.add_argument("--barrier-timeout", type=float, default=180)
    parser.add_argument("--db-name", default="innkeep_bench")
    parser.add_argument("--cache-prefix", default="innkeep-bench")
    parser.add_argument(
        "--out", help="report path (default bench/results/hold_race.md)"
    )
    parser.add_argument(
        "--py-spy",
        metavar="FILE",
        help="sample worker 0 of the hot run at --workers with py-spy (raw collapsed stacks)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rooms = min(args.rooms, 300)
        args.room_types = min(args.room_types, 20)
        args.hotels = min(args.hotels, 2)
        args.probes = min(args.probes, 5)
        args.sweep_workers = "2,8"
    if args.out is None:
        name = "hold_race_quick.md" if args.quick else "hold_race.md"
        args.out = str(RESULTS_DIR / name)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    where = prepare_environment(args.db_name, args.cache_prefix)
    ensure_database()
    setup_django()
    migrate()
    machine = machine_info()

    scenarios = ["hot", "spread"] if args.scenario == "both" else [args.scenario]
    plan: list[tuple[str, int]] = []
    if args.sweep and "hot" in scenarios:
        plan += [("hot", int(w)) for w in args.sweep_workers.split(",")]
    elif "hot" in scenarios:
        plan.append(("hot", args.workers))
    if "spread" in scenarios:
        plan.append(("spread", args.workers))

    params = {
        "argv": " ".join(sys.argv[1:] if argv is None else argv),
        "settings": f"{SETTINGS_MODULE} (DEBUG off)",
        "engine fingerprint at start": engine_fingerprint(),
        "database": where["database"],
        "redis": where["redis"],
        "cache prefix": where["cache_prefix"],
        "runs": ", ".join(f"{s}×{w}" for s, w in plan)
        + (f", each {args.repeat} times (interleaved)" if args.repeat > 1 else ""),
        "hot": f"1 room type, {args.rooms:,} rooms, 1 night",
        "spread": (
            f"{args.room_types} room types × {max(1, args.rooms // args.room_types)} rooms in "
            f"{args.hotels} hotels, {args.spread_nights} night(s)"
            + (f", stays of 1–{args.max_stay} nights" if args.spread_nights > 1 else "")
        ),
        "request": "1 room, 1 adult, "
        + (
            "partner source with an idempotency key"
            if not args.no_idempotency
            else "site, no key"
        ),
        "hold caps": {
            "none": "none (no partner)",
            "capped": "one partner, caps that fit the race (a tally row per hold)",
            "unlimited": "one partner with no hold limits",
        }[args.partner_caps],
        "overbooking": f"{args.overbooking}%",
        "probes after first sold out": args.probes,
    }
    from django.conf import settings  # once setup_django() has configured it

    handlers = getattr(settings, "BOOKING_EVENT_HANDLERS", [])
    params["booking event handlers"] = ", ".join(handlers) or "none (nothing queued)"
    if handlers and not args.allow_events:
        print(
            "BOOKING_EVENT_HANDLERS is set: every hold would queue a Celery task on "
            "CELERY_BROKER_URL for a booking of the bench database. Run with "
            "--allow-events to do it anyway (with a broker only the bench uses)."
        )
        return 2
    params["lock timeout"] = f"{settings.INVENTORY_LOCK_TIMEOUT_MS} ms"
    params["sold-out hint"] = f"{settings.INVENTORY_SOLD_OUT_HINT_SECONDS} s"

    print("Machine:")
    for key, value in machine.items():
        print(f"  {key}: {value}")
    print("Parameters:")
    for key, value in params.items():
        print(f"  {key}: {value}")

    runs = []
    schedule = [(r + 1, s, w) for r in range(args.repeat) for s, w in plan]
    for number, (repeat, scenario, workers) in enumerate(schedule):
        result = run_scenario(scenario, workers, args, number, repeat)
        result.room_nights_per_s = (
            result.room_nights / result.sale_s if result.sale_s else 0
        )
        runs.append(result)
        print(
            f"   {result.holds:,} holds in {result.sale_s:.2f} s = {result.holds_per_s:,.0f}/s; "
            f"hold p50/p95/p99 {fmt_ms(result.hold_ms)} ms; Busy {result.busy}"
        )
        for check in result.checks:
            status = "PASS" if check.ok else "FAIL"
            print(
                f"   {status} {check.name}"
                + (f" ({check.detail})" if check.detail else "")
            )

    print("\n" + throughput_table(runs) + "\n\n" + latency_table(runs))
    print("\n" + inside_table(runs) + "\n")
    if args.repeat > 1:
        print(median_table(runs) + "\n")
    for note in interpretation(runs):
        print("- " + note)
    out = Path(args.out)
    png = plot(runs, out.with_suffix(".png"))
    if png is None:
        print(
            "\nNo plot: matplotlib is not installed (pip install -r bench/requirements.txt)."
        )
    write_report(out, machine, params, runs, png)
    print(f"\nReport: {out}" + (f", plot: {png}" if png else ""))
    passed = all(r.passed for r in runs)
    print("\nPASS" if passed else "\nFAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
