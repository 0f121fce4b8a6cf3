"""bench/rush.py's command line, the stack's environment and the scenarios."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

import benchlib
import rush_seed

DESCRIPTION = (
    "Rush the booking engine from the outside, through the stack production runs."
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=DESCRIPTION)
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
    p.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the Celery worker's nice value (the production recipe: background work "
        "yields the cores to the request path; 0 to race it)",
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
        # Every client connects from 127.0.0.1: each site client's own address comes
        # in X-Forwarded-For, as from a load balancer in front of nginx (or of
        # gunicorn alone), so the site's per-address hold cap and rate limit apply
        # per client, at their defaults.
        "TRUSTED_PROXY_COUNT": "2" if args.front == "nginx" else "1",
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
