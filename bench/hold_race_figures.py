"""hold_race's figures: a run's result, summarised from its workers' answers.

Also percentiles, and the run that stands for each configuration over the repeats.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from hold_race_workers import HELD, SOLD_OUT_HINT, SOLD_OUT_LOCKED


@dataclass
class RunResult:
    scenario: str
    workers: int
    room_types: int
    hotels: int
    rooms_per_type: int
    nights: int
    capacity: int  # room-nights on sale
    holds: int = 0
    room_nights: int = 0
    sale_s: float = 0.0
    total_s: float = 0.0
    holds_per_s: float = 0.0
    room_nights_per_s: float = 0.0
    attempts_in_sale: int = 0
    attempts_per_s: float = 0.0
    requests: int = 0
    busy: int = 0
    errors: int = 0
    hold_ms: dict = field(default_factory=dict)
    lock_wait_ms: dict = field(default_factory=dict)
    lock_held_ms: dict = field(default_factory=dict)
    engine: str = ""  # benchlib.engine_fingerprint() when the workers started
    repeat: int = 1  # which of `repeats`
    repeats: int = 1
    worker_cpu_ms_per_request: float = 0.0  # the workers' own CPU / requests
    pg_cpu_ms_per_request: float | None = (
        None  # their PostgreSQL backends' CPU / requests
    )
    cpu_busy_before: float = (
        0.0  # cores busy (whole machine) in the second before the start
    )
    cpu_busy_during: float = 0.0  # cores busy (whole machine) from the start to the end
    other_cores: float | None = (
        None  # of those, cores not used by the workers or backends
    )
    sold_out_locked_ms: dict = field(default_factory=dict)
    sold_out_hint_ms: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    error_samples: list = field(default_factory=list)
    # Raw series for the plot (not written to JSON).
    hold_latencies: list = field(default_factory=list, repr=False)
    hold_times: list = field(default_factory=list, repr=False)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def label(self) -> str:
        return f"{self.scenario} ×{self.workers}" + (
            f" #{self.repeat}" if self.repeats > 1 else ""
        )


def summarize(result: RunResult, outputs: list[dict], t0: float) -> None:
    events = [e for out in outputs for e in out.get("events", [])]
    holds = [e for e in events if e[0] == HELD]
    result.requests = len(events)
    result.holds = len(holds)
    result.busy = sum(e[3] for e in events)
    result.errors = sum(out.get("error_count", 0) for out in outputs)
    result.error_samples = [s for out in outputs for s in out.get("errors", [])][:5]
    result.error_samples += [out["fatal"] for out in outputs if "fatal" in out][:3]
    if holds:
        sale_end = max(e[1] + e[2] for e in holds)
        result.sale_s = sale_end - t0
        result.holds_per_s = result.holds / result.sale_s
        result.attempts_in_sale = sum(1 for e in events if e[1] < sale_end)
        result.attempts_per_s = result.attempts_in_sale / result.sale_s
    ends = [e[1] + e[2] for e in events]
    result.total_s = (max(ends) - t0) if ends else 0.0
    result.hold_ms = percentiles([e[2] for e in holds])
    result.sold_out_locked_ms = percentiles(
        [e[2] for e in events if e[0] == SOLD_OUT_LOCKED]
    )
    result.sold_out_hint_ms = percentiles(
        [e[2] for e in events if e[0] == SOLD_OUT_HINT]
    )
    result.hold_latencies = [e[2] for e in holds]
    result.hold_times = sorted(e[1] + e[2] - t0 for e in holds)
    result.lock_wait_ms = percentiles([e[4] for e in holds if e[4] is not None])
    result.lock_held_ms = percentiles([e[5] for e in holds if e[5] is not None])
    if events:
        cpu = sum(out.get("run_cpu", 0.0) for out in outputs)
        result.worker_cpu_ms_per_request = cpu * 1000 / len(events)
        backend = [out.get("backend_cpu") for out in outputs]
        if backend and None not in backend:
            result.pg_cpu_ms_per_request = sum(backend) * 1000 / len(events)


def percentiles(values: list[float]) -> dict:
    """Return n and p50/p95/p99 in milliseconds (linear interpolation)."""
    if not values:
        return {"n": 0}
    ms = sorted(v * 1000 for v in values)
    if len(ms) == 1:
        return {"n": 1, "p50": ms[0], "p95": ms[0], "p99": ms[0], "max": ms[0]}
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "n": len(ms),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": ms[-1],
    }


# A run during which other processes took more than this many cores is "disturbed".
DISTURBED_CORES = 0.25


def clean(runs: list[RunResult]) -> list[RunResult]:
    """The runs that other processes did not disturb, or all of them if none is clean."""
    quiet = [
        r
        for r in runs
        if r.other_cores is not None and r.other_cores <= DISTURBED_CORES
    ]
    return quiet or runs


def representatives(runs: list[RunResult]) -> list[RunResult]:
    """One run per (scenario, workers): the median by holds/s of its undisturbed runs.

    The lower middle one when their number is even; all runs count if none is undisturbed.
    """
    groups: dict[tuple[str, int], list[RunResult]] = {}
    for r in runs:
        groups.setdefault((r.scenario, r.workers), []).append(r)
    chosen = []
    for group in groups.values():
        ranked = sorted(clean(group), key=lambda r: r.holds_per_s)
        chosen.append(ranked[(len(ranked) - 1) // 2])
    return chosen
