"""The one clock: PostgreSQL's `now()`."""

from datetime import datetime

from django.db import connection


def db_now() -> datetime:
    """Return the database's current transaction timestamp (UTC, aware)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]
