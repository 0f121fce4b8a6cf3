"""Short-lived "sold out" hints in Redis, so a rush is told "sold out" without a lock.

A hint may only ever say "no": PostgreSQL stays the sole truth for what is sold, every
booking re-checks under lock, and every release forgets the hints of its nights.

A hint is kept per room type and night. Beside it, a pointer from the rate plan that
found the nights short to its room type lets a caller that knows only the plan (every
booking request) ask in one Redis round trip, before any SQL: `SHORT_SCRIPT`.
"""

import functools
import logging
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection
from redis.commands.core import Script

log = logging.getLogger(__name__)

# A rate plan never moves to another room type, so its pointer may outlive the hints
# it leads to; with no hint behind it, it says nothing.
PLAN_POINTER_SECONDS = 300

# KEYS[1]: the plan's pointer; ARGV: the hint key prefix, the rooms wanted, the nights.
# Returns 1 when a hint says some night has fewer rooms free than wanted, else 0.
SHORT_LUA = """
local function short_of(pointer, prefix, rooms, first, args)
  local room_type = redis.call('GET', pointer)
  if not room_type then return 0 end
  for i = first, #args do
    local free = redis.call('GET', prefix .. room_type .. ':' .. args[i])
    if free and tonumber(free) < rooms then return 1 end
  end
  return 0
end
"""
SHORT_SCRIPT = (
    SHORT_LUA + "return short_of(KEYS[1], ARGV[1], tonumber(ARGV[2]), 3, ARGV)"
)


def _key(room_type_id: int, night: date) -> str:
    return f"inv:free:{room_type_id}:{night.isoformat()}"


def hint_prefix() -> str:
    """Return the Redis name every hint starts with (cache prefix and version included)."""
    return cache.make_key("inv:free:")


def plan_pointer(rate_plan_id: int) -> str:
    """Return the Redis name of the pointer from a rate plan to its room type."""
    return cache.make_key(f"inv:plan:{rate_plan_id}")


@functools.cache
def _short_script():
    return Script(None, SHORT_SCRIPT.encode())


def known_short(room_type_id: int, nights: Iterable[date], rooms: int) -> bool:
    """Return True when a recent hint says some night has fewer than `rooms` free."""
    try:
        hints = cache.get_many([_key(room_type_id, night) for night in nights])
    except (
        Exception
    ):  # a hint is an optimisation: a Redis outage must not stop bookings
        log.warning("sold-out hints unavailable", exc_info=True)
        return False
    return any(int(free) < rooms for free in hints.values())


def known_short_for_plan(rate_plan_id: int, nights: Iterable[date], rooms: int) -> bool:
    """Return True when a hint says the plan's room type lacks `rooms` on some night.

    One Redis round trip and no SQL: the plan's room type comes from the pointer that
    `remember_short` left. False when Redis is down or knows nothing.
    """
    try:
        found = _short_script()(
            keys=[plan_pointer(rate_plan_id)],
            args=[hint_prefix(), rooms, *(night.isoformat() for night in nights)],
            client=get_redis_connection("default"),
        )
    except (
        Exception
    ):  # a hint is an optimisation: a Redis outage must not stop bookings
        log.warning("sold-out hints unavailable", exc_info=True)
        return False
    return bool(found)


def remember_short(
    room_type_id: int,
    free_by_night: Mapping[date, int],
    *,
    rate_plan_id: int | None = None,
) -> None:
    """Remember, for a few seconds, how many rooms were free on nights found short.

    With `rate_plan_id`, also point that plan at its room type for known_short_for_plan.
    """
    if not free_by_night:
        return
    try:
        cache.set_many(
            {
                _key(room_type_id, night): max(free, 0)
                for night, free in free_by_night.items()
            },
            timeout=settings.INVENTORY_SOLD_OUT_HINT_SECONDS,
        )
        if rate_plan_id is not None:
            get_redis_connection("default").set(
                plan_pointer(rate_plan_id), room_type_id, ex=PLAN_POINTER_SECONDS
            )
    except Exception:
        log.warning("could not store sold-out hints", exc_info=True)


def forget(room_type_id: int, nights: Iterable[date]) -> None:
    """Drop the hints of nights that just had rooms released."""
    try:
        cache.delete_many([_key(room_type_id, night) for night in nights])
    except Exception:
        log.warning("could not clear sold-out hints", exc_info=True)
