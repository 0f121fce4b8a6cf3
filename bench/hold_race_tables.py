"""hold_race's tables: throughput, latency, inside the race, the median over repeats."""

from __future__ import annotations

import os
import statistics

from hold_race_figures import RunResult, clean, representatives


def fmt_ms(stats: dict) -> str:
    if not stats.get("n"):
        return "–"
    return f"{stats['p50']:.1f} / {stats['p95']:.1f} / {stats['p99']:.1f}"


def _who(r: RunResult) -> str:
    return f"| {r.scenario} | {r.workers} | {r.repeat} "


def throughput_table(runs: list[RunResult]) -> str:
    lines = [
        "| scenario | workers | run | room-nights on sale | holds | sell-out s | holds/s "
        "| room-nights/s | attempts/s | Busy | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        shape = (
            f"{r.capacity:,} (1 type)"
            if r.scenario == "hot"
            else f"{r.capacity:,} ({r.room_types}×{r.rooms_per_type}, {r.nights}n)"
        )
        lines.append(
            f"{_who(r)}| {shape} | {r.holds:,} | {r.sale_s:.2f} "
            f"| {r.holds_per_s:,.0f} | {r.room_nights_per_s:,.0f} | {r.attempts_per_s:,.0f} "
            f"| {r.busy} | {'PASS' if r.passed else 'FAIL'} |"
        )
    return "\n".join(lines)


def latency_table(runs: list[RunResult]) -> str:
    lines = [
        "| scenario | workers | run | hold p50 / p95 / p99 ms "
        "| sold out, locked: n, p50 / p95 / p99 ms | sold out, hint: n, p50 / p95 / p99 ms |",
        "|---|---:|---:|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"{_who(r)}| {fmt_ms(r.hold_ms)} "
            f"| {r.sold_out_locked_ms.get('n', 0)}: {fmt_ms(r.sold_out_locked_ms)} "
            f"| {r.sold_out_hint_ms.get('n', 0)}: {fmt_ms(r.sold_out_hint_ms)} |"
        )
    return "\n".join(lines)


def inside_table(runs: list[RunResult]) -> str:
    lines = [
        "| scenario | workers | run | lock wait p50 / p95 / p99 ms | lock held p50 / p95 / p99 ms "
        "| CPU ms/request: workers + their PG backends | cores busy: before / during "
        "(of which others) |",
        "|---|---:|---:|---|---|---|---|",
    ]
    for r in runs:
        pg = (
            "?" if r.pg_cpu_ms_per_request is None else f"{r.pg_cpu_ms_per_request:.1f}"
        )
        other = "?" if r.other_cores is None else f"{r.other_cores:.2f}"
        lines.append(
            f"{_who(r)}| {fmt_ms(r.lock_wait_ms)} | {fmt_ms(r.lock_held_ms)} "
            f"| {r.worker_cpu_ms_per_request:.1f} + {pg} "
            f"| {r.cpu_busy_before:.2f} / {r.cpu_busy_during:.2f} ({other}) of {os.cpu_count()} |"
        )
    return "\n".join(lines)


def median_table(runs: list[RunResult]) -> str:
    """Per (scenario, workers) over repeats: the representative run and the holds/s range."""
    lines = [
        "| scenario | workers | runs (undisturbed) | holds/s: median of undisturbed "
        "(min–max of all) | hold p50 / p95 / p99 ms (median run) | lock wait p50 ms "
        "| lock held p50 ms |",
        "|---|---:|---:|---|---|---:|---:|",
    ]
    for rep in representatives(runs):
        group = [
            r for r in runs if (r.scenario, r.workers) == (rep.scenario, rep.workers)
        ]
        undisturbed = clean(group)
        count = len(undisturbed) if undisturbed is not group else 0
        rates = [r.holds_per_s for r in group]
        median = statistics.median(r.holds_per_s for r in undisturbed)
        lines.append(
            f"| {rep.scenario} | {rep.workers} | {len(group)} ({count}) "
            f"| {median:,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) "
            f"| {fmt_ms(rep.hold_ms)} | {rep.lock_wait_ms.get('p50', 0):.1f} "
            f"| {rep.lock_held_ms.get('p50', 0):.1f} |"
        )
    return "\n".join(lines)
