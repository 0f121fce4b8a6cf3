#!/usr/bin/env python
"""The two designs for counting hold caps, in raw SQL: what each costs per hold.

    python bench/hold_caps_sql.py [--clients 8] [--seconds 8] [--live 50,1000,5000]

On a scratch database (`innkeep_hold_caps_sql` on DATABASE_URL's server, dropped after),
`--clients` threads, each on its own connection, make holds for ONE actor (one
partner) for `--seconds`, with `--live` holds of that actor already live:

- **count**: per-actor transaction advisory lock + COUNT(*) of its live holds (partial
  index), sent with the lock (as it would travel with the nights' locks), then the
  insert, then COMMIT;
- **tally**: the insert and the upsert of the actor's tally row (guarded by its cap) in
  one statement, as booking/caps.py does, then COMMIT;
- **none**: the insert alone (a partner with no limit).

It prints holds/s and the mean latency of each. No Django: the statements only.
"""

import argparse
import os
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

DB = "innkeep_hold_caps_sql"
SCHEMA = """
CREATE TABLE held (
    id bigserial PRIMARY KEY, actor int NOT NULL, status text NOT NULL,
    held_until timestamptz NOT NULL, rooms int NOT NULL DEFAULT 1
);
CREATE INDEX held_live ON held (actor, held_until) WHERE status = 'held';
CREATE TABLE tally (actor int PRIMARY KEY, holds int NOT NULL, max_holds int);
"""
INSERT = (
    "INSERT INTO held (actor, status, held_until) "
    "VALUES (1, 'held', now() + interval '15 minutes')"
)
DESIGNS = {
    "none": [INSERT],
    "count": [
        "SELECT pg_advisory_xact_lock(7, 1); SELECT count(*) FROM held "
        "WHERE actor = 1 AND status = 'held' AND held_until > now()",
        INSERT,
    ],
    "tally": [
        "WITH inserted AS (" + INSERT + " RETURNING 1), guarded AS ("
        "INSERT INTO tally AS t (actor, holds, max_holds) VALUES (1, 1, 1000000) "
        "ON CONFLICT (actor) DO UPDATE SET holds = t.holds + 1 "
        "WHERE t.holds < EXCLUDED.max_holds RETURNING 1) "
        "SELECT (SELECT count(*) FROM guarded)"
    ],
}


def url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/x"))
    return urlunsplit(parts._replace(path="/" + name))


def reset(live: int) -> None:
    with psycopg.connect(url(DB), autocommit=True) as conn:
        conn.execute("TRUNCATE held, tally")
        conn.execute(
            "INSERT INTO held (actor, status, held_until) SELECT 1, 'held', "
            "now() + interval '1 hour' FROM generate_series(1, %s)",
            [live],
        )
        conn.execute("INSERT INTO tally VALUES (1, %s, 1000000)", [live])
        conn.execute("VACUUM ANALYZE held")


def race(design: str, clients: int, seconds: float) -> tuple[float, float]:
    barrier = threading.Barrier(clients)
    counts = [0] * clients
    latency = [0.0] * clients

    def work(i: int) -> None:
        with psycopg.connect(url(DB)) as conn:
            barrier.wait()
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                start = time.perf_counter()
                with conn.transaction():
                    for sql in DESIGNS[design]:
                        conn.execute(sql)
                latency[i] += time.perf_counter() - start
                counts[i] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(counts)
    return total / seconds, 1000 * sum(latency) / max(1, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--live", default="50,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
    try:
        with psycopg.connect(url(DB), autocommit=True) as conn:
            conn.execute(SCHEMA)
        print(
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
            f"{args.clients} clients × {args.seconds:g} s, one actor; median of "
            f"{args.repeat} runs, interleaved"
        )
        print("| live holds | design | holds/s | mean latency ms |")
        print("|---:|---|---:|---:|")
        for live in (int(n) for n in args.live.split(",")):
            runs = {design: [] for design in DESIGNS}
            for _ in range(args.repeat):
                for design in DESIGNS:
                    reset(live)
                    runs[design].append(race(design, args.clients, args.seconds))
            for design, results in runs.items():
                rate, mean = sorted(results)[len(results) // 2]
                print(f"| {live:,} | {design} | {rate:,.0f} | {mean:.2f} |", flush=True)
    finally:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
