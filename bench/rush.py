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

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import rush_report
import rush_run
import rush_seed
import rush_stack
from rush_pgbench import run_pgbench


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenarios", default="spread,hot,site")
    p.add_argument(
        "--front",
        choices=("nginx", "gunicorn", "legacy"),
        default="nginx",
        help="nginx + config/gunicorn.py, gunicorn alone, or the issue's "
        "gunicorn flags (4 gthread workers × 4 threads, defaults otherwise)",
    )
    p.add_argument("--room-types", type=int, default=100)
    p.add_argument("--rooms", type=int, default=100, help="rooms per room type")
    p.add_argument("--hotels", type=int, default=10)
    p.add_argument("--attempts", type=int, default=20_000)
    p.add_argument("--connections", type=int, default=10_000)
    p.add_argument("--hot-rooms", type=int, default=2_000)
    p.add_argument("--hot-attempts", type=int, default=4_000)
    p.add_argument("--hot-connections", type=int, default=1_000)
    p.add_argument(
        "--site-sessions",
        type=int,
        default=0,
        help="site: browser sessions (default: one per connection)",
    )
    p.add_argument(
        "--partners",
        type=int,
        default=100,
        help="partners, one key each; the API's throttle stays on",
    )
    p.add_argument("--threads", type=int, default=1, help="wrk threads")
    p.add_argument("--timeout", type=int, default=600, help="wrk's socket timeout, s")
    p.add_argument("--max-seconds", type=int, default=900, help="a rush's limit")
    p.add_argument(
        "--idle-stop",
        type=float,
        default=60,
        help="stop wrk after this many seconds without an answer",
    )
    p.add_argument(
        "--drain",
        type=float,
        default=30,
        help="seconds to wait for the worker to empty the broker's queue",
    )
    p.add_argument("--pgbench-clients", type=int, default=8)
    p.add_argument("--pgbench-seconds", type=int, default=10)
    p.add_argument("--database", help="database name (default innkeep_rush_<pid>)")
    p.add_argument("--keep-database", action="store_true")
    p.add_argument(
        "--quick",
        action="store_true",
        help="10 × 100 rooms, 2,000 attempts over 1,000 connections",
    )
    p.add_argument("--title", default="", help="report title, e.g. 'before'")
    p.add_argument("--out", help="report (default bench/results/rush.md)")
    args = p.parse_args(argv)
    if args.quick:
        args.room_types, args.rooms, args.hotels = 10, 100, 2
        args.attempts, args.connections = 2000, 1000
        args.hot_rooms, args.hot_attempts, args.hot_connections = 500, 1000, 200
        args.partners, args.pgbench_seconds, args.idle_stop = 20, 5, 30
    if args.out is None:
        name = "rush_quick.md" if args.quick else "rush.md"
        args.out = str(benchlib.RESULTS_DIR / name)
    args.database = args.database or f"innkeep_rush_{os.getpid()}"
    return args


def redact(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(parts.password, "***"))
    return urlunsplit(parts)


def read_services_env() -> None:
    """DATABASE_URL / REDIS_URL from .data/services.env when unset (as settings do)."""
    services = benchlib.ROOT / ".data" / "services.env"
    if services.exists():
        import environ

        environ.Env.read_env(str(services))  # never overrides a variable already set


def stack_env(args, redis_url: str) -> tuple[dict, dict]:
    """The environment of every process of the stack; and what the bench set, to say."""
    from urllib.parse import urlsplit

    said = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on 127.0.0.1: no TLS proxy in front to redirect to.
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        # No SMTP server here: the worker renders every e-mail and sends it nowhere.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Every site client comes from 127.0.0.1; the per-address limit would stop all.
        "RATELIMIT_BOOKING": "100000000/m",
        "CACHE_KEY_PREFIX": f"innkeep-rush-{os.getpid()}",
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
    }
    env = {**os.environ, **said}
    env["DATABASE_URL"] = rush_seed.database_url(args.database)
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("DJANGO_DEBUG", None)
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    said["DJANGO_SECRET_KEY"] = "(random per run)"
    said["REDIS_URL"] = said["CELERY_BROKER_URL"] = redact(redis_url)
    host = urlsplit(os.environ.get("DATABASE_URL", benchlib.DEFAULT_DATABASE_URL))
    said["DATABASE_URL"] = f"{host.hostname}:{host.port or 5432}/{args.database}"
    return env, said


def scenario_specs(args) -> list[dict]:
    cores = os.cpu_count()
    specs = {
        "spread": dict(
            mode="api",
            room_types=args.room_types,
            rooms_each=args.rooms,
            attempts=args.attempts,
            connections=args.connections,
            success=201,
            describe=f"{args.room_types} room types × {args.rooms} rooms, one night, "
            "partner API",
        ),
        "hot": dict(
            mode="api",
            room_types=1,
            rooms_each=args.hot_rooms,
            attempts=args.hot_attempts,
            connections=args.hot_connections,
            success=201,
            describe=f"1 room type × {args.hot_rooms} rooms, one night, partner API",
        ),
        "site": dict(
            mode="site",
            room_types=args.room_types,
            rooms_each=args.rooms,
            attempts=args.attempts,
            connections=args.connections,
            success=302,
            describe=f"{args.room_types} room types × {args.rooms} rooms, one night, "
            "site: details page per client, then the booking POST",
        ),
    }
    chosen = []
    for name in args.scenarios.split(","):
        spec = dict(
            specs[name.strip()],
            name=name.strip(),
            front=args.front,
            cores=cores,
            rooms=0,
        )
        chosen.append(spec)
    return chosen


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
        stack = rush_stack.Stack(env=env, run_dir=run_dir / name, front=args.front)
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
        f["cpu"] = rush_stack.cpu_used(before, after)
        f["checks"] = rush_run.checks(
            ids, seeded.night, f["successes"], spec["success"], f["statuses"]
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
    args = parse_args(argv)
    for tool in ("wrk",) + (("nginx",) if args.front == "nginx" else ()):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            print(f"{tool} is missing: apt-get install -y wrk nginx-light")
            return 2
    read_services_env()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env, said = stack_env(args, redis_url)
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
        "partners (one key each)": args.partners,
        "environment set by the bench": ", ".join(f"{k}={v}" for k, v in said.items()),
    }
    run_dir = Path(tempfile.mkdtemp(prefix="rush-"))
    runs = []
    try:
        for spec in scenario_specs(args):
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
