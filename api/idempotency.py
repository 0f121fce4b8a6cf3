"""`Idempotency-Key` on every POST, after draft-ietf-httpapi-idempotency-key-header.

- first use of a key: the request runs and its response (status and body) is stored;
- the same key and the same request again: the stored response is replayed;
- the same key with another request (body, method or path): 422;
- the same key while the first request still runs: 409;
- a key is forgotten after API_IDEMPOTENCY_KEY_HOURS.

`POST /bookings/` keeps its keys on the bookings themselves (api/booking_keys.py); this
record serves the other POSTs, and that one too while Redis is down. A Redis marker per
key (`marked_elsewhere`) lets either record refuse a key the other one holds.

Keys live in PostgreSQL, next to the bookings they protect: durable, one round trip to
claim (INSERT … ON CONFLICT, whose unique index serialises concurrent claims) and one to
store. Redis here keeps nothing on disk, so a restart would forget keys while a retried
request is still in flight. A 5xx or a retryable answer (Busy) is not stored: the key is
released so that the client may retry with it.
"""

import functools
import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django_redis import get_redis_connection
from redis.commands.core import Script
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.errors import ErrorCode, ValidationError

from .frontdoor import marker_name
from .models import IdempotencyKey
from .problems import PROBLEM_CONTENT_TYPE, problem

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Location", "Retry-After")

_CLAIM_SQL = """
INSERT INTO api_idempotencykey
    (partner_id, key, fingerprint, method, path, response_headers, created_at,
     locked_until)
VALUES (%(partner)s, %(key)s, %(fingerprint)s, %(method)s, %(path)s, '{}', now(),
        now() + make_interval(secs => %(lease)s))
ON CONFLICT (partner_id, key) DO UPDATE SET
    fingerprint = EXCLUDED.fingerprint, method = EXCLUDED.method,
    path = EXCLUDED.path, status_code = NULL, response_body = NULL,
    response_headers = '{}', created_at = now(), locked_until = EXCLUDED.locked_until
WHERE api_idempotencykey.created_at < now() - make_interval(hours => %(hours)s)
   OR (api_idempotencykey.status_code IS NULL
       AND api_idempotencykey.locked_until < now()
       AND api_idempotencykey.fingerprint = EXCLUDED.fingerprint)
RETURNING id
"""


# Set the marker unless one is there; return the one that was.
_MARK_LUA = """
local old = redis.call('GET', KEYS[1])
if not old then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return old
"""


@functools.cache
def _mark_script():
    return Script(None, _MARK_LUA.encode())


def marked_elsewhere(partner_id: int, key: str, digest: str) -> bool:
    """Mark `key` as used by this request in Redis; True if another request has it.

    The booking POST keeps its keys as Redis markers beside the booking
    (api/booking_keys.py), not here: the marker tells one record from the other, so a
    key is still refused on another endpoint. Redis down: False (this record rules).
    """
    try:
        old = _mark_script()(
            keys=[marker_name(partner_id, key)],
            args=[f"G|{digest}", settings.API_IDEMPOTENCY_KEY_HOURS * 3600],
            client=get_redis_connection("default"),
        )
    except Exception:
        log.warning("Idempotency-Key markers unavailable", exc_info=True)
        return False
    if old is None:
        return False
    kind, _, rest = old.decode().partition("|")
    # Between two generic records this one judges (and forgets keys when they expire).
    return kind != "G" and rest.partition("|")[0] != digest


@dataclass(frozen=True)
class Claimed:
    record_id: int


def fingerprint(method: str, path: str, data) -> str:
    """Digest a request: method, path and the body as canonical JSON."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method}\n{path}\n{body}".encode()).hexdigest()


def claim(*, partner_id: int, key: str, digest: str, method: str, path: str):
    """Claim `key` for this request, or return the stored record that holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM_SQL,
            {
                "partner": partner_id,
                "key": key,
                "fingerprint": digest,
                "method": method,
                "path": path[:500],
                "lease": settings.API_IDEMPOTENCY_LEASE_SECONDS,
                "hours": settings.API_IDEMPOTENCY_KEY_HOURS,
            },
        )
        row = cursor.fetchone()
    if row is not None:
        return Claimed(row[0])
    return IdempotencyKey.objects.filter(partner_id=partner_id, key=key).first()


def store(record_id: int, response: Response) -> None:
    body = json.loads(JSONRenderer().render(response.data) or b"null")
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    if response.content_type == PROBLEM_CONTENT_TYPE:
        headers["Content-Type"] = PROBLEM_CONTENT_TYPE
    IdempotencyKey.objects.filter(pk=record_id).update(
        status_code=response.status_code,
        response_body=body,
        response_headers=headers,
        locked_until=None,
    )


def release(record_id: int) -> None:
    IdempotencyKey.objects.filter(pk=record_id, status_code__isnull=True).delete()


def replay(record: IdempotencyKey) -> Response:
    headers = dict(record.response_headers)
    content_type = headers.pop("Content-Type", None)
    headers["Idempotent-Replayed"] = "true"
    return Response(
        record.response_body,
        status=record.status_code,
        headers=headers,
        content_type=content_type,
    )


def valid_key(value: str | None) -> bool:
    return bool(value) and len(value) <= 255 and value.isascii() and value.isprintable()


def idempotent(handler):
    """Wrap an APIView's post(): claim the key, run once, store and replay the answer."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return problem(
                ErrorCode.IDEMPOTENCY_KEY_MISSING,
                400,
                f"Send an {HEADER} header (e.g. a UUID) with every POST.",
                instance=request.get_full_path(),
            )
        if not valid_key(key):
            return problem(
                ErrorCode.INVALID_REQUEST,
                400,
                f"The {HEADER} must be 1 to 255 printable ASCII characters.",
                instance=request.get_full_path(),
                errors=[{"field": HEADER, "message": "invalid", "code": "invalid"}],
            )
        partner_id = request.auth.partner_id
        digest = fingerprint(request.method, request.path, request.data)
        if marked_elsewhere(partner_id, key, digest):
            raise ValidationError(
                ErrorCode.IDEMPOTENCY_MISMATCH,
                "This Idempotency-Key was already used for a different request.",
            )
        found = claim(
            partner_id=partner_id,
            key=key,
            digest=digest,
            method=request.method,
            path=request.path,
        )
        if found is None:  # the holder finished and released it in between: retry
            return problem(
                ErrorCode.IDEMPOTENCY_IN_FLIGHT,
                409,
                "A request with this Idempotency-Key just ended; retry it.",
                retryable=True,
                headers={"Retry-After": "1"},
            )
        if isinstance(found, IdempotencyKey):
            if found.fingerprint != digest:
                raise ValidationError(
                    ErrorCode.IDEMPOTENCY_MISMATCH,
                    "This Idempotency-Key was already used for a different request.",
                )
            if found.status_code is None:
                return problem(
                    ErrorCode.IDEMPOTENCY_IN_FLIGHT,
                    409,
                    "A request with this Idempotency-Key is still being processed.",
                    instance=request.get_full_path(),
                    retryable=True,
                    headers={"Retry-After": "1"},
                )
            return replay(found)
        try:
            response = handler(view, request, *args, **kwargs)
        except Exception as exc:
            try:
                response = view.handle_exception(exc)
            except Exception:
                release(found.record_id)
                raise
        retryable = isinstance(response.data, dict) and response.data.get("retryable")
        if response.status_code >= 500 or retryable:
            release(found.record_id)
        else:
            store(found.record_id, response)
        return response

    return wrapper
