#!/usr/bin/env python
"""Rush the booking engine from the outside, through the stack production runs.

    python bench/rush.py                      # spread, hot and site, full size
    python bench/rush.py --quick              # 10 × 100 rooms, 2,000 over 1,000

It starts, on a database of its own, gunicorn with config/gunicorn.py and the
production settings, nginx in front (config/nginx/nginx.conf.template; --front
gunicorn or legacy to leave it out), the Celery worker and the outbox relay (when
`manage.py relay_outbox` exists), against the PostgreSQL and Redis of DATABASE_URL and
REDIS_URL. It seeds the scenario and fires the attempts with wrk and bench/rush.lua,
each POST with its own key. Scenarios:

- spread: N room types × R rooms for one night (100 × 100), A attempts (20,000) over C
  connections (10,000) at POST /api/v1/bookings/, each at a random room type;
- hot: one room type with many rooms (2,000) for one night, with the hot-row
  baseline: pgbench running the engine's lock–update–insert on one row first;
- site: as spread, through the site: a session and CSRF token per client (each GETs
  the details page first), then POST /bookings/new/.

It reports sell-out time, requests/s, every status and socket error, latency, CPU of
each component and of the generator, and checks that nothing was oversold, that
check_inventory is clean and that every sold unit is one booking. Report, JSON and
plot go to bench/results/rush.md (rush_quick.* with --quick). See bench/README.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import rush_config
import rush_report
import rush_run
import rush_seed
import rush_stack
from rush_pgbench import run_pgbench


def run_scenario(args, spec, env, template, run_dir, relay) -> dict:
    name = spec["name"]
    database = args.database
    redis_url = env["REDIS_URL"]
    notes = []
    print(f"\n== {name}: {spec['describe']}", flush=True)
    with rush_seed.scenario_database(database, template, args.keep_database):
        seeded = rush_seed.seed(
            hotels=args.hotels if spec["room_types"] > 1 else 1,
            room_types=spec["room_types"],
            rooms=spec["rooms_each"],
            partners=args.partners,
        )
        spec["rooms"] = seeded.rooms
        baseline = None
        if name == "hot":
            room_type, plan, night = rush_seed.seed_pgbench_row()
            baseline = run_pgbench(
                rush_seed.database_url(database),
                room_type_id=room_type,
                rate_plan_id=plan,
                night=night,
                clients=args.pgbench_clients,
                seconds=args.pgbench_seconds,
            )
            print(f"   pgbench hot row: {baseline}", flush=True)
        purged = rush_run.purge_broker(redis_url)
        if purged:
            notes.append(f"{purged} stale messages purged from the broker first")
        stack = rush_stack.Stack(
            env=env,
            run_dir=run_dir / name,
            front=args.front,
            worker_nice=args.worker_nice,
        )
        stack.run_dir.mkdir(parents=True, exist_ok=True)
        stack.start(relay=relay)
        try:
            rush_run.warm_up(stack.base_url, 64, seeded.keys[0])
            sessions = []
            if spec["mode"] == "site":
                count = args.site_sessions or spec["connections"]
                sessions, took = rush_seed.site_sessions(stack.base_url, seeded, count)
                notes.append(
                    f"{len(sessions):,} of {count:,} site sessions opened (GET of the "
                    f"details page) in {took:.1f} s before the rush"
                )
                print(f"   {notes[-1]}", flush=True)
            out = stack.run_dir / "wrk"
            plan_path = stack.run_dir / "plan.txt"
            rush_seed.write_plan(
                plan_path,
                mode=spec["mode"],
                attempts=spec["attempts"],
                threads=args.threads,
                run=f"{os.getpid()}{name}",
                seeded=seeded,
                sessions=sessions,
            )
            ports = {"gunicorn": stack.gunicorn_port}
            if stack.port != stack.gunicorn_port:
                ports["nginx"] = stack.port
            sampler = rush_stack.Sampler(
                rush_seed.database_url("postgres"), database, ports
            )
            sampler.start()
            before = rush_stack.snapshot(stack, database, redis_url)
            print(
                f"   wrk: {spec['attempts']:,} attempts over "
                f"{spec['connections']:,} connections…",
                flush=True,
            )
            wrk = rush_run.run_wrk(
                stack.base_url,
                plan_path,
                out,
                connections=spec["connections"],
                threads=args.threads,
                timeout=args.timeout,
                max_seconds=args.max_seconds,
                idle_stop=args.idle_stop,
            )
            after = rush_stack.snapshot(stack, database, redis_url)
            sampler.stop()
            drained_s, left = rush_run.drain(redis_url, args.drain)
            notes.append(
                f"broker queue after the rush: emptied {drained_s:.1f} s after wrk "
                "ended"
                if drained_s is not None
                else f"broker queue after the rush: {left} messages left after "
                f"{args.drain:.0f} s (not waited for)"
            )
        finally:
            stack.stop()
        notes += stack.notes
        (stack.run_dir / "wrk.stdout").write_text(wrk.stdout)
        ids = [t.room_type_id for t in seeded.targets]
        errors = rush_run.socket_errors(wrk.stdout)
        f = rush_report.figures(
            name,
            spec,
            wrk,
            spec["success"],
            errors,
            rush_run.database_window(ids),
            rush_run.access_log(stack.run_dir / "access.log"),
        )
        f["cpu"] = rush_stack.cpu_used(before, after, sampler)
        f["checks"] = rush_run.checks(
            ids, seeded.night, f["successes"], spec["success"], f["statuses"]
        )
        overflows = f["cpu"]["tcp"].get("ListenOverflows")
        if overflows is not None:
            # wrk never gives up on a connect: a SYN the full listen queue dropped is
            # retried by the kernel (1 s, 3 s, 7 s…), so a refusal shows up here.
            f["checks"].append(
                (
                    "no connection dropped by a full listen queue (ListenOverflows, "
                    "machine-wide)",
                    overflows == 0,
                    f"{overflows:,}",
                )
            )
        f["baseline"] = baseline
        f["notes"] = notes
        f["db_window"]["first"] = f["db_window"]["last"] = None  # epoch ms: not shown
        rush_run.purge_broker(redis_url)
    print(
        f"   sold {f['successes']:,}/{spec['rooms']:,}, sell-out "
        f"{rush_report.fmt(f['sold_out_s'], 2, ' s')}, no answer {f['no_answer']}, "
        f"statuses {f['statuses']}, errors {errors}",
        flush=True,
    )
    for check, ok, detail in f["checks"]:
        print(f"   {'PASS' if ok else 'FAIL'} {check} ({detail})")
    return f


def main(argv=None) -> int:
    args = rush_config.parse_args(argv)
    for tool in ("wrk",) + (("nginx",) if args.front == "nginx" else ()):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            print(f"{tool} is missing: apt-get install -y wrk nginx-light")
            return 2
    rush_config.read_services_env()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env, said = rush_config.stack_env(args, redis_url)
    template = f"{args.database}_tpl"
    print(f"Migrating the template database {template}…", flush=True)
    started = time.monotonic()
    rush_seed.migrate_template(template, env)
    # This process seeds and checks with the same settings as the stack.
    for key in (
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "CACHE_KEY_PREFIX",
        "EMAIL_BACKEND",
    ):
        os.environ[key] = env[key]
    os.environ["DATABASE_URL"] = rush_seed.database_url(template)
    benchlib.setup_django()
    from django.core.management import get_commands

    relay = "relay_outbox" in get_commands()
    notes = [f"template migrated in {time.monotonic() - started:.0f} s"]
    notes.append(
        "outbox relay: started (manage.py relay_outbox)"
        if relay
        else "outbox relay: skipped, `manage.py relay_outbox` does not exist here"
    )
    machine = benchlib.machine_info()
    machine.update(rush_run.limits())
    machine["wrk"] = "debian 4.1.0 (LuaJIT)"
    params = {
        "argv": " ".join(sys.argv[1:] if argv is None else argv),
        "front": args.front,
        "wrk threads": args.threads,
        "celery worker": f"nice -n {args.worker_nice}"
        if args.worker_nice
        else "nice 0",
        "partners (one key each)": args.partners,
        "environment set by the bench": ", ".join(f"{k}={v}" for k, v in said.items()),
    }
    run_dir = Path(tempfile.mkdtemp(prefix="rush-"))
    runs = []
    try:
        for spec in rush_config.scenario_specs(args):
            runs.append(run_scenario(args, spec, env, template, run_dir, relay))
    finally:
        rush_seed.point_django_at("postgres")
        if not args.keep_database:
            rush_seed.drop_database(template)
    machine["load_avg_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out = Path(args.out)
    png = rush_report.plot(runs, out.with_suffix(".png"))
    if png is None:
        notes.append(
            "no plot: matplotlib is not installed "
            "(pip install -r bench/requirements.txt); the data is in the JSON"
        )
    notes.append(f"logs of this run: {run_dir}")
    title = "Rush through the front door" + (f": {args.title}" if args.title else "")
    rush_report.write_report(
        out,
        title=title,
        machine=machine,
        params=params,
        runs=runs,
        png=png,
        notes=notes,
    )
    print(f"\nReport: {out}" + (f", plot: {png}" if png else ""))
    passed = all(ok for f in runs for _, ok, _ in f["checks"])
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
