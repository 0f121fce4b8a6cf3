"""The partner API's hot paths: queries per request and response times, in one process.

Usage: python bench/api_partner.py [--reads 2000] [--holds 300] [--quick] [--database D]

Requests go through Django's test client into the real stack (middleware, DRF, key
authentication, Redis throttle, PostgreSQL, Redis cache) against the bench's own database
(`innkeep_bench_api` unless --database; its booking tables are emptied first); HTTP parsing and the network are left out. It measures:

- availability summary (GET /api/v1/hotels/{id}/availability/): from Redis (the rush case,
  the same stay asked again and again) and computed (a different stay each time);
- create booking (POST /api/v1/bookings/ with an Idempotency-Key), and its replay;
- hotel search (GET /api/v1/hotels/), cached and computed.

For each it prints the SQL queries per request, p50/p95/p99 latency and requests/s of one
client, and writes bench/results/api_partner.md (api_partner_quick.md with --quick).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure(name: str, send, count: int) -> dict:
    """Call send(i) `count` times; return queries per request and latency figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    latencies, queries, statuses = [], [], {}
    for i in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = send(i)
            latencies.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return {
        "name": name,
        "requests": count,
        "statuses": statuses,
        "queries": statistics.median(queries),
        "queries_max": max(queries),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "per_s": count / (sum(latencies) / 1000),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--holds", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument(
        "--database",
        default="innkeep_bench_api",
        help="the bench's own database (emptied first), on DATABASE_URL's server",
    )
    args = parser.parse_args()
    if args.quick:
        args.reads, args.holds = 200, 40

    os.environ["API_THROTTLE_RATE"] = "100000000/minute"
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic
    env = benchlib.prepare_environment(args.database, "bench-api")
    benchlib.ensure_database()
    benchlib.setup_django()
    benchlib.migrate()
    benchlib.wipe()

    from django.db import connection
    from django.test import Client

    from accounts.models import Partner
    from accounts.services import partner_key_create

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE api_idempotencykey, api_webhookdelivery, api_webhookendpoint, "
            "accounts_partnerapikey, accounts_partner_hotels, accounts_partner CASCADE"
        )
    targets, first_night = benchlib.create_targets(
        hotels=1, room_types=6, rooms_each=1000, nights=60, overbooking_percent=0
    )
    from inventory.models import RatePlan

    hotel_id = RatePlan.objects.get(pk=targets[0].rate_plan_id).room_type.hotel_id
    partner = Partner.objects.create(
        name="Bench agency", slug=f"bench-{uuid.uuid4().hex[:8]}", kind="distribution"
    )
    raw_key = partner_key_create(partner=partner, name="bench", scopes=["booking"])[1]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw_key)
    machine = benchlib.machine_info()
    from django.conf import settings

    assert not settings.BOOKING_EVENT_HANDLERS, "the bench must not queue Celery tasks"

    def stay(i: int, nights: int = 2) -> dict:
        check_in = first_night + timedelta(days=i % 50)
        return {
            "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=nights)),
            "adults": 2,
        }

    availability = f"/api/v1/hotels/{hotel_id}/availability/"
    client.get(availability, stay(0))  # warm connections, caches of Python itself
    results = [
        measure(
            "availability, from Redis (same stay)",
            lambda i: client.get(availability, stay(0)),
            args.reads,
        ),
        measure(
            "availability, computed (new stay each time)",
            lambda i: client.get(availability, {**stay(i), "children": i // 50 + 1}),
            max(50, args.reads // 10),
        ),
        measure(
            "availability with per-night detail, computed",
            lambda i: client.get(
                availability, {**stay(i, 7), "children": i // 50 + 1, "nights": "true"}
            ),
            max(50, args.reads // 20),
        ),
    ]

    def hold(i: int, key: str | None = None):
        target = targets[i % len(targets)]
        return client.post(
            "/api/v1/bookings/",
            json.dumps(
                {
                    "rate_plan": target.rate_plan_id,
                    **stay(i),
                    "guest": {"name": f"Guest {i}", "email": f"g{i}@example.com"},
                }
            ),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key or f"bench-{i}",
        )

    results.append(measure("create booking (hold)", hold, args.holds))
    results.append(
        measure(
            "create booking, replayed key",
            lambda i: hold(i % args.holds, f"bench-{i % args.holds}"),
            50,
        )
    )
    search = "/api/v1/hotels/"
    results.append(
        measure(
            "search, computed (new stay each time)",
            lambda i: client.get(search, {**stay(i), "rooms": 1, "children": i // 50}),
            max(50, args.reads // 20),
        )
    )
    results.append(
        measure(
            "search, from Redis",
            lambda i: client.get(search, {**stay(0), "rooms": 1}),
            max(50, args.reads // 4),
        )
    )

    report = render(results, machine, env, args)
    print(report)
    name = "api_partner_quick" if args.quick else "api_partner"
    benchlib.RESULTS_DIR.mkdir(exist_ok=True)
    (benchlib.RESULTS_DIR / f"{name}.md").write_text(report)
    (benchlib.RESULTS_DIR / f"{name}.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )
    return 0


def render(results: list[dict], machine: dict, env: dict, args) -> str:
    lines = [
        "# Partner API: queries and response times per request",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB, "
        f"load {machine['load_avg']}; Python {machine['python']}, Django "
        f"{machine['django']}, PostgreSQL {machine['postgresql']}, Redis "
        f"{machine['redis']}; git {machine['git']}.",
        f"Database {env['database']}; one client in-process (Django test client, no "
        "HTTP parsing, no network); 1 hotel, 6 room types, 60 nights on sale.",
        "",
        "| request | n | statuses | SQL queries | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        statuses = ", ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
        queries = f"{r['queries']:g}" + (
            f" (max {r['queries_max']})" if r["queries_max"] != r["queries"] else ""
        )
        lines.append(
            f"| {r['name']} | {r['requests']} | {statuses} | {queries} | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['p99_ms']:.2f} | "
            f"{r['per_s']:.0f} |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
