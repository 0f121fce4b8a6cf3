"""Partners authenticate with an API key in `X-Api-Key` (or `Authorization: Api-Key …`)."""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.functions import Now
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import Partner, PartnerAPIKey
from accounts.services import KEY_CACHE_SECONDS, key_cache_name

log = logging.getLogger(__name__)

# last_used_at is written at most once a minute per key: a rush must not write per read.
# Each process also remembers its own last touch, so most requests skip Redis as well.
LAST_USED_RESOLUTION_SECONDS = 60
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
    """One query: the key by its prefix, with its partner; then a constant-time hash check."""

    def authenticate(self, request):
        raw = key_from_headers(request)
        if raw is None:
            return None
        prefix, dot, _ = raw.partition(".")
        key = self._load(prefix) if dot and prefix.isalnum() else None
        if key is None or not key.is_valid(raw):
            raise AuthenticationFailed("This API key is not valid.")
        if key.has_expired:
            raise AuthenticationFailed("This API key has expired.")
        if not key.partner.is_active:
            raise AuthenticationFailed("This partner account is disabled.")
        self._touch(key)
        return PartnerPrincipal(partner=key.partner, key=key), key

    def authenticate_header(self, request):
        return "Api-Key"

    @staticmethod
    def _load(prefix: str) -> PartnerAPIKey | None:
        """Return the usable key with this prefix and its partner, from Redis if there.

        Only the prefix and hash are cached (never the key); the hash is checked on
        every request. Revoking a key or changing its partner forgets the entry.
        """
        name = key_cache_name(prefix)
        try:
            key = cache.get(name)
        except Exception:
            log.warning("key cache unavailable", exc_info=True)
            key = None
        if key is not None:
            return key
        key = (
            PartnerAPIKey.objects.select_related("partner")
            .filter(prefix=prefix, revoked=False)
            .first()
        )
        if key is not None:
            try:
                cache.set(name, key, KEY_CACHE_SECONDS)
            except Exception:
                log.warning("key cache unavailable", exc_info=True)
        return key

    @staticmethod
    def _touch(key: PartnerAPIKey) -> None:
        now = time.monotonic()
        if now - _touched.get(key.prefix, -LAST_USED_RESOLUTION_SECONDS) < (
            LAST_USED_RESOLUTION_SECONDS
        ):
            return
        _touched[key.prefix] = now
        try:
            due = cache.add(
                f"api:key-used:{key.prefix}", 1, LAST_USED_RESOLUTION_SECONDS
            )
        except Exception:  # Redis down: fall back to writing, correctness first
            log.warning("cannot rate-limit last-used writes", exc_info=True)
            due = True
        if due:
            PartnerAPIKey.objects.filter(pk=key.pk).update(last_used_at=Now())
            key.last_used_at = timezone.now()
