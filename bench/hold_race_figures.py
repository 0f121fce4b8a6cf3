"""hold_race's figures: percentiles, and the run that stands for each configuration."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hold_race import RunResult


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
