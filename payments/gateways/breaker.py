"""One circuit breaker for Stripe, its state in Redis so every process sees it open.

pybreaker's Redis storage keeps the failure count and the state; when Redis itself is
down the breaker falls back to closed (payments still try Stripe, with timeouts).
"""

import logging
import threading

import pybreaker
from django.conf import settings
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from .stripe_api import is_outage

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_breakers: dict[tuple, pybreaker.CircuitBreaker] = {}


def stripe_breaker() -> pybreaker.CircuitBreaker:
    """Return this process's breaker for Stripe (state shared through Redis)."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    key = (
        prefix,
        settings.PAYMENTS_BREAKER_FAIL_MAX,
        settings.PAYMENTS_BREAKER_RESET_SECONDS,
    )
    with _lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = pybreaker.CircuitBreaker(
                fail_max=settings.PAYMENTS_BREAKER_FAIL_MAX,
                reset_timeout=settings.PAYMENTS_BREAKER_RESET_SECONDS,
                state_storage=_storage(f"{prefix}:stripe"),
                exclude=[lambda error: not is_outage(error)],
                name="stripe",
            )
    return breaker


def _storage(namespace: str) -> pybreaker.CircuitBreakerStorage:
    try:
        return pybreaker.CircuitRedisStorage(
            pybreaker.STATE_CLOSED,
            get_redis_connection("default"),
            namespace=namespace,
        )
    except RedisError:
        logger.warning("Redis unavailable: the Stripe breaker is per process")
        return pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)
