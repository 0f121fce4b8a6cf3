"""hold_race's figures: percentiles, tables, the interpretation, the plot and the report."""

from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import asdict
from pathlib import Path
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


def interpretation(runs: list[RunResult]) -> list[str]:
    """Plain statements computed from the figures (the median run of each configuration)."""
    notes = []
    target_rate = 10_000 / 20
    chosen = representatives(runs)
    hot = sorted(
        (r for r in chosen if r.scenario == "hot" and r.holds), key=lambda r: r.workers
    )
    spread = [r for r in chosen if r.scenario == "spread" and r.holds]
    if hot:
        best = max(hot, key=lambda r: r.holds_per_s)
        notes.append(
            f"Hot night: best {best.holds_per_s:,.0f} holds/s at {best.workers} workers; "
            f"10,000 room-nights on one hot night would take about "
            f"{10_000 / best.holds_per_s:.0f} s (the goal is 20 s, i.e. {target_rate:.0f}/s)."
        )
        if len(hot) > 1:
            low, high = hot[0], hot[-1]
            notes.append(
                f"From {low.workers} to {high.workers} workers, holds/s went "
                f"{low.holds_per_s:,.0f} → {high.holds_per_s:,.0f}, hold p99 "
                f"{low.hold_ms.get('p99', 0):.0f} → {high.hold_ms.get('p99', 0):.0f} ms, "
                f"lock wait p50 {low.lock_wait_ms.get('p50', 0):.1f} → "
                f"{high.lock_wait_ms.get('p50', 0):.1f} ms, lock held p50 "
                f"{low.lock_held_ms.get('p50', 0):.1f} → {high.lock_held_ms.get('p50', 0):.1f} ms."
            )
    for r in spread:
        notes.append(
            f"Spread ({r.room_types} room types, {r.workers} workers): "
            f"{r.holds_per_s:,.0f} holds/s ({r.room_nights_per_s:,.0f} room-nights/s), "
            f"hold p50 {r.hold_ms.get('p50', 0):.1f} ms, lock wait p50 "
            f"{r.lock_wait_ms.get('p50', 0):.1f} ms."
        )
    for r in chosen:
        if r.pg_cpu_ms_per_request is not None and r.cpu_busy_during:
            notes.append(
                f"{r.label}: the machine was {r.cpu_busy_during / (os.cpu_count() or 1):.0%} "
                f"busy; per request the workers used {r.worker_cpu_ms_per_request:.1f} ms of "
                f"CPU and their PostgreSQL backends {r.pg_cpu_ms_per_request:.1f} ms."
            )
            break
    for r in chosen:
        locked, hint = r.sold_out_locked_ms, r.sold_out_hint_ms
        if hint.get("n") and locked.get("n"):
            notes.append(
                f"{r.label}: 'sold out' from the Redis hint took p50 {hint['p50']:.1f} ms "
                f"vs {locked['p50']:.1f} ms when found under the row lock "
                f"({hint['n']} vs {locked['n']} answers)."
            )
            break
    noisy = [
        r.label
        for r in runs
        if r.other_cores is not None and r.other_cores > DISTURBED_CORES
    ]
    if noisy:
        notes.append(
            f"Disturbed (other processes took over {DISTURBED_CORES} of a core): "
            + ", ".join(noisy)
            + ". The summary and the plot use the undisturbed runs where there are any."
        )
    engines = sorted({r.engine for r in runs})
    if len(engines) > 1:
        by_engine = {
            engine: ", ".join(r.label for r in runs if r.engine == engine)
            for engine in engines
        }
        notes.append(
            "The engine's code changed during the runs: "
            + "; ".join(f"{engine}: {labels}" for engine, labels in by_engine.items())
        )
    busy = sum(r.busy for r in runs)
    notes.append(
        f"Busy (lock timeout) answers: {busy} in all runs."
        if busy
        else "No Busy answer: no lock wait reached the lock timeout."
    )
    failed = [r.label for r in runs if not r.passed]
    notes.append(
        "Invariants: FAIL in " + ", ".join(failed)
        if failed
        else "Invariants: PASS in every run (no row oversold, counts agree, "
        "inventory_disagreements() empty)."
    )
    return notes


def plot(runs: list[RunResult], path: Path) -> str | None:
    """Draw throughput vs workers, hold latency CDFs and sell-out curves; None if skipped."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))

    def of(scenario):
        chosen = (
            r for r in representatives(runs) if r.scenario == scenario and r.holds
        )
        return sorted(chosen, key=lambda r: r.workers)

    def spread_of(r, pick):
        return pick(
            x.holds_per_s
            for x in runs
            if (x.scenario, x.workers) == (r.scenario, r.workers)
        )

    hot, spread = of("hot"), of("spread")
    ax = axes[0]
    for series, style, name in ((hot, "o-", "hot night"), (spread, "s--", "spread")):
        if series:
            xs, ys = [r.workers for r in series], [r.holds_per_s for r in series]
            low = [y - spread_of(r, min) for r, y in zip(series, ys, strict=True)]
            high = [spread_of(r, max) - y for r, y in zip(series, ys, strict=True)]
            ax.errorbar(xs, ys, yerr=[low, high], fmt=style, capsize=3, label=name)
    ax.set_xscale("log", base=2)
    ticks = sorted({r.workers for r in hot + spread})
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("worker processes")
    ax.set_ylabel("successful holds / s")
    ax.set_title("Throughput (median run; bars: min–max)")
    ax.axhline(500, color="grey", lw=0.8, ls=":", label="goal: 10,000 in 20 s")
    ax.set_ylim(bottom=0)
    ax.legend()
    ax = axes[1]
    for r in hot + spread:
        lat = sorted(x * 1000 for x in r.hold_latencies)
        if lat:
            ax.plot(lat, [(i + 1) / len(lat) for i in range(len(lat))], label=r.label)
    ax.set_xscale("log")
    ax.set_xlabel("hold latency, ms (log)")
    ax.set_ylabel("fraction of holds")
    ax.set_title("Latency of successful holds (CDF)")
    ax.legend(fontsize=8)
    ax = axes[2]
    for r in hot + spread:
        if r.hold_times:
            ax.plot(r.hold_times, range(1, len(r.hold_times) + 1), label=r.label)
    ax.set_xlabel("seconds since start")
    ax.set_ylabel("holds so far")
    ax.set_title("Selling out")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)


def write_report(
    path: Path, machine: dict, params: dict, runs: list[RunResult], png: str | None
):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# hold_race: workers racing `booking_hold`",
        "",
        f"Generated by `python bench/hold_race.py {params['argv']}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (git {machine.get('git')}).",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; RAM {machine['ram_gib']} GiB; "
        f"load average at start {machine['load_avg']}",
        f"- Python {machine['python']}, Django {machine['django']}, "
        f"PostgreSQL {machine['postgresql']} (max_connections {machine['pg_max_connections']}, "
        f"shared_buffers {machine['pg_shared_buffers']}, "
        f"synchronous_commit {machine['pg_synchronous_commit']}), Redis {machine['redis']}",
        "- PostgreSQL, Redis and every worker share the same machine.",
        "",
        "## Parameters",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in params.items() if key != "argv"]
    lines += [
        "",
        "## Throughput",
        "",
        "holds/s = successful holds / time from the start to the last successful hold; "
        "attempts/s = requests started in that time / that time (a request retried after Busy "
        "counts once).",
        "",
        throughput_table(runs),
        *(
            [
                "",
                "Over the repeats: the median by holds/s of the runs no other process "
                f"disturbed (others ≤ {DISTURBED_CORES} core; all runs if none), "
                "and that run's figures:",
                "",
                median_table(runs),
            ]
            if any(r.repeats > 1 for r in runs)
            else []
        ),
        "",
        "## Latency",
        "",
        "Per request, from the call to `booking_hold` to its answer (Busy retries included). "
        "'locked' sold-out answers came from the check under the row lock, 'hint' ones from "
        "the Redis sold-out hint before any lock; the latter include the probes each worker "
        "sends after its first sold-out answer.",
        "",
        latency_table(runs),
        "",
        "## Inside the race",
        "",
        "Lock wait: the lock query of a successful hold, sent to returned (mostly queueing "
        "behind the other holders of the row). Lock held: lock query returned to COMMIT "
        "returned, i.e. about how long the row stays locked per hold; on a single hot row "
        "throughput cannot exceed about 1 / lock held. Worker CPU: the workers' own CPU during "
        "the sale / requests in it "
        "(PostgreSQL's and Redis's CPU are not in it). Cores busy: the whole machine, from "
        "/proc/stat, in the second before the workers started and during the run.",
        "",
        inside_table(runs),
        "",
        "## Interpretation",
        "",
    ]
    lines += [f"- {note}" for note in interpretation(runs)]
    lines += ["", "## Checks", ""]
    for r in runs:
        lines.append(f"- {r.label}: {'PASS' if r.passed else 'FAIL'}")
        lines += [
            f"  - {'ok  ' if c.ok else 'FAIL'} {c.name}"
            + (f" ({c.detail})" if c.detail else "")
            for c in r.checks
            if not c.ok
        ]
    if png:
        lines += ["", f"![hold_race plot]({Path(png).name})"]
    else:
        lines += [
            "",
            "(No plot: matplotlib is not installed; see bench/requirements.txt.)",
        ]
    path.write_text("\n".join(lines) + "\n")
    json_path = path.with_suffix(".json")
    payload = {
        "machine": machine,
        "params": params,
        "runs": [
            {
                k: v
                for k, v in asdict(r).items()
                if k not in ("hold_latencies", "hold_times")
            }
            | {"passed": r.passed}
            for r in runs
        ],
    }
    json_path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
