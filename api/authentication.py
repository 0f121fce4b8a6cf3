"""Partners authenticate with an API key in `X-Api-Key` (or `Authorization: Api-Key …`).

The key's row comes from Redis through the front door (api/frontdoor.py), in the same
round trip as the throttle; from PostgreSQL when Redis has no copy or is down.
"""

import logging
import time
from dataclasses import dataclass

from django.db.models.functions import Now
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import Partner, PartnerAPIKey
from core import logs

from . import frontdoor
from .keyrows import LAST_USED_RESOLUTION_SECONDS, decode_key, encode_key

log = logging.getLogger(__name__)

# With Redis down each process remembers its own last touch, so that most requests
# skip the write.
_touched: dict[str, float] = {}


@dataclass(frozen=True, slots=True)
class PartnerPrincipal:
    """The caller behind a valid key; DRF's `request.user`."""

    partner: Partner
    key: PartnerAPIKey
    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self):
        return self.key.pk


def key_from_headers(request) -> str | None:
    raw = request.headers.get("X-Api-Key")
    if raw:
        return raw.strip()
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "api-key" and value.strip():
        return value.strip()
    return None


class PartnerKeyAuthentication(BaseAuthentication):
    """The key's row from Redis (or one query), then a constant-time hash check.

    Leaves the front door's answer on `request.front_door` (None when Redis is down)
    for the throttle and for the booking view.
    """

    def authenticate(self, request):
        request.front_door = None
        raw = key_from_headers(request)
        if raw is None:
            return None
        prefix, dot, _ = raw.partition(".")
        if not (dot and prefix.isalnum()):
            raise AuthenticationFailed("This API key is not valid.")
        key, door = self._admit(
            raw, prefix, self.claim_for(request), self.counts_booking(request)
        )
        if key is None or not key.is_valid(raw):
            raise AuthenticationFailed("This API key is not valid.")
        if key.has_expired:
            raise AuthenticationFailed("This API key has expired.")
        if not key.partner.is_active:
            raise AuthenticationFailed("This partner account is disabled.")
        request.front_door = door
        self._touch(key, door)
        logs.bind(partner=key.partner.slug)
        return PartnerPrincipal(partner=key.partner, key=key), key

    def authenticate_header(self, request):
        return "Api-Key"

    def counts_booking(self, request) -> bool:
        """Return whether the request creates a booking (the view says so)."""
        view = (getattr(request, "parser_context", None) or {}).get("view")
        return request.method == "POST" and getattr(
            view, "front_door_counts_bookings", False
        )

    def claim_for(self, request) -> frontdoor.Claim | None:
        """Return what the front door should claim: the view's `front_door_claim`."""
        view = (getattr(request, "parser_context", None) or {}).get("view")
        claim = getattr(view, "front_door_claim", None)
        return claim(request) if claim is not None else None

    @staticmethod
    def _admit(raw: str, prefix: str, claim, booking: bool = False):
        """Return the key with this prefix and the door's answer (None: Redis down)."""
        presented = frontdoor.key_hash(raw)
        try:
            door = frontdoor.knock(
                prefix=prefix, presented=presented, claim=claim, booking=booking
            )
            if door.status == "miss":
                key = _from_database(prefix)
                if key is None:
                    return None, None
                door = frontdoor.knock(
                    prefix=prefix,
                    presented=presented,
                    store_row=encode_key(key),
                    claim=claim,
                    booking=booking,
                )
            if door.status == "bad":
                key = decode_key(door.row)
                if not key.is_valid(raw):  # a wrong secret: the door wrote nothing
                    return None, None
                # A valid key under an older hasher: let the door trust its own hash.
                door = frontdoor.knock(
                    prefix=prefix,
                    presented=key.hashed_key,
                    claim=claim,
                    booking=booking,
                )
            return decode_key(door.row), door
        except Exception:  # Redis down: the key from PostgreSQL, correctness first
            log.warning("API front door unavailable", exc_info=True)
            return _from_database(prefix), None

    @staticmethod
    def _touch(key: PartnerAPIKey, door) -> None:
        if door is not None:
            due = door.last_use_due
        else:
            now = time.monotonic()
            last = _touched.get(key.prefix, -LAST_USED_RESOLUTION_SECONDS)
            due = now - last >= LAST_USED_RESOLUTION_SECONDS
            if due:
                _touched[key.prefix] = now
        if due:
            PartnerAPIKey.objects.filter(pk=key.pk).update(last_used_at=Now())
            key.last_used_at = timezone.now()


def _from_database(prefix: str) -> PartnerAPIKey | None:
    return (
        PartnerAPIKey.objects.select_related("partner")
        .filter(prefix=prefix, revoked=False)
        .first()
    )
