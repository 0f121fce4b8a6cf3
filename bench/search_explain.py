"""EXPLAIN ANALYZE of the site's hotel search on the current database (seed_demo data).

Usage: python bench/search_explain.py [--runs 20] [--plans]
Prints, for each typical search, the median execution time PostgreSQL reports, the
planning time, the shared buffers touched and the indexes the plan uses; with --plans, the
plans themselves. Run it before and after a migration that adds or drops an index.
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402

from core.clock import db_now  # noqa: E402
from inventory.rules import StayRequest  # noqa: E402
from search.hotels import HotelSearch, search_sql  # noqa: E402


def searches():
    check_in = db_now().date() + timedelta(days=21)
    stay = StayRequest(check_in, check_in + timedelta(days=3), 1, 2)
    return {
        "city 'Seoul'": HotelSearch(stay=stay, place="Seoul"),
        "typo 'Lisbn'": HotelSearch(stay=stay, place="Lisbn"),
        "prefix 'tok'": HotelSearch(stay=stay, place="tok", sort="rating"),
        "point 5 km": HotelSearch(
            stay=stay, latitude=37.57, longitude=126.98, radius_km=5, sort="distance"
        ),
        "everywhere": HotelSearch(stay=stay),
        "filters": HotelSearch(
            stay=stay,
            place="Taipei",
            stars=(4, 5),
            amenities=("wifi",),
            free_cancellation=True,
        ),
    }


def explain(sql: str, params: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]


def indexes(plan: dict) -> set[str]:
    found = set()
    if "Index Name" in plan:
        found.add(f"{plan['Node Type']}:{plan['Index Name']}")
    for child in plan.get("Plans", []):
        found |= indexes(child)
    return found


def seq_scans(plan: dict) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan":
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= seq_scans(child)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
        cursor.execute("SELECT count(*) FROM inventory_inventory")
        nights = cursor.fetchone()[0]
    print(
        f"{platform.node()}: {os.cpu_count()} cores, {version}, {nights} inventory rows"
    )
    print(
        f"{'search':16} {'exec ms':>8} {'plan ms':>8} {'buffers':>8}  indexes / seq scans"
    )
    for name, search in searches().items():
        sql, params = search_sql(search)
        explain(sql, params)  # warm the cache
        runs = [explain(sql, params) for _ in range(args.runs)]
        execution = statistics.median(r["Execution Time"] for r in runs)
        planning = statistics.median(r["Planning Time"] for r in runs)
        plan = runs[-1]["Plan"]
        buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
        used = ", ".join(
            sorted(
                re.sub(r"^Index (Only )?Scan:|^Bitmap Index Scan:", "", i)
                for i in indexes(plan)
            )
        )
        seqs = ", ".join(sorted(seq_scans(plan)))
        print(
            f"{name:16} {execution:8.2f} {planning:8.2f} {buffers:8d}  {used or '-'} / seq: {seqs or '-'}"
        )
        if args.plans:
            print(json.dumps(runs[-1], indent=1)[:6000])


if __name__ == "__main__":
    main()
