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
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchlib import (
    RESULTS_DIR,
    SETTINGS_MODULE,
    cores_busy,
    cpu_ticks,
    create_targets,
    engine_fingerprint,
    ensure_database,
    machine_info,
    migrate,
    prepare_environment,
    setup_django,
    wait_for_quiet,
    wipe,
)
from hold_race_checks import verify
from hold_race_figures import RunResult, summarize
from hold_race_plot import plot
from hold_race_report import interpretation, write_report
from hold_race_tables import (
    fmt_ms,
    inside_table,
    latency_table,
    median_table,
    throughput_table,
)
from hold_race_workers import worker_main

# ---------------------------------------------------------------------------------------------
# Running a scenario


def run_scenario(
    scenario: str, workers: int, args, run_number: int, repeat: int
) -> RunResult:
    import multiprocessing as mp

    from django.db import connections

    if scenario == "hot":
        hotels, room_types, rooms_each, nights, max_stay = 1, 1, args.rooms, 1, 1
    else:
        hotels, room_types = args.hotels, args.room_types
        rooms_each = max(1, args.rooms // room_types)
        nights, max_stay = args.spread_nights, args.max_stay
    wipe()
    targets, first_night = create_targets(
        hotels=hotels,
        room_types=room_types,
        rooms_each=rooms_each,
        nights=nights,
        overbooking_percent=args.overbooking,
    )
    result = RunResult(
        scenario=scenario,
        workers=workers,
        room_types=room_types,
        hotels=hotels,
        rooms_per_type=rooms_each,
        nights=nights,
        capacity=sum(t.capacity for t in targets) * nights,
        repeat=repeat,
        repeats=args.repeat,
    )
    spec = {
        "run": f"r{run_number}-{int(time.time())}",
        "seed": args.seed + run_number,
        "targets": [asdict(t) for t in targets],
        "first_night": first_night,
        "nights": nights,
        "max_stay": max_stay,
        "probes": args.probes,
        "idempotency": not args.no_idempotency,
        "timeout": args.timeout,
        "barrier_timeout": args.barrier_timeout,
        "max_busy_retries": 50,
        "trace_lock": not args.no_trace_lock,
    }
    connections.close_all()  # the parent's connection stays out of the race

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker_main, args=(i, spec, barrier, results), daemon=True)
        for i in range(workers)
    ]
    print(
        f"\n== {scenario}: {workers} workers, {result.capacity:,} room-nights",
        flush=True,
    )
    result.cpu_busy_before = wait_for_quiet(args.wait_idle)
    result.engine = engine_fingerprint()
    for proc in procs:
        proc.start()
    profiler = None
    outputs: list[dict] = []
    try:
        barrier.wait(timeout=args.barrier_timeout)
        t0 = time.perf_counter()
        ticks0 = cpu_ticks()
        if (
            args.py_spy
            and scenario == "hot"
            and workers == args.workers
            and run_number == 0
        ):
            profiler = start_py_spy(procs[0].pid, args.py_spy)
        for _ in procs:
            outputs.append(
                results.get(timeout=args.timeout + args.barrier_timeout + 60)
            )
        result.cpu_busy_during = cores_busy(ticks0, cpu_ticks())
        elapsed = time.perf_counter() - t0
        own = [out.get("run_cpu") for out in outputs] + [
            out.get("backend_cpu") for out in outputs
        ]
        if elapsed > 0 and None not in own:
            result.other_cores = max(0.0, result.cpu_busy_during - sum(own) / elapsed)
    except Exception as error:  # a worker failed to start, or hung: report, do not hang
        outputs.append({"index": -1, "fatal": f"{type(error).__name__}: {error}"})
        t0 = time.perf_counter()
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
        if profiler is not None:
            try:
                profiler.wait(timeout=30)
            except subprocess.TimeoutExpired:
                profiler.terminate()
    summarize(result, outputs, t0)
    verify(result, targets, first_night, outputs)
    return result


def start_py_spy(pid: int, out: str):
    """Sample one worker with py-spy (wall time: --idle shows waits on the database too)."""
    exe = Path(sys.executable).with_name("py-spy")
    cmd = [str(exe), "record", "--pid", str(pid), "--idle", "--rate", "200"]
    cmd += ["--format", "raw", "--output", out, "--nonblocking"]
    try:
        return subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    except OSError as error:
        print(f"py-spy not started ({error}); pip install -r bench/requirements.txt")
        return None


# ---------------------------------------------------------------------------------------------
# Main


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
        "overbooking": f"{args.overbooking}%",
        "probes after first sold out": args.probes,
    }
    from django.conf import settings

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
