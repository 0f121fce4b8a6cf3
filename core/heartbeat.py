"""Heartbeats of periodic jobs: a row per job, stamped with the database's clock."""

from django.db import connection

from .models import Heartbeat

# The hold-expiry task (booking.tasks.expire_overdue_holds), run by beat every minute:
# its heartbeat says beat and a worker are both alive.
HOLD_EXPIRY = "expire-overdue-holds"

_BEAT_SQL = """
INSERT INTO core_heartbeat (name, beat_at) VALUES (%s, now())
ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at
"""
_AGE_SQL = (
    "SELECT extract(epoch FROM now() - beat_at) FROM core_heartbeat WHERE name = %s"
)


def beat(name: str) -> None:
    """Record that job `name` ran now (one upsert, in its own autocommit statement)."""
    with connection.cursor() as cursor:
        cursor.execute(_BEAT_SQL, [name])


def age_seconds(name: str) -> float | None:
    """Return seconds since job `name` last ran, or None if it never did."""
    with connection.cursor() as cursor:
        cursor.execute(_AGE_SQL, [name])
        row = cursor.fetchone()
    return None if row is None else float(row[0])


__all__ = ["HOLD_EXPIRY", "Heartbeat", "age_seconds", "beat"]
