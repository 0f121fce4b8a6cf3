"""hold_race's plot: throughput by workers, hold latency CDFs and selling-out curves."""

from __future__ import annotations

from pathlib import Path

from hold_race_figures import RunResult, representatives


def plot(runs: list[RunResult], path: Path) -> str | None:
    """Draw throughput vs workers, hold latency CDFs and sell-out curves; None if skipped."""
    try:  # optional (bench/requirements.txt): without it the plot is skipped
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
