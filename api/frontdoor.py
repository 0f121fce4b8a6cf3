"""The API's front door: one Redis round trip per request, before any SQL.

One Lua script reads the key's cached row, checks the presented key's hash against
it, counts the request in its throttle window, says whether its last use is due to
be written (once a minute) and, for `POST /bookings/`, counts it in its partner's
booking rate (a minute's window; over it, nothing is claimed), claims the
Idempotency-Key's marker and asks the sold-out hint. Python checks the key again (constant time,
expiry, partner) from the row the script returned; the script only gates what it
writes on the hash, so a wrong secret neither burns a partner's quota nor touches
its keys. Redis being down makes `knock` raise: the callers fall back to PostgreSQL
(keys), to no limit (the throttle fails open) and to the PostgreSQL idempotency
record (api/idempotency.py).

The script builds some names from what it reads (the partner's marker, the hint of
the plan's room type), so it suits one Redis server, not a cluster.
"""

import functools
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection
from redis.commands.core import Script

from accounts.services import KEY_CACHE_SECONDS, key_cache_name
from inventory import hints

from .keyrows import LAST_USED_RESOLUTION_SECONDS

_LUA = (
    hints.SHORT_LUA
    + """
local row = redis.call('GET', KEYS[1])
if not row and ARGV[8] ~= '' then
  row = ARGV[8]
  redis.call('SET', KEYS[1], row, 'EX', ARGV[9])
end
if not row then return {'miss', '', 0, 0, '', 0, 0, 0, 0} end
local key = cjson.decode(row)
if ARGV[1] ~= key.hash then return {'bad', row, 0, 0, '', 0, 0, 0, 0} end
local count = redis.call('INCR', KEYS[2])
if count == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
local due = redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[3]) and 1 or 0
-- A booking POST counts in its partner's own booking rate (all its keys together):
-- the partner's bookings_per_minute, else the default.
local bookings, booking_limit = 0, 0
if ARGV[15] ~= '' and count <= tonumber(ARGV[10]) then
  booking_limit = tonumber(key.partner.bookings_per_minute) or tonumber(ARGV[16])
  local name = ARGV[15] .. key.partner_id
  bookings = redis.call('INCR', name)
  if bookings == 1 then redis.call('EXPIRE', name, 61) end
  if bookings > booking_limit then
    return {'ok', row, count, due, '', 0, 0, bookings, booking_limit}
  end
end
if ARGV[4] == '' or count > tonumber(ARGV[10]) then
  return {'ok', row, count, due, '', 0, 0, bookings, booking_limit}
end
local scoped = false
for _, scope in ipairs(key.scopes) do
  if scope == ARGV[11] then scoped = true end
end
if not scoped then return {'ok', row, count, due, '', 0, 0, bookings, booking_limit} end
local now = tonumber(redis.call('TIME')[1])
local epoch = redis.call('GET', KEYS[4])
if not epoch then
  redis.call('SET', KEYS[4], now)
  epoch = now
end
local reliable = (now - tonumber(epoch) >= tonumber(ARGV[5])) and 1 or 0
local marker = ARGV[12] .. key.partner_id .. ':' .. ARGV[13]
local old = redis.call('GET', marker)
if old then return {'ok', row, count, due, old, 0, reliable, bookings, booking_limit} end
local short = 0
if ARGV[7] ~= '' then
  short = short_of(KEYS[5], ARGV[6], tonumber(ARGV[7]), 17, ARGV)
end
local value = ARGV[4]
if short == 1 and reliable == 1 then value = ARGV[14] end
redis.call('SET', marker, value, 'EX', ARGV[5])
return {'ok', row, count, due, '', short, reliable, bookings, booking_limit}
"""
)


@dataclass(frozen=True, slots=True)
class Claim:
    """What a booking request asks the door to claim and check."""

    idempotency_key: str
    fingerprint: str
    rate_plan_id: int | None = None
    nights: tuple[str, ...] = ()
    rooms: int = 1
    refusal: str = ""  # the marker's value if the hint says sold out


@dataclass(frozen=True, slots=True)
class Door:
    """What the script answered."""

    status: str  # ok, miss (no cached row), bad (hash differs)
    row: str
    count: int
    limit: int  # API_THROTTLE_RATE's requests per window, when the count was taken
    window_left: float  # seconds until the counted window ends
    last_use_due: bool
    claim: Claim | None
    earlier: str  # the marker a former request left ("" when this one claimed it)
    short: bool  # the hint said sold out (the marker records the refusal if reliable)
    reliable: bool  # Redis has been up longer than a key lives: markers can be trusted
    bookings: int = 0  # the partner's booking POSTs this minute (0: not counted)
    booking_limit: int = 0  # its booking rate a minute, when they were counted
    booking_window_left: float = 0.0  # seconds until that minute ends


def key_hash(raw: str) -> str:
    """Return the hash djangorestframework-api-key stores for `raw` (SHA-512)."""
    return "sha512$$" + hashlib.sha512(raw.encode()).hexdigest()


def throttle_window() -> tuple[int, int, int, float]:
    """Return (limit, period, window, now) of API_THROTTLE_RATE at this moment."""
    count, _, unit = settings.API_THROTTLE_RATE.partition("/")
    period = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[:1]]
    now = time.time()
    return int(count), period, int(now // period), now


def marker_prefix() -> str:
    return cache.make_key("api:idem:")


def marker_name(partner_id: int, idempotency_key: str) -> str:
    """Return the Redis name of a partner's Idempotency-Key marker."""
    return f"{marker_prefix()}{partner_id}:{idempotency_key}"


def epoch_name() -> str:
    return cache.make_key("api:idem-epoch")


BOOKING_PERIOD = 60  # the booking rate is per minute


def booking_rate_prefix(window: int) -> str:
    """Return the Redis name of a minute's booking counters, less the partner's id."""
    return cache.make_key(f"api:booking-rate:{window}:")


@functools.cache
def _script():
    return Script(None, _LUA.encode())  # bound to no client: each call names its own


def knock(
    *,
    prefix: str,
    presented: str,
    store_row: str = "",
    claim: Claim | None = None,
    booking: bool = False,
) -> Door:
    """Run the front door's script for the key `prefix`; raise when Redis is down.

    `booking`: the request creates a booking, so it counts in its partner's booking
    rate too (API_BOOKING_RATE_PER_MINUTE, or the partner's own).
    """
    limit, period, window, now = throttle_window()
    booking_window = int(now // BOOKING_PERIOD)
    args = [
        presented,
        period + 1,
        LAST_USED_RESOLUTION_SECONDS,
        f"F|{claim.fingerprint}|{time.time():.3f}" if claim else "",
        settings.API_IDEMPOTENCY_KEY_HOURS * 3600,
        hints.hint_prefix(),
        claim.rooms if claim and claim.rate_plan_id else "",
        store_row,
        KEY_CACHE_SECONDS,
        limit,
        "booking",
        marker_prefix(),
        claim.idempotency_key if claim else "",
        claim.refusal if claim else "",
        booking_rate_prefix(booking_window) if booking else "",
        settings.API_BOOKING_RATE_PER_MINUTE,
        *(claim.nights if claim else ()),
    ]
    keys = [
        cache.make_key(key_cache_name(prefix)),
        cache.make_key(f"api:throttle:{prefix}:{period}:{window}"),
        cache.make_key(f"api:key-used:{prefix}"),
        epoch_name(),
        hints.plan_pointer(claim.rate_plan_id) if claim and claim.rate_plan_id else "",
    ]
    status, row, count, due, earlier, short, reliable, bookings, booking_limit = (
        _script()(keys=keys, args=args, client=get_redis_connection("default"))
    )
    text = row.decode() if isinstance(row, bytes) else row
    old = earlier.decode() if isinstance(earlier, bytes) else earlier
    return Door(
        status=status.decode() if isinstance(status, bytes) else status,
        row=text,
        count=int(count),
        limit=limit,
        window_left=(window + 1) * period - now,
        last_use_due=bool(due),
        claim=claim,
        earlier=old,
        short=bool(short),
        reliable=bool(reliable),
        bookings=int(bookings),
        booking_limit=int(booking_limit),
        booking_window_left=(booking_window + 1) * BOOKING_PERIOD - now,
    )
