"""The partner API's booking POST, in process: CPU per request, by phase and function.

    .venv/bin/python bench/profile_api.py                 # 100 × 20 rooms, 4,000 POSTs
    .venv/bin/python bench/profile_api.py --cprofile 30   # and the top 30 functions

It seeds `--room-types` × `--rooms` for one night on a database of its own (like
bench/rush.py, production settings), then calls the WSGI application the way gunicorn
does, one request after another with their own Idempotency-Keys, until twice the rooms
were asked for: half are holds, half sold-out answers. It prints this process's CPU per
request for each kind of answer (PostgreSQL and Redis work on their own servers is not in
it), which is the figure bench/rush.py's gunicorn CPU divides into. Not part of the tests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
import rush_seed


def environ_for(key: str, body: bytes, idem: str) -> dict:
    from io import BytesIO

    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/bookings/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_API_KEY": key,
        "HTTP_IDEMPOTENCY_KEY": idem,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--room-types", type=int, default=100)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--partners", type=int, default=10)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="first time what every API answer costs: a 404, a bad key, a key's 404",
    )
    parser.add_argument(
        "--events",
        action="store_true",
        help="then run the handlers of the events the holds wrote, as the worker does",
    )
    parser.add_argument("--database", default=f"innkeep_profile_api_{os.getpid()}")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    rush_config_env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CACHE_KEY_PREFIX": f"innkeep-profile-{os.getpid()}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(rush_config_env)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    os.environ.setdefault("DATABASE_URL", benchlib.DEFAULT_DATABASE_URL)
    url = rush_seed.database_url(args.database)
    print(f"migrating {args.database} …", flush=True)
    rush_seed.migrate_template(args.database, {**os.environ, "DATABASE_URL": url})
    os.environ["DATABASE_URL"] = url
    import django

    django.setup(set_prefix=False)
    try:
        return run(args)
    finally:
        rush_seed.close_connections()
        if not args.keep_database:
            rush_seed.drop_database(args.database)


def run(args) -> int:
    from django_redis import get_redis_connection

    from config.wsgi import application

    get_redis_connection("default").flushdb()
    seeded = rush_seed.seed(
        hotels=10,
        room_types=args.room_types,
        rooms=args.rooms,
        partners=args.partners,
    )
    night = seeded.night
    departure = night.fromordinal(night.toordinal() + 1)
    attempts = 2 * seeded.rooms
    statuses: dict[int, int] = {}
    cpu: dict[int, float] = {}
    status_box = []

    def start_response(status, headers, exc_info=None):
        status_box.append(int(status[:3]))

    def one(i: int) -> None:
        target = seeded.targets[i % len(seeded.targets)]
        body = json.dumps(
            {
                "rate_plan": target.rate_plan_id,
                "check_in": str(night),
                "check_out": str(departure),
                "rooms": 1,
                "adults": 1,
                "guest": {"name": f"Guest {i}", "email": f"g{i}@example.com"},
            }
        ).encode()
        environ = environ_for(seeded.keys[i % len(seeded.keys)], body, uuid.uuid4().hex)
        started = time.process_time()
        status_box.clear()
        response = application(environ, start_response)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()
        spent = time.process_time() - started
        status = status_box[0]
        statuses[status] = statuses.get(status, 0) + 1
        cpu[status] = cpu.get(status, 0.0) + spent

    if args.floor:
        floor_profile = cProfile.Profile(time.process_time) if args.cprofile else None
        if floor_profile:
            floor_profile.enable()
        floor(application, seeded.keys[0])
        if floor_profile:
            floor_profile.disable()
            out = io.StringIO()
            pstats.Stats(floor_profile, stream=out).sort_stats("tottime").print_stats(
                args.cprofile
            )
            print(out.getvalue())
    for i in range(50):  # warm up: imports, the pool, the scripts, caches
        one(-i - 1)
    statuses.clear()
    cpu.clear()
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    wall = time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(attempts):
        one(i)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - wall
    print(f"{attempts:,} POSTs in {wall:.1f} s (one after another, in process)")
    for status in sorted(statuses):
        n = statuses[status]
        print(f"  {status}: {n:,} answers, {1000 * cpu[status] / n:.2f} ms CPU each")
    total = sum(cpu.values())
    print(f"  all: {1000 * total / attempts:.2f} ms CPU a request")
    if args.events:
        profiler = run_events(args) or profiler
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.cprofile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(
            args.cprofile
        )
        print(out.getvalue())
    return 0


def floor(application, key: str, n: int = 2000) -> None:
    """Print the CPU of answers that do (almost) nothing, for scale."""
    shapes = [
        ("404 before any view", "GET", "/api/v1/no-such-thing/", {}),
        (
            "401 a bad key (DRF)",
            "GET",
            "/api/v1/bookings/NOPE/",
            {"HTTP_X_API_KEY": "a.b"},
        ),
        ("404 a good key's (DRF, one query)", "GET", "/api/v1/bookings/NOPE/", {}),
    ]
    for label, method, path, extra in shapes:
        spent = 0.0
        for i in range(n + 50):
            environ = environ_for(key, b"", "")
            environ.update(REQUEST_METHOD=method, PATH_INFO=path, **extra)
            started = time.process_time()
            response = application(environ, lambda *a, **k: None)
            b"".join(response)
            response.close()
            if i >= 50:
                spent += time.process_time() - started
        print(f"  floor: {label}: {1000 * spent / n:.2f} ms CPU each")


def run_events(args):
    """Run every outbox event's handlers in process, in the relay's batches."""
    from core import outbox
    from core.models import OutboxEvent

    events = [outbox._event(row) for row in OutboxEvent.objects.order_by("created_at")]
    size = 50
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for start in range(0, len(events), size):
        outbox.dispatch_batch.run(events[start : start + size])
    if profiler:
        profiler.disable()
    spent = time.process_time() - started
    print(
        f"{len(events):,} events handled in batches of {size}: "
        f"{1000 * spent / max(len(events), 1):.2f} ms CPU each"
    )
    return profiler


if __name__ == "__main__":
    raise SystemExit(main())
