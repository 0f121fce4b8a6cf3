"""Short-lived "sold out" hints in Redis, so a rush is told "sold out" without a lock.

A hint may only ever say "no": PostgreSQL stays the sole truth for what is sold, every
booking re-checks under lock, and every release forgets the hints of its nights.
"""

import logging
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def _key(room_type_id: int, night: date) -> str:
    return f"inv:free:{room_type_id}:{night.isoformat()}"


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


def remember_short(room_type_id: int, free_by_night: Mapping[date, int]) -> None:
    """Remember, for a few seconds, how many rooms were free on nights found short."""
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
    except Exception:
        log.warning("could not store sold-out hints", exc_info=True)


def forget(room_type_id: int, nights: Iterable[date]) -> None:
    """Drop the hints of nights that just had rooms released."""
    try:
        cache.delete_many([_key(room_type_id, night) for night in nights])
    except Exception:
        log.warning("could not clear sold-out hints", exc_info=True)
