"""profile_hold's queries: the SQL statements and Redis commands of each path of a hold.

A hold with and without an idempotency key, "sold out" found under the row lock, "sold
out" from the Redis hint. Django and the project are imported inside the functions: only
after setup_django().
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import redis.client


def count_redis():
    """Patch redis-py to count the commands and round trips this process sends."""
    counts = Counter()
    original_execute = redis.client.Redis.execute_command
    original_pipeline = redis.client.Pipeline.execute

    def execute_command(self, *args, **kwargs):
        if not isinstance(self, redis.client.Pipeline):
            counts[str(args[0]).upper()] += 1
            counts["round trips"] += 1
        return original_execute(self, *args, **kwargs)

    def pipeline_execute(self, *args, **kwargs):
        for command_args, _ in self.command_stack:
            counts[str(command_args[0]).upper()] += 1
        counts["round trips"] += 1
        return original_pipeline(self, *args, **kwargs)

    redis.client.Redis.execute_command = execute_command
    redis.client.Pipeline.execute = pipeline_execute
    return counts


def show_paths(hot, sold_out, first_night, redis_counts, out: Callable[..., None]):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from booking.services import GuestDetails, booking_hold
    from core.errors import Unavailable
    from inventory.rules import StayRequest

    stay = StayRequest(first_night, first_night + timedelta(days=1))
    guest = GuestDetails(name="Ada Lovelace", email="ada@example.com")

    def one(label, plan_id, key=None):
        redis_counts.clear()
        with CaptureQueriesContext(connection) as queries:
            try:
                booking_hold(
                    rate_plan_id=plan_id,
                    stay=stay,
                    guest=guest,
                    source="partner" if key else "site",
                    idempotency_scope="bench:partner" if key else "",
                    idempotency_key=key,
                )
                answer = "held"
            except Unavailable as error:
                answer = (
                    f"{error.code} ({'locked' if 'free' in error.params else 'hint'})"
                )
        sql = [q["sql"] for q in queries.captured_queries]
        in_tx = sql.index("BEGIN") if "BEGIN" in sql else None
        commands = {k: v for k, v in redis_counts.items() if k != "round trips"}
        out(
            f"\n{label}: {answer}; {len(sql)} SQL statements"
            + (
                f" ({len(sql) - in_tx} from BEGIN to COMMIT)"
                if in_tx is not None
                else ""
            )
            + f"; Redis {redis_counts['round trips']} round trips {commands}"
        )
        for i, q in enumerate(queries.captured_queries):
            text = " ".join(q["sql"].split())
            out(f"  {i + 1:2}. {float(q['time']) * 1000:5.1f} ms  {text[:110]}")

    out("== Queries and Redis commands per path (one process, no contention)")
    one("hold, no idempotency key", hot.rate_plan_id)
    one("hold, idempotency key", hot.rate_plan_id, key="profile-key-1")
    one("sold out, found under the row lock", sold_out.rate_plan_id)
    one("sold out, told by the Redis hint", sold_out.rate_plan_id)
