"""The bench's environment: its own database and cache prefix, fixtures, the machine.

Shared by bench/hold_race.py and bench/profile_hold.py. Nothing here runs on import.
"""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/innkeep"
SETTINGS_MODULE = "config.settings.local"
TIME_ZONES = ["Europe/Lisbon", "Asia/Seoul", "America/New_York", "Europe/Berlin", "UTC"]
SALE_OFFSET_DAYS = 30  # sell a night a month ahead: far from every same-day cut-off

# ---------------------------------------------------------------------------------------------
# Environment, database, Django


def prepare_environment(db_name: str, cache_prefix: str) -> dict:
    """Point this process (and the workers it spawns) at the bench database and cache prefix.

    DATABASE_URL / REDIS_URL come from the environment, else .data/services.env (as
    config/settings/base.py reads them), else the defaults; only the database name changes.
    """
    services_env = ROOT / ".data" / "services.env"
    if services_env.exists():
        import environ

        environ.Env.read_env(
            str(services_env)
        )  # never overrides a variable already set
    source_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    parts = urlsplit(source_url)
    bench_url = urlunsplit(parts._replace(path="/" + db_name))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["CACHE_KEY_PREFIX"] = cache_prefix
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("PARTNER_WEBHOOKS", "0")  # no Celery task per booking event
    # Nor guest e-mails: an explicit BOOKING_EVENT_HANDLERS is kept (and hold_race refuses it
    # without --allow-events).
    os.environ.setdefault("BOOKING_EVENT_HANDLERS", "")
    return {
        "database": f"{parts.hostname}:{parts.port or 5432}/{db_name}",
        "redis": _redact(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
        "cache_prefix": cache_prefix,
    }


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(parts.password, "***"))
    return urlunsplit(parts)


def ensure_database() -> None:
    """Create the bench database on the server of DATABASE_URL if it does not exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            # Another bench may have created it meanwhile.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


BENCH_APPS = ("reviews", "payments", "booking", "inventory", "hotels")


def wipe() -> None:
    """Empty the booking tables of the bench database and the bench's cache keys."""
    from django.apps import apps
    from django.core.cache import cache
    from django.db import connection

    tables = [
        model._meta.db_table
        for label in BENCH_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    cache.delete_pattern(
        "*"
    )  # django-redis prefixes the pattern: only the bench's keys


# ---------------------------------------------------------------------------------------------
# Fixtures


@dataclass
class Target:
    """A room type on sale, through one rate plan."""

    room_type_id: int
    rate_plan_id: int
    capacity: int  # rooms + overbooking per night


def create_targets(
    *,
    hotels: int,
    room_types: int,
    rooms_each: int,
    nights: int,
    overbooking_percent: int,
) -> tuple[list[Target], date]:
    """Create hotels, room types, rate plans and inventory for the nights on sale.

    Return the targets and the first night on sale. Inventory also covers the departure
    day after the last night (its row is read for closed-to-departure).
    """
    from django.db import transaction

    from core.clock import db_now
    from hotels.tests.factories import (
        CancellationPolicyFactory,
        HotelFactory,
        RoomTypeFactory,
    )
    from inventory.models import Inventory
    from inventory.services import inventory_open
    from inventory.tests.factories import RatePlanFactory

    first_night = db_now().date() + timedelta(days=SALE_OFFSET_DAYS)
    targets = []
    with transaction.atomic():
        hotel_objs = [
            HotelFactory(time_zone=TIME_ZONES[i % len(TIME_ZONES)], currency="EUR")
            for i in range(hotels)
        ]
        policies = {
            hotel.pk: CancellationPolicyFactory(hotel=hotel) for hotel in hotel_objs
        }
        for i in range(room_types):
            hotel = hotel_objs[i % hotels]
            room_type = RoomTypeFactory(
                hotel=hotel,
                room_count=rooms_each,
                overbooking_percent=overbooking_percent,
                max_occupancy=2,
                base_price=10_000 + 100 * i,
            )
            inventory_open(
                room_type=room_type,
                start=first_night,
                end=first_night + timedelta(days=nights + 1),
            )
            plan = RatePlanFactory(
                room_type=room_type, cancellation_policy=policies[hotel.pk]
            )
            row = Inventory.objects.get(room_type=room_type, date=first_night)
            targets.append(Target(room_type.pk, plan.pk, row.rooms + row.overbooking))
    return targets, first_night


# ---------------------------------------------------------------------------------------------
# Machine load


def cpu_ticks() -> tuple[int, int]:
    """Return (busy, total) jiffies of the whole machine from /proc/stat, (0, 0) if unknown."""
    try:
        values = [
            int(v)
            for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
        ]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def cores_busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return (os.cpu_count() or 1) * (after[0] - before[0]) / total if total > 0 else 0.0


def proc_cpu_seconds(pid: int) -> float | None:
    """Return the CPU seconds (user + system) a local process has used, None if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float, threshold: float = 0.3) -> float:
    """Sample the machine for a second (up to `max_wait` s until under `threshold` cores busy).

    Return the cores busy in the last second sampled: what else was running at the start.
    """
    deadline = time.monotonic() + max_wait
    while True:
        before = cpu_ticks()
        time.sleep(1.0)
        busy = cores_busy(before, cpu_ticks())
        if busy < threshold or time.monotonic() >= deadline:
            return busy
        print(
            f"   machine busy ({busy:.2f} cores), waiting for it to quieten…",
            flush=True,
        )


# ---------------------------------------------------------------------------------------------
# The machine


ENGINE_FILES = (
    "booking/models.py",
    "booking/events.py",
    "booking/selectors.py",
    "booking/services/*.py",
    "inventory/*.py",
    "hotels/models.py",
    "core/*.py",
    "config/settings/base.py",
)


def engine_fingerprint() -> str:
    """A short digest of the booking engine's source: runs with different ones differ.

    Others may edit the engine while a long benchmark runs in a shared work tree, and each
    run's workers import it afresh.
    """
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for pattern in ENGINE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def machine_info() -> dict:
    from django import get_version
    from django.db import connection
    from django_redis import get_redis_connection

    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(_mem_total_kib() / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": get_version(),
        "load_avg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        for name in ("max_connections", "shared_buffers", "synchronous_commit"):
            cursor.execute(f"SHOW {name}")
            info[f"pg_{name}"] = cursor.fetchone()[0]
    try:
        info["redis"] = get_redis_connection("default").info().get("redis_version", "?")
    except Exception as error:
        info["redis"] = f"unavailable ({type(error).__name__})"
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["git"] = head
    except (OSError, subprocess.CalledProcessError):
        info["git"] = "?"
    connection.close()
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mem_total_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
