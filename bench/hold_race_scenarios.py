"""hold_race's scenarios: seed a run's rooms, race the workers on them, check the result.

hot: one room type with --rooms rooms for one night. spread: --rooms rooms over
--room-types room types in --hotels hotels, for --spread-nights nights, stays of 1 to
--max-stay nights. Django is imported inside the functions: only after setup_django().
"""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchlib import (
    cores_busy,
    cpu_ticks,
    create_targets,
    engine_fingerprint,
    wait_for_quiet,
    wipe,
)
from hold_race_checks import verify
from hold_race_figures import RunResult, summarize
from hold_race_workers import worker_main


def _partner(caps: str, capacity: int, max_stay: int) -> int | None:
    """The partner the workers book as (--partner-caps), caps that fit the race."""
    import uuid

    from accounts.models import Partner

    if caps == "none":
        return None
    partner = Partner.objects.create(
        name="Bench agency",
        slug=f"bench-{uuid.uuid4().hex[:8]}",
        kind="distribution",
        unlimited_holds=caps == "unlimited",
        max_live_holds=None if caps == "unlimited" else 2 * capacity,
        max_held_room_nights=None if caps == "unlimited" else 2 * capacity * max_stay,
    )
    return partner.pk


def run_scenario(
    scenario: str, workers: int, args, run_number: int, repeat: int
) -> RunResult:
    """Seed the scenario, race `workers` processes on it, then summarise and verify."""
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
        "partner_id": _partner(args.partner_caps, result.capacity, max_stay),
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
