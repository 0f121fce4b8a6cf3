"""`Idempotency-Key` on `POST /bookings/`: the booking's own key, and a Redis marker.

The booking row is the durable record: booking_hold stores the key on the booking
(unique per partner), so a key can never make a second booking, and a replay finds
the booking by one indexed lookup. Beside it, the front door (api/frontdoor.py) sets
a marker `api:idem:<partner>:<key>` in Redis in the round trip that authenticates
the request, if none is there (SET NX, for API_IDEMPOTENCY_KEY_HOURS):

- no marker before (the common case): the key is new; the hold skips the lookup of
  an earlier booking (the unique constraint still backs it) and, when the sold-out
  hint says short, the script has already recorded the refusal in the marker: no
  SQL at all;
- `F|<fingerprint>|<started>`: a request with this key started. If its booking
  exists, it is replayed (201, same body); if not and it started less than
  API_IDEMPOTENCY_LEASE_SECONDS ago, it is still in flight: 409. Older than that, it
  died: this request takes the key over;
- `R|<fingerprint>|<status>|<body>`: the key's request was refused (sold out, bad
  fields...): the refusal is replayed;
- `G|<fingerprint>`: the key was used on another POST (the generic record,
  api/idempotency.py);
- another fingerprint (body, method or path): 422.

So "in flight" costs no second round trip: it is the marker without a booking. A
success writes nothing more to Redis; a refusal writes its answer (one round trip
on the refusal path); a retryable answer (Busy) or a 5xx deletes the marker so the
client may retry with the key.

Redis keeps nothing on disk here: markers are trusted only once Redis has been up
longer than a key lives (a marker `api:idem-epoch` records when it started). Before
that, or when Redis is down, the hold looks for an earlier booking before anything
else (one lookup, in the message that takes the lock), and with Redis down the
generic PostgreSQL record of api/idempotency.py serves instead. A refusal's replay
lives in Redis only: if Redis loses it, a retry is judged again, and still cannot
make a second booking.
"""

import functools
import json
import logging
import time
from datetime import date

from django.conf import settings
from django.urls import reverse
from django_redis import get_redis_connection
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from booking.models import Booking
from core.errors import ErrorCode, ValidationError

from .booking_serializers import BookingSerializer
from .frontdoor import Claim, Door, marker_name
from .idempotency import HEADER, fingerprint, valid_key
from .problems import PROBLEM_CONTENT_TYPE, problem
from .serialization import represent

log = logging.getLogger(__name__)

SOLD_OUT_DETAIL = "Sold out: not enough rooms left for these dates."


def claim_for(request) -> Claim | None:
    """Return what the front door should claim for a booking POST, None if nothing.

    Nothing for a request without a valid Idempotency-Key (the generic path answers
    it). Raises ParseError for a body that does not parse (DRF parses a body once:
    a later read would find it empty), which DRF answers as a 400 problem.
    """
    key = request.headers.get(HEADER, "").strip()
    if request.method != "POST" or not valid_key(key):
        return None
    data = request.data
    digest = fingerprint(request.method, request.path, data)
    plan, nights, rooms = _stay(data)
    return Claim(
        idempotency_key=key,
        fingerprint=digest,
        rate_plan_id=plan,
        nights=nights,
        rooms=rooms,
        refusal=f"R|{digest}|{_sold_out_answer(request.path)}",
    )


@functools.lru_cache(maxsize=16)
def _sold_out_answer(path: str) -> str:
    """Return "<status>|<body>" of the sold-out problem at `path` (the same each time)."""
    refusal = problem(
        ErrorCode.SOLD_OUT, status.HTTP_409_CONFLICT, SOLD_OUT_DETAIL, instance=path
    )
    return _refusal_marker("", refusal).split("|", 2)[2]


def _stay(data) -> tuple[int | None, tuple[str, ...], int]:
    """Read the plan, nights and rooms of a booking body, if they look right."""
    try:
        plan = int(data["rate_plan"])
        check_in = date.fromisoformat(data["check_in"])
        check_out = date.fromisoformat(data["check_out"])
        rooms = int(data.get("rooms", 1))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None, (), 1
    days = (check_out - check_in).days
    if not 0 < days <= settings.BOOKING_MAX_NIGHTS:
        return None, (), 1
    nights = tuple(
        date.fromordinal(check_in.toordinal() + i).isoformat() for i in range(days)
    )
    return plan, nights, rooms


def _refusal_marker(digest: str, response: Response) -> str:
    body = JSONRenderer().render(response.data).decode()
    return f"R|{digest}|{response.status_code}|{body}"


def handle(view, request, door: Door, hold, generic):
    """Answer a booking POST whose key the front door claimed (or found taken)."""
    claim = door.claim
    partner_id = request.auth.partner_id
    if door.earlier:
        kind, digest, rest = _parse(door.earlier)
        if digest != claim.fingerprint:
            raise ValidationError(
                ErrorCode.IDEMPOTENCY_MISMATCH,
                "This Idempotency-Key was already used for a different request.",
            )
        if kind == "R":
            return _replay_refusal(rest)
        if kind == "G":  # the key was first seen with Redis down: its PG record rules
            return generic(view, request)
        booking = _earlier_booking(partner_id, claim.idempotency_key)
        if booking is not None:
            return _created(booking, replayed=True)
        if time.time() - float(rest) < settings.API_IDEMPOTENCY_LEASE_SECONDS:
            return problem(
                ErrorCode.IDEMPOTENCY_IN_FLIGHT,
                409,
                "A request with this Idempotency-Key is still being processed.",
                instance=request.get_full_path(),
                retryable=True,
                headers={"Retry-After": "1"},
            )
        _set(partner_id, claim.idempotency_key, f"F|{digest}|{time.time():.3f}")
        return _run(view, request, hold, claim, trusted=False)
    if door.short and door.reliable:
        return _replay_refusal(claim.refusal.split("|", 2)[2], replayed=False)
    # Unreliable markers and a sold-out hint: the hold looks for an earlier booking
    # with the key (one indexed lookup, no lock) before it answers sold out.
    return _run(view, request, hold, claim, trusted=door.reliable, short=door.short)


def _run(view, request, hold, claim: Claim, *, trusted: bool, short: bool = False):
    partner_id = request.auth.partner_id
    try:
        response = hold(
            request,
            key_is_new=trusted,
            # The door asked the sold-out hint whenever the body named a stay.
            hint_checked=claim.rate_plan_id is not None,
            known_short=short,
        )
    except Exception as exc:
        try:
            response = view.handle_exception(exc)
        except Exception:
            _forget(partner_id, claim.idempotency_key)
            raise
    retryable = isinstance(response.data, dict) and response.data.get("retryable")
    if response.status_code >= 500 or retryable:
        _forget(partner_id, claim.idempotency_key)
    elif response.status_code >= 300:
        _set(
            partner_id,
            claim.idempotency_key,
            _refusal_marker(claim.fingerprint, response),
        )
    return response


def created(booking: Booking) -> Response:
    """Return the 201 answer of a new hold."""
    return _created(booking, replayed=False)


def _created(booking: Booking, *, replayed: bool) -> Response:
    headers = {"Location": reverse("api:booking-detail", args=[booking.reference])}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        represent(BookingSerializer, booking),
        status=status.HTTP_201_CREATED,
        headers=headers,
    )


def _earlier_booking(partner_id: int, key: str) -> Booking | None:
    return Booking.objects.filter(
        idempotency_scope=f"partner:{partner_id}", idempotency_key=key
    ).first()


def _parse(marker: str) -> tuple[str, str, str]:
    kind, _, rest = marker.partition("|")
    digest, _, rest = rest.partition("|")
    return kind, digest, rest


def _replay_refusal(rest: str, *, replayed: bool = True) -> Response:
    code, _, body = rest.partition("|")
    data = json.loads(body)
    content_type = PROBLEM_CONTENT_TYPE if "type" in data else None
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if isinstance(data, dict) and data.get("retryable"):
        headers["Retry-After"] = "1"
    return Response(data, status=int(code), headers=headers, content_type=content_type)


def _set(partner_id: int, key: str, value: str) -> None:
    try:
        get_redis_connection("default").set(
            marker_name(partner_id, key),
            value,
            ex=settings.API_IDEMPOTENCY_KEY_HOURS * 3600,
        )
    except Exception:
        log.warning("could not record an Idempotency-Key's answer", exc_info=True)


def _forget(partner_id: int, key: str) -> None:
    try:
        get_redis_connection("default").delete(marker_name(partner_id, key))
    except Exception:
        log.warning("could not release an Idempotency-Key", exc_info=True)
