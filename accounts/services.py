"""Partner API keys: made once (the full key is returned only then), revoked for good;
a staff member's back-office language."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext

from core.errors import ErrorCode, NotFound, ValidationError

from .models import Partner, PartnerAPIKey, User

# Which scopes a kind of partner may hold: an agency books, a channel manager pushes ARI
# for its connected hotels and sees nothing else.
SCOPES_BY_KIND = {
    Partner.Kind.DISTRIBUTION: frozenset({PartnerAPIKey.Scope.BOOKING}),
    Partner.Kind.CHANNEL_MANAGER: frozenset({PartnerAPIKey.Scope.ARI}),
}


def partner_key_create(
    *,
    partner: Partner,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[PartnerAPIKey, str]:
    """Make an API key for `partner`; return it and the full key, which is never stored.

    Raises ValidationError for a scope the partner's kind may not hold.
    """
    wanted = sorted(set(scopes))
    check_scopes(partner, wanted)
    with transaction.atomic():
        return PartnerAPIKey.objects.create_key(
            partner=partner, name=name[:50], scopes=wanted, expiry_date=expires_at
        )


def check_scopes(partner: Partner, scopes: Iterable[str]) -> None:
    """Raise ValidationError unless `scopes` are some the partner's kind may hold."""
    allowed = SCOPES_BY_KIND[Partner.Kind(partner.kind)]
    if not set(scopes) or not set(scopes) <= allowed:
        raise ValidationError(
            ErrorCode.INVALID_REQUEST,
            f"A {partner.get_kind_display()} key takes the scopes: "
            f"{', '.join(sorted(allowed))}.",
            field="scopes",
        )


def partner_key_revoke(*, key_id: str) -> PartnerAPIKey:
    """Revoke a key for good, at once; revoking twice is harmless.

    Raises NotFound.
    """
    key = PartnerAPIKey.objects.filter(pk=key_id).first()
    if key is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such API key.")
    PartnerAPIKey.objects.filter(pk=key_id).update(revoked=True)
    key.refresh_from_db()
    forget_cached_keys([key.prefix])
    return key


def partner_update(*, partner: Partner) -> None:
    """Save a partner (e.g. disabled) and make its keys answer to the change at once."""
    with transaction.atomic():
        partner.save()
    forget_cached_keys(partner.api_keys.values_list("prefix", flat=True))


# The API authenticates a key from Redis for KEY_CACHE_SECONDS (api/authentication.py);
# every change to a key or its partner goes through these services, which forget it.
KEY_CACHE_SECONDS = 30


def key_cache_name(prefix: str) -> str:
    return f"api:key:{prefix}"


def forget_cached_keys(prefixes: Iterable[str]) -> None:
    names = [key_cache_name(prefix) for prefix in prefixes]
    if names:
        cache.delete_many(names)


def staff_language_set(*, user_id: int, language: str) -> str:
    """Keep `language` (a code of settings.LANGUAGES) as the user's back-office language.

    Raises ValidationError for a language the site does not offer.
    """
    offered = {code for code, _name in settings.LANGUAGES}
    if language not in offered:
        raise ValidationError(
            ErrorCode.INVALID_REQUEST, gettext("This language is not offered.")
        )
    with transaction.atomic():
        User.objects.filter(pk=user_id).update(preferred_language=language)
    return language
