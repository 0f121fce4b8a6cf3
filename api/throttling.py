"""Requests per API key, and booking POSTs per partner, counted in Redis by the front
door in fixed windows."""

import math

from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from accounts.models import PartnerAPIKey


class PartnerKeyThrottle(BaseThrottle):
    """Allow API_THROTTLE_RATE requests per key and window; answer 429 with Retry-After.

    The front door (api/frontdoor.py) counts the request in the same Redis round trip
    as the key's row: INCR, and EXPIRE on the window's first request, in one script,
    atomic across processes. A fixed window can let up to twice the rate through
    across a window boundary, which suits a safety limit. Redis being down lets
    requests through: the limit protects, it does not decide.
    """

    def __init__(self):
        self._wait = None

    def allow_request(self, request, view):
        door = getattr(request, "front_door", None)
        if not isinstance(request.auth, PartnerAPIKey) or door is None:
            return True
        if door.count > door.limit:
            self._wait = max(1, math.ceil(door.window_left))
            return False
        if door.booking_limit and door.bookings > door.booking_limit:
            raise BookingRateThrottled(
                limit=door.booking_limit,
                wait=max(1, math.ceil(door.booking_window_left)),
            )
        return True

    def wait(self):
        return self._wait


class BookingRateThrottled(Throttled):
    """The partner sent more booking POSTs this minute than its booking rate allows."""

    def __init__(self, *, limit: int, wait: int):
        super().__init__(
            wait=wait,
            detail=f"Too many booking requests for this partner: {limit} a minute "
            f"at most; retry in {wait} s.",
        )
