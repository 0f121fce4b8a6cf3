"""PostgreSQL really restarted in the middle of a stream of holds.

The test runs a PostgreSQL of its own (core.testing.PostgresServer), migrates a
database on it, and serves the project from a real gunicorn with the production
pool (DATABASE_POOL=1, config/gunicorn.py). Threads of partners POST holds, each with
its own Idempotency-Key, retrying a key on every retryable answer, while the test
stops PostgreSQL (a fast shutdown, as a restart or a failover does) and starts it
again. Then: every key has exactly one booking, the counts agree with the inventory
rows, the callers during the outage got a retryable 503 problem (and the site its
503 page), and the app reconnected by itself.
"""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest
import requests

from core.testing import PostgresServer, RedisServer, free_port

pytestmark = [
    # Processes and a PostgreSQL of its own: keep it off the busy worker.
    pytest.mark.xdist_group("faults"),
]

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS = 4
KEYS_PER_CLIENT = 12  # the outage starts after a quarter of them

SEED = textwrap.dedent(
    """
    import json
    from datetime import time, timedelta
    import django
    django.setup()
    from accounts.models import Partner
    from accounts.services import partner_key_create
    from accounts.tests.factories import PartnerFactory
    from hotels.tests.factories import (
        CancellationPolicyFactory, HotelFactory, RoomTypeFactory, hotel_today,
    )
    from inventory.services import inventory_open
    from inventory.tests.factories import RatePlanFactory

    hotel = HotelFactory(time_zone="Europe/Lisbon", currency="EUR",
                         same_day_cutoff=time.max)
    room_type = RoomTypeFactory(hotel=hotel, room_count=200, base_price=10_000)
    start = hotel_today(hotel)
    inventory_open(room_type=room_type, start=start, end=start + timedelta(days=40))
    plan = RatePlanFactory(room_type=room_type,
                           cancellation_policy=CancellationPolicyFactory(hotel=hotel))
    partner = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    key = partner_key_create(partner=partner, name="k", scopes=["booking"])[1]
    print(json.dumps({"key": key, "rate_plan": plan.pk, "start": str(start)}))
    """
)


def manage_env(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_POOL": "1",  # production's pool, with its checks
        "DATABASE_POOL_MAX_SIZE": "4",
        "DATABASE_POOL_TIMEOUT": "3",
        "PARTNER_WEBHOOKS": "0",
        # The stream is one partner's: no hold cap in the way.
        "BOOKING_PARTNER_MAX_HOLDS": "",
        "BOOKING_PARTNER_MAX_ROOM_NIGHTS": "",
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """PostgreSQL, Redis and gunicorn of the test's own; the seed's key and plan."""
    stack_log = (tmp_path_factory.mktemp("gunicorn") / "stderr.log").open("w")
    postgres = PostgresServer()
    redis = RedisServer()
    web = None
    try:
        postgres.start()
        redis.start()
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE innkeep")
        env = manage_env(postgres.url("innkeep"), redis.url)
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        seeded = subprocess.run(
            [python, "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        log = stack_log
        web = subprocess.Popen(
            [
                str(Path(python).parent / "gunicorn"),
                *("-c", "config/gunicorn.py"),
            ],
            cwd=ROOT,
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "GUNICORN_THREADS": "4",
                "GUNICORN_ACCESS_LOG": "",
                "GUNICORN_LOG_LEVEL": "warning",
            },
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/v1/", timeout=5)
                break
            except requests.ConnectionError:
                if web.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(log.name).read_text()[-3000:]) from None
                time.sleep(0.2)
        yield postgres, base, seed
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        redis.close()
        postgres.close()
        stack_log.close()


def hold_body(seed: dict, index: int) -> dict:
    from datetime import date, timedelta

    check_in = date.fromisoformat(seed["start"]) + timedelta(days=2 + index % 20)
    return {
        "rate_plan": seed["rate_plan"],
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=2)),
        "rooms": 1,
        "adults": 1,
        "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    }


def post_hold(base: str, seed: dict, key: str, index: int) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/bookings/",
        json=hold_body(seed, index),
        headers={"X-Api-Key": seed["key"], "Idempotency-Key": key},
        timeout=30,
    )


def test_a_postgres_restart_mid_stream_loses_and_doubles_no_booking(stack):
    postgres, base, seed = stack
    answers: list[tuple[float, str, int, dict]] = []  # (when, key, status, body)
    lock = threading.Lock()
    created = threading.Event()  # enough holds before the outage
    keys: dict[str, str] = {}  # key -> the reference its 201 answer named
    indices: dict[str, int] = {}  # key -> its body's index

    def client(number: int) -> None:
        for n in range(KEYS_PER_CLIENT):
            key, index = str(uuid.uuid4()), number * KEYS_PER_CLIENT + n
            indices[key] = index
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    response = post_hold(base, seed, key, index)
                except requests.RequestException as error:  # a broken answer: a bug
                    with lock:
                        answers.append((time.monotonic(), key, 0, {"e": str(error)}))
                    break
                body = response.json()
                with lock:
                    answers.append((time.monotonic(), key, response.status_code, body))
                    if response.status_code == 201:
                        keys[key] = body["reference"]
                        if len(keys) >= CLIENTS * KEYS_PER_CLIENT // 4:
                            created.set()
                if response.status_code == 201 or not body.get("retryable"):
                    break
                time.sleep(0.2)  # a real client waits Retry-After; the test is short

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert created.wait(120), answers[-5:]

    stopped_at = time.monotonic()
    postgres.stop()  # fast shutdown: every session is terminated
    during_api = post_hold(base, seed, str(uuid.uuid4()), 0)
    during_site = requests.get(f"{base}/", timeout=30)
    time.sleep(1.0)  # down for a while, the stream still posting
    postgres.start()
    started_at = time.monotonic()

    for thread in threads:
        thread.join(180)
        assert not thread.is_alive()

    # Callers during the outage: a retryable 503 problem, never a 500.
    assert during_api.status_code == 503, during_api.content[:500]
    assert during_api.headers["Content-Type"] == "application/problem+json"
    problem = during_api.json()
    assert problem["code"] == "service_unavailable", problem
    assert problem["retryable"] is True
    assert int(during_api.headers["Retry-After"]) >= 1
    assert during_site.status_code == 503
    assert during_site.headers["Content-Type"].startswith("text/html")
    assert "back in a moment" in during_site.text
    assert int(during_site.headers["Retry-After"]) >= 1

    statuses = Counter(status for _, _, status, _ in answers)
    codes = Counter(b.get("code") for _, _, s, b in answers if s != 201)
    assert set(statuses) <= {201, 409, 503}, (statuses, codes)
    assert statuses[503] >= 1, statuses  # the stream did meet the outage
    assert set(codes) <= {"service_unavailable", "busy", "idempotency_key_in_flight"}
    # Every key got its booking, each once.
    assert len(keys) == CLIENTS * KEYS_PER_CLIENT, statuses
    assert len(set(keys.values())) == len(keys)

    # The app reconnected by itself: holds succeed again soon after the restart.
    after = [when for when, _, status, _ in answers if when > started_at]
    first_ok = min(w for w, _, s, _ in answers if s == 201 and w > started_at)
    assert first_ok - started_at < 15
    print(
        f"\n503 answers: {statuses[503]} ({dict(codes)}); outage "
        f"{started_at - stopped_at:.2f} s; first 201 {first_ok - started_at:.2f} s "
        f"after PostgreSQL was back; {len(after)} answers after it"
    )

    # An idempotent retry of a done key returns its booking, and books nothing more.
    for key in list(keys)[:3] + list(keys)[-3:]:
        again = post_hold(base, seed, key, indices[key])
        assert again.status_code in (200, 201), again.content[:300]
        assert again.json()["reference"] == keys[key]

    with psycopg.connect(postgres.url("innkeep")) as db:
        rows = db.execute(
            "SELECT idempotency_key, reference FROM booking_booking"
        ).fetchall()
        assert dict(rows) == keys  # nothing lost, nothing doubled, nothing extra
        wrong = db.execute(
            """
            SELECT i.date, i.booked, COALESCE(SUM(b.rooms), 0)
            FROM inventory_inventory i
            LEFT JOIN booking_booking b
              ON b.room_type_id = i.room_type_id
             AND b.check_in <= i.date AND i.date < b.check_out
             AND b.status IN ('held', 'confirmed', 'checked_in')
            GROUP BY i.id HAVING i.booked <> COALESCE(SUM(b.rooms), 0)
            """
        ).fetchall()
        assert wrong == []
