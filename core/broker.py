"""What the Celery broker holds, read without Celery's retrying connection machinery.

The checks and the scrape must answer within a second or two when the broker is down,
so they talk to a Redis broker directly with short timeouts; another broker is
reached through kombu with one connection attempt.
"""

from urllib.parse import urlsplit

import redis
from celery import current_app
from django.conf import settings

TIMEOUT_SECONDS = 1.0


def broker_url() -> str:
    """Return the broker the Celery app publishes to (CELERY_BROKER_URL)."""
    return current_app.conf.broker_url or settings.CELERY_BROKER_URL


def _redis_client() -> redis.Redis | None:
    url = broker_url()
    if urlsplit(url).scheme not in ("redis", "rediss"):
        return None
    return redis.Redis.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )


def ping() -> None:
    """Reach the broker once; raise if it cannot be reached."""
    client = _redis_client()
    if client is not None:
        with client:
            client.ping()
        return
    from kombu import Connection

    with Connection(url=broker_url(), connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1)


def queue_names() -> list[str]:
    default = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    extra = getattr(settings, "CELERY_METRICS_QUEUES", [])
    return sorted({default, *extra})


def queue_depths() -> dict[str, int]:
    """Return the messages waiting in each queue (a Redis broker; else nothing).

    Raises redis.RedisError when the broker cannot be reached.
    """
    client = _redis_client()
    if client is None:
        return {}
    with client:
        pipe = client.pipeline(transaction=False)
        names = queue_names()
        for name in names:
            pipe.llen(name)
        return dict(zip(names, pipe.execute(), strict=True))
