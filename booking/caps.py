"""Hold caps per actor (invariant 11): nobody holds more than their share at once.

An actor is whoever a hold is counted against: a partner (live holds and held
room-nights, its own caps or the settings' defaults), a signed-in account, a site
session, a client address (live holds). Each has a row in `HoldTally`, kept by the
database in the hold's own transaction:

- the hold adds itself to its actors' rows in the statement that takes its nights
  (`tally_guard`, one more CTE of it: no round trip), and only where the row stays
  within its caps. The row's lock is the last one the hold takes and is held until
  COMMIT, so two holds of one actor count one after the other: a race cannot pass a
  cap. Fewer rows than actors means a cap was reached: the transaction rolls back.
- the booking's trigger `hold_tally_release` takes it out at COMMIT of whatever ends
  the hold (confirm, cancel, expiry, the sweep, a payment) or changes its room-nights.

An actor without caps (a partner with `unlimited_holds`) has no row and pays nothing.
A hold made while its actor had no caps is not in a tally, so caps set later count
only the holds made since. Session keys and addresses are kept as keyed digests: no
credential or address is stored for it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from core.errors import ErrorCode, LimitReached

_NO_CAP = 2_147_483_647  # int4's largest: "no cap" inside the statement


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who holds rooms on the site without a partner: their session and address."""

    session_key: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Cap:
    """One actor's caps: at most `max_holds` live holds, `max_room_nights` held."""

    actor: str
    kind: str  # partner, account, session, address
    max_holds: int | None
    max_room_nights: int | None = None


def _digest(kind: str, value: str) -> str:
    return salted_hmac(f"innkeep.booking.caps.{kind}", value).hexdigest()[:32]


def hold_caps(*, partner=None, user=None, visitor: Visitor | None = None) -> list[Cap]:
    """Return the caps a new hold by these actors must stay within (sorted by actor).

    A partner's caps are its own, else the defaults; a signed-in account replaces the
    session as the site's actor; the client address counts too.
    """
    caps = []
    if partner is not None and not partner.unlimited_holds:
        caps.append(
            Cap(
                f"partner:{partner.pk}",
                "partner",
                partner.max_live_holds or settings.BOOKING_PARTNER_MAX_HOLDS,
                partner.max_held_room_nights
                or settings.BOOKING_PARTNER_MAX_ROOM_NIGHTS,
            )
        )
    if user is not None and user.is_authenticated:
        caps.append(
            Cap(f"account:{user.pk}", "account", settings.BOOKING_ACCOUNT_MAX_HOLDS)
        )
    elif visitor is not None and visitor.session_key:
        caps.append(
            Cap(
                f"session:{_digest('session', visitor.session_key)}",
                "session",
                settings.BOOKING_SESSION_MAX_HOLDS,
            )
        )
    if visitor is not None and visitor.address:
        caps.append(
            Cap(
                f"address:{_digest('address', visitor.address)}",
                "address",
                settings.BOOKING_ADDRESS_MAX_HOLDS,
            )
        )
    return sorted(
        (c for c in caps if c.max_holds is not None or c.max_room_nights is not None),
        key=lambda c: c.actor,
    )


def check_size(caps: Sequence[Cap], room_nights: int) -> None:
    """Raise LimitReached when one hold alone is above an actor's room-night cap."""
    for cap in caps:
        if cap.max_room_nights is not None and room_nights > cap.max_room_nights:
            raise LimitReached(
                ErrorCode.HOLD_LIMIT,
                f"One hold may take at most {cap.max_room_nights} room-nights "
                f"(rooms × nights); this one asks for {room_nights}.",
                actor=cap.kind,
                max_room_nights=cap.max_room_nights,
                room_nights=room_nights,
                retry_after=0,
            )


# One row per actor in the actor's order (the order every tally lock is taken in):
# a new row starts at this hold, an existing one grows only within its caps.
_TALLY_SQL = f"""
    INSERT INTO booking_holdtally AS t
        (actor, holds, room_nights, max_holds, max_room_nights)
    SELECT c.actor, 1, %s, c.max_holds, c.max_room_nights
    FROM unnest(%s::varchar[], %s::int[], %s::int[])
        AS c(actor, max_holds, max_room_nights)
    ORDER BY c.actor
    ON CONFLICT (actor) DO UPDATE SET
        holds = t.holds + 1,
        room_nights = t.room_nights + EXCLUDED.room_nights,
        max_holds = EXCLUDED.max_holds,
        max_room_nights = EXCLUDED.max_room_nights
    WHERE t.holds < coalesce(EXCLUDED.max_holds, {_NO_CAP})
      AND t.room_nights + EXCLUDED.room_nights
          <= coalesce(EXCLUDED.max_room_nights, {_NO_CAP})
    RETURNING 1
"""  # noqa: S608 (a constant)


def tally_guard(caps: Sequence[Cap], room_nights: int) -> tuple[str, list]:
    """Return (sql, params) that add a hold of `room_nights` to its actors' tallies.

    For `inventory.locking.take_and_insert(guard=...)`: it returns one row per tally
    that took the hold; one missing means that actor's cap is reached.
    """
    return _TALLY_SQL, [
        room_nights,
        [cap.actor for cap in caps],
        [cap.max_holds for cap in caps],
        [cap.max_room_nights for cap in caps],
    ]


_STATE_SQL = """
SELECT t.actor, t.holds, t.room_nights,
       (SELECT min(b.held_until) FROM booking_booking b
        WHERE b.status = 'held' AND b.hold_actors @> ARRAY[t.actor]::varchar[]),
       now()
FROM booking_holdtally t WHERE t.actor = ANY(%s::varchar[])
"""


def limit_error(caps: Sequence[Cap], room_nights: int) -> LimitReached:
    """Return the refusal for a hold that found a cap reached: which, and until when.

    Reads the tallies again (outside the failed transaction): the refusal path only.
    """
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL, [[cap.actor for cap in caps]])
        rows = {actor: rest for actor, *rest in cursor.fetchall()}
    # The refusal names the most personal actor that is full: your own holds first.
    for cap in sorted(caps, key=lambda c: _KINDS.index(c.kind)):
        holds, held, oldest, now = rows.get(cap.actor, (0, 0, None, None))
        full_holds = cap.max_holds is not None and holds >= cap.max_holds
        full_nights = (
            cap.max_room_nights is not None and held + room_nights > cap.max_room_nights
        )
        if full_holds or full_nights:
            break
    else:  # a hold ended meanwhile: the first actor's figures still say why
        cap = caps[0]
        holds, held, oldest, now = rows.get(cap.actor, (0, 0, None, None))
        full_holds = True
    wait = max(1, math.ceil((oldest - now).total_seconds())) if oldest else 1
    params = {
        "actor": cap.kind,
        "live_holds": holds,
        "max_holds": cap.max_holds,
        "held_room_nights": held,
        "max_room_nights": cap.max_room_nights,
        "retry_after": wait,
    }
    if full_holds:
        message = (
            f"{_WHO[cap.kind]} {holds} live hold(s), the most allowed at once "
            f"({cap.max_holds}). Confirm or cancel a hold, or retry when the oldest "
            f"one ends (in {wait} s)."
        )
    else:
        message = (
            f"{_WHO[cap.kind]} {held} room-night(s) on hold; this one would pass the "
            f"limit of {cap.max_room_nights}. Confirm or cancel a hold, or retry when "
            f"the oldest one ends (in {wait} s)."
        )
    return LimitReached(ErrorCode.HOLD_LIMIT, message, **params)


_KINDS = ("partner", "account", "session", "address")
_WHO = {
    "partner": "This partner already has",
    "account": "This account already has",
    "session": "This browser already has",
    "address": "This address already has",
}

_GROWTH_SQL = """
SELECT actor, room_nights, max_room_nights FROM booking_holdtally
WHERE actor = ANY(%s::varchar[]) ORDER BY actor FOR UPDATE
"""


def check_growth(hold_actors: Sequence[str], extra_room_nights: int) -> None:
    """Raise LimitReached if a held booking may not grow by `extra_room_nights`.

    For a change of a live hold: locks its tallies (after its nights, as a hold
    does) and checks them against their caps; the booking's trigger then counts the
    change at COMMIT.
    """
    if extra_room_nights <= 0 or not hold_actors:
        return
    with connection.cursor() as cursor:
        cursor.execute(_GROWTH_SQL, [list(hold_actors)])
        rows = cursor.fetchall()
    for actor, held, cap in rows:
        if cap is not None and held + extra_room_nights > cap:
            kind = actor.partition(":")[0]
            raise LimitReached(
                ErrorCode.HOLD_LIMIT,
                f"{_WHO.get(kind, 'This actor already has')} {held} room-night(s) on "
                f"hold; this change would pass the limit of {cap}.",
                actor=kind,
                held_room_nights=held,
                max_room_nights=cap,
                retry_after=0,
            )
