"""Requests per API key, counted in Redis in fixed windows: one round trip a request."""

import logging
import math
import time

from django.conf import settings
from django_redis import get_redis_connection
from rest_framework.throttling import BaseThrottle

from accounts.models import PartnerAPIKey

log = logging.getLogger(__name__)

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Return (requests, seconds) for a rate such as "1200/minute" or "10/s"."""
    count, _, period = rate.partition("/")
    seconds = next(
        value for name, value in _PERIODS.items() if name.startswith(period[:1])
    )
    return int(count), seconds


class PartnerKeyThrottle(BaseThrottle):
    """Allow API_THROTTLE_RATE requests per key and window; answer 429 with Retry-After.

    A fixed window (INCR + EXPIRE in one pipeline) is atomic across processes; it can let
    up to twice the rate through across a window boundary, which suits a safety limit.
    Redis being down lets requests through: the limit protects, it does not decide.
    """

    def __init__(self):
        self._wait = None

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, PartnerAPIKey):
            return True
        limit, period = parse_rate(settings.API_THROTTLE_RATE)
        now = time.time()
        window = int(now // period)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        name = f"{prefix}:api:throttle:{key.prefix}:{period}:{window}"
        try:
            pipe = get_redis_connection("default").pipeline()
            pipe.incr(name)
            pipe.expire(name, period + 1)
            count, _ = pipe.execute()
        except Exception:
            log.warning("rate limit unavailable", exc_info=True)
            return True
        if count > limit:
            self._wait = max(1, math.ceil((window + 1) * period - now))
            return False
        return True

    def wait(self):
        return self._wait
