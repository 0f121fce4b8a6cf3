"""Readiness checks: can this process serve, and are its dependencies and jobs alive?

Each check returns None when healthy, or a short reason; it never raises. Liveness
(`/health/live`) needs none of them: the process answers, that is all. Readiness
(`/health/ready`) runs every check in READINESS_CHECKS and answers 503 naming those
that failed (core/ops.py).

Not django-health-check: its checks cover the database, cache and storage, but a beat
heartbeat, the outbox lag and the broker's queue are this project's own, the answer
must name the failing check in JSON, and the readiness probe must run before the host
and HTTPS checks of the middleware chain (a load balancer probes by address, in plain
HTTP); a plugin registry and its templates would be more code to bend than this.
"""

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_redis import get_redis_connection

from . import broker, heartbeat, outbox

log = logging.getLogger(__name__)


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def check_redis() -> str | None:
    get_redis_connection("default").ping()
    return None


def check_broker() -> str | None:
    broker.ping()
    return None


def check_beat() -> str | None:
    age = heartbeat.age_seconds(heartbeat.HOLD_EXPIRY)
    limit = settings.HEALTH_BEAT_MAX_AGE_SECONDS
    if age is None:
        return "the hold-expiry task never ran"
    if age > limit:
        return f"the hold-expiry task last ran {age:.0f}s ago (limit {limit}s)"
    return None


def check_outbox() -> str | None:
    lag = outbox.lag_seconds()
    limit = settings.HEALTH_OUTBOX_MAX_LAG_SECONDS
    if lag > limit:
        return f"the oldest unpublished event is {lag:.0f}s old (limit {limit}s)"
    return None


def check_disk() -> str | None:
    # Storage makes MEDIA_ROOT on the first upload: until then its nearest existing
    # parent is the disk it will be on.
    root = Path(settings.MEDIA_ROOT).resolve()
    while not root.exists() and root != root.parent:
        root = root.parent
    free = shutil.disk_usage(root).free
    minimum = settings.HEALTH_MEDIA_MIN_FREE_MB * 1024 * 1024
    if free < minimum:
        return f"{free // (1024 * 1024)} MB free under MEDIA_ROOT (minimum {minimum // (1024 * 1024)} MB)"
    return None


READINESS_CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "redis": check_redis,
    "broker": check_broker,
    "beat": check_beat,
    "outbox": check_outbox,
    "disk": check_disk,
}


def readiness() -> dict[str, str | None]:
    """Run every readiness check; return each one's failure (None when it passed)."""
    results: dict[str, str | None] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:
            log.warning("health: %s check failed: %s", name, type(error).__name__)
            results[name] = f"{type(error).__name__}: {error}"[:300]
    return results
