"""bench/rush.py's figures, markdown report, JSON data and plot."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def figures(
    name: str, spec: dict, wrk, success: int, errors: dict, window: dict, access: list
) -> dict:
    """A scenario's figures; times are seconds from wrk's start."""
    start = wrk.started_ms
    answers = wrk.answers
    statuses = Counter(code for _, code in answers)
    wins = [at for at, code in answers if code == success]
    last_answer = (answers[-1][0] - start) / 1000 if answers else None
    sold_out_s = (wins[-1] - start) / 1000 if wins else None
    first_win_s = (wins[0] - start) / 1000 if wins else None
    answered = len(answers)
    # Every attempt is written once (delay() counts them); one reset or timed out in
    # flight never gets its answer. wrk's read errors also count kept-alive connections
    # the server closes after their share was sent, which cost no attempt.
    no_answer = max(0, spec["attempts"] - answered)
    summary = wrk.summary

    def ms(key):
        return summary[key] / 1000 if key in summary else None

    # Latency over time, from the front's log (nginx's $request_time, queue included).
    buckets: dict[int, list[float]] = {}
    for at, _, seconds in access:
        if at < start:  # the warm-up
            continue
        buckets.setdefault(int((at - start) // 1000), []).append(seconds * 1000)
    latency_by_s = {
        second: {
            "n": len(values),
            "p50": percentile(values, 50),
            "p99": percentile(values, 99),
        }
        for second, values in sorted(buckets.items())
    }
    return {
        "name": name,
        "spec": spec,
        "statuses": dict(sorted(statuses.items())),
        "success_status": success,
        "successes": len(wins),
        "answered": answered,
        "no_answer": no_answer,
        "socket_errors": errors,
        "first_success_s": first_win_s,
        "sold_out_s": sold_out_s,
        "last_answer_s": last_answer,
        "requests_per_s": answered / last_answer if last_answer else None,
        "holds_per_s": len(wins) / sold_out_s if sold_out_s else None,
        "db_window": window,
        "latency_ms": {
            "p50": ms("latency_p50_us"),
            "p95": ms("latency_p95_us"),
            "p99": ms("latency_p99_us"),
            "max": ms("latency_max_us"),
        },
        "latency_by_s": latency_by_s,
        "wrk": {
            "wall_s": wrk.wall_s,
            "cpu_s": wrk.cpu_s,
            "max_rss_mib": wrk.max_rss_mib,
            "stopped_by": wrk.stopped_by,
            "non_2xx_3xx": summary.get("status"),
            "raw_timeout": summary.get("timeout"),
        },
        "timeline": [((at - start) / 1000, code) for at, code in answers],
    }


def fmt(value, digits=1, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}"


def scenario_markdown(f: dict) -> list[str]:
    spec, errors = f["spec"], f["socket_errors"]
    lines = [f"### {f['name']}", ""]
    lines.append(
        f"{spec['describe']}; {spec['attempts']:,} attempts over "
        f"{spec['connections']:,} connections, through {spec['front']}."
    )
    lines.append("")
    lines.append("| figure | value |")
    lines.append("|---|---|")
    rows = [
        ("rooms on sale", fmt(spec["rooms"])),
        (f"sold ({f['success_status']} answers)", fmt(f["successes"])),
        ("**sell-out: last success after wrk started**", fmt(f["sold_out_s"], 2, " s")),
        ("first success", fmt(f["first_success_s"], 2, " s")),
        (
            "first → last booking created_at (database)",
            fmt(f["db_window"]["span_s"], 2, " s"),
        ),
        ("holds/s (sold / sell-out time)", fmt(f["holds_per_s"], 0)),
        ("answers", fmt(f["answered"])),
        ("requests/s (answers / last answer)", fmt(f["requests_per_s"], 0)),
        ("last answer", fmt(f["last_answer_s"], 2, " s")),
        (
            "**no answer** (attempts − answers: refused, reset or timed out)",
            fmt(f["no_answer"]),
        ),
        (
            "wrk socket errors: connect / read / write (read includes idle "
            "keep-alive connections the server closed)",
            "{connect} / {read} / {write}".format(**errors),
        ),
        (
            "wrk's timeout count (see README: inflated by idle connections)",
            fmt(errors["timeout"]),
        ),
        (
            "latency p50 / p95 / p99 / max (wrk, answered requests)",
            " / ".join(fmt(f["latency_ms"][k], 0) for k in ("p50", "p95", "p99", "max"))
            + " ms",
        ),
        ("wrk stopped", f["wrk"]["stopped_by"]),
    ]
    lines += [f"| {a} | {b} |" for a, b in rows]
    lines += [
        "",
        "Statuses: "
        + ", ".join(f"{code}: {count:,}" for code, count in f["statuses"].items())
        + "",
        "",
    ]
    cpu = f.get("cpu")
    if cpu:
        wall = cpu["wall_s"]
        lines += [
            f"CPU during the rush ({wall:.1f} s wall; the machine was "
            f"{cpu['machine_cores_busy']:.2f} of {f['spec']['cores']} cores busy):",
            "",
            "| component | CPU s | cores (avg) |",
            "|---|---|---|",
        ]
        generator = {"wrk (load generator)": f["wrk"]["cpu_s"]}
        for name, seconds in {**cpu["seconds"], **generator}.items():
            lines.append(f"| {name} | {seconds:.1f} | {seconds / wall:.2f} |")
        own = sum(
            v for k, v in cpu["seconds"].items() if "this database" not in k
        ) + min(f["wrk"]["cpu_s"], wall * f["spec"]["cores"])
        others = cpu["machine_cores_busy"] - own / wall
        lines.append(
            f"| others (the machine's busy cores − the above): other jobs | "
            f"{others * wall:.1f} | {others:.2f} |"
        )
        lines.append("")
        queues = cpu.get("accept_queue_max") or {}
        if queues:
            lines.append(
                "Longest accept queue seen (sampled twice a second; the kernel caps it "
                "at the listen backlog, then drops): "
                + ", ".join(f"{k} {v:,}" for k, v in queues.items())
            )
            lines.append("")
        tcp = cpu.get("tcp") or {}
        if tcp:
            lines.append(
                "Kernel TCP counters during the rush (machine-wide; ListenOverflows: "
                "a connection the listen queue had no room for): "
                + ", ".join(f"{k} {v:,}" for k, v in tcp.items())
            )
            lines.append("")
    if f.get("baseline"):
        base = f["baseline"]
        if "tps" in base:
            ratio = (f["holds_per_s"] or 0) / base["tps"]
            lines.append(
                f"Hot-row baseline: pgbench, the engine's lock–update–insert on one row, "
                f"{base['clients']} clients, {base['seconds']} s: **{base['tps']:,.0f} "
                f"transactions/s** (avg {base['latency_ms']:.1f} ms, failed "
                f"{base['failed']}). Holds/s through the API on the hot night: "
                f"{f['holds_per_s'] or 0:,.0f} = **{ratio:.1%} of raw SQL** "
                "(target ≥ 50%)."
            )
        else:
            lines.append(f"Hot-row baseline failed: {base['error']}")
        lines.append("")
    lines += ["Checks after the run:", ""]
    for name, ok, detail in f["checks"]:
        lines.append(f"- {'PASS' if ok else 'FAIL'} {name} ({detail})")
    lines.append("")
    for note in f.get("notes", []):
        lines.append(f"- {note}")
    if f.get("notes"):
        lines.append("")
    return lines


def write_report(
    path: Path,
    *,
    title: str,
    machine: dict,
    params: dict,
    runs: list,
    png: str | None,
    notes: list[str],
) -> None:
    lines = [f"# {title}", "", "Written by `bench/rush.py`; see bench/README.md.", ""]
    if png:
        lines += [f"![sold and latency over time]({Path(png).name})", ""]
    lines += [
        "## Summary",
        "",
        "| scenario | sold | sell-out | holds/s | req/s | "
        "no answer | connect errors | 5xx | p50 / p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in runs:
        errors = f["socket_errors"]
        fivexx = sum(n for code, n in f["statuses"].items() if int(code) >= 500)
        lines.append(
            f"| {f['name']} | {f['successes']:,} / {f['spec']['rooms']:,} | "
            f"{fmt(f['sold_out_s'], 1, ' s')} | {fmt(f['holds_per_s'], 0)} | "
            f"{fmt(f['requests_per_s'], 0)} | {f['no_answer']:,} | "
            f"{errors['connect']:,} | {fivexx:,} | "
            f"{fmt(f['latency_ms']['p50'], 0)} / {fmt(f['latency_ms']['p99'], 0)} |"
        )
    lines += ["", "## Runs", ""]
    for f in runs:
        lines += scenario_markdown(f)
    lines += ["## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += ["", "## Parameters", ""]
    lines += [f"- {k}: {v}" for k, v in params.items()]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    path.write_text("\n".join(lines) + "\n")
    data = {
        "machine": machine,
        "params": params,
        "runs": [for_json(f) for f in runs],
        "notes": notes,
    }
    path.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str))


def for_json(f: dict) -> dict:
    """A run's figures with its answers counted per second and status, not listed."""
    if "timeline" not in f:
        return f
    by_second: dict[int, Counter] = {}
    for at, code in f["timeline"]:
        by_second.setdefault(int(at), Counter())[code] += 1
    kept = {k: v for k, v in f.items() if k != "timeline"}
    kept["answers_by_second"] = {
        second: dict(sorted(counts.items()))
        for second, counts in sorted(by_second.items())
    }
    return kept


def plot(runs: list, path: Path) -> str | None:
    """Sold over time and latency over time, one row per scenario; None without matplotlib."""
    try:  # optional (bench/requirements.txt)
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(runs), 2, figsize=(14, 4.2 * len(runs)), squeeze=False)
    for row, f in zip(axes, runs, strict=True):
        ax = row[0]
        timeline = f["timeline"]
        won = f["success_status"]
        for label, keep in (
            (f"sold ({won})", {won}),
            ("every answer", None),
            ("5xx", set(range(500, 600))),
        ):
            xs = [t for t, code in timeline if keep is None or code in keep]
            if xs:
                ax.step(xs, range(1, len(xs) + 1), where="post", label=label)
        ax.axhline(f["spec"]["rooms"], color="grey", lw=0.8, ls=":", label="rooms")
        ax.set_title(f"{f['name']}: answers over time")
        ax.set_xlabel("s since wrk started")
        ax.set_ylabel("count")
        ax.legend(loc="lower right")
        ax = row[1]
        series = f["latency_by_s"]
        if series:
            xs = [int(s) for s in series]
            for key in ("p50", "p99"):
                ax.plot(xs, [series[s][key] for s in series], label=key)
            ax.set_yscale("log")
            ax.legend()
        else:
            ax.text(
                0.5,
                0.5,
                "no front log (nginx) to time requests by",
                ha="center",
                transform=ax.transAxes,
            )
        ax.set_title(f"{f['name']}: latency by second of answer (nginx)")
        ax.set_xlabel("s since wrk started")
        ax.set_ylabel("ms")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return str(path)
