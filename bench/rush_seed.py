"""bench/rush.py's database: created from a migrated template, seeded, dropped after.

The rush runs on a database of its own on the server of DATABASE_URL: a template
`innkeep_rush_<pid>_tpl` migrated once, then one copy per scenario (CREATE DATABASE ...
TEMPLATE is a file copy: seconds, where migrating is a minute). Everything is dropped at
the end unless --keep-database. Django (the production settings, on that database) is
set up in this process only to seed and to check; the stack under test runs in its own
processes.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

import benchlib


@dataclass
class Seeded:
    """What a scenario put on sale, and who may buy it."""

    targets: list[benchlib.Target]
    night: date
    keys: list[str] = field(default_factory=list)
    hotel_ids: list[int] = field(default_factory=list)

    @property
    def rooms(self) -> int:
        return sum(target.capacity for target in self.targets)


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", benchlib.DEFAULT_DATABASE_URL))
    return urlunsplit(parts._replace(path="/" + name))


def _admin(sql: str, *names: str) -> None:
    import psycopg
    from psycopg import sql as psql

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(psql.SQL(sql).format(*(psql.Identifier(n) for n in names)))


def create_database(name: str, template: str | None = None) -> None:
    if template:
        _admin("CREATE DATABASE {} TEMPLATE {}", name, template)
    else:
        _admin("CREATE DATABASE {}", name)


def drop_database(name: str) -> None:
    _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def migrate_template(name: str, env: dict) -> None:
    """Create and migrate the template database in a child process (its own Django)."""
    import subprocess
    import sys

    drop_database(name)
    create_database(name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=benchlib.ROOT,
        env={**env, "DATABASE_URL": database_url(name)},
        check=True,
    )


def close_connections() -> None:
    """Close this process's connections for real, the pooled ones included."""
    from django.db import connections

    connections.close_all()
    for conn in connections.all():
        if getattr(conn, "pool", None) is not None:
            conn.close_pool()  # a pool keeps sessions open on the database


def point_django_at(name: str) -> None:
    """Make this process's Django (already set up) use database `name` from now on."""
    from django.db import connections

    close_connections()
    settings_dict = connections["default"].settings_dict
    settings_dict["NAME"] = name


def partner_caps(rooms_on_sale: int, partners: int) -> dict:
    """Hold caps and booking rate of a rush partner: a high-volume OTA's, that fit.

    Ten times the defaults (500 live holds, 5,000 room-nights), or twice a partner's
    share of the rooms when that is more (`--partners 1` holds them all); a booking
    rate of 1,200 a minute, the key's own general rate.
    """
    share = -(-rooms_on_sale // max(1, partners))
    return {
        "max_live_holds": max(500, 2 * share),
        "max_held_room_nights": max(5000, 2 * share),
        "bookings_per_minute": 1200,
    }


def seed(
    *, hotels: int, room_types: int, rooms: int, partners: int, overbooking: int = 0
) -> Seeded:
    """Put `room_types` × `rooms` on sale for one night, and give `partners` a key each,
    with hold caps that fit the rush (partner_caps)."""
    from accounts.models import Partner
    from accounts.services import partner_key_create
    from inventory.models import RatePlan

    targets, night = benchlib.create_targets(
        hotels=min(hotels, room_types),
        room_types=room_types,
        rooms_each=rooms,
        nights=1,
        overbooking_percent=overbooking,
    )
    keys = []
    caps = partner_caps(sum(t.capacity for t in targets), partners)
    for i in range(partners):
        partner = Partner.objects.create(
            name=f"Rush agency {i}",
            slug=f"rush-{i}-{uuid.uuid4().hex[:6]}",
            kind="distribution",
            **caps,
        )
        keys.append(
            partner_key_create(partner=partner, name="rush", scopes=["booking"])[1]
        )
    hotel_ids = sorted(
        set(
            RatePlan.objects.filter(
                pk__in=[t.rate_plan_id for t in targets]
            ).values_list("room_type__hotel_id", flat=True)
        )
    )
    return Seeded(targets=targets, night=night, keys=keys, hotel_ids=hotel_ids)


PGBENCH_ROOMS = 32_000  # inventory.rooms is a smallint: ~25 s of pgbench at most


def seed_pgbench_row() -> tuple[int, int, date]:
    """A room type with room for any number of pgbench holds: (room type, plan, night).

    pgbench takes rooms without looking (as the engine does once it has checked), so
    its row has capacity to spare; the CHECK constraint stays as it is.
    """
    from inventory.models import Inventory

    (target,), night = benchlib.create_targets(
        hotels=1, room_types=1, rooms_each=1, nights=1, overbooking_percent=0
    )
    Inventory.objects.filter(room_type_id=target.room_type_id).update(
        rooms=PGBENCH_ROOMS
    )
    return target.room_type_id, target.rate_plan_id, night


def write_plan(
    path,
    *,
    mode: str,
    attempts: int,
    threads: int,
    run: str,
    seeded: Seeded,
    sessions: list[tuple[str, str]] = (),
) -> None:
    """Write the wrk script's plan (bench/rush.lua says its format)."""
    night, departure = seeded.night, seeded.night + timedelta(days=1)
    lines = [f"mode {mode}", f"attempts {attempts}", f"threads {threads}", f"run {run}"]
    lines += [f"T {t.rate_plan_id} {night} {departure}" for t in seeded.targets]
    lines += [f"K {key}" for key in seeded.keys]
    lines += [f"S {cookie} {token} {address}" for cookie, token, address in sessions]
    path.write_text("\n".join(lines) + "\n")


def site_sessions(base_url: str, seeded: Seeded, count: int, workers: int = 16):
    """Open `count` browser sessions: each GETs a rate's details page (Reserve → details).

    Return (cookie header with "|" for "; ", CSRF token, client address) per session,
    and the seconds it took. A plain HTTP client, as a browser would: the page sets
    the session and CSRF cookies (Secure in production: read from the answer, sent
    back by the rush). Each session gets an address of its own (10.0.0.0/8), which the
    rush sends as the X-Forwarded-For of a load balancer in front (TRUSTED_PROXY_COUNT):
    the site's per-address hold cap and rate limit count each client apart.
    """
    import re
    import time
    from concurrent.futures import ThreadPoolExecutor

    import requests

    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    night, departure = seeded.night, seeded.night + timedelta(days=1)

    def one(i: int):
        target = seeded.targets[i % len(seeded.targets)]
        with requests.Session() as http:
            answer = http.get(
                f"{base_url}/bookings/new/",
                params={
                    "rate_plan": target.rate_plan_id,
                    "check_in": str(night),
                    "check_out": str(departure),
                    "rooms": 1,
                    "adults": 1,
                },
                timeout=120,
            )
            found = token_re.search(answer.text)
            cookies = {c.name: c.value for c in http.cookies}
        if answer.status_code != 200 or not found or "sessionid" not in cookies:
            return None
        cookie = "|".join(f"{k}={v}" for k, v in sorted(cookies.items()))
        return cookie, found.group(1), client_address(i)

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        sessions = [s for s in pool.map(one, range(count)) if s is not None]
    return sessions, time.monotonic() - started


def client_address(i: int) -> str:
    """The address of site client `i`, as a load balancer in front would report it."""
    return f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"


@contextlib.contextmanager
def scenario_database(name: str, template: str, keep: bool):
    close_connections()  # a template must have no session open on it
    drop_database(name)
    create_database(name, template)
    point_django_at(name)
    try:
        yield
    finally:
        close_connections()
        if not keep:
            drop_database(name)
