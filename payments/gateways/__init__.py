"""Payment gateways behind one interface: Stripe when keys are set, else the test one.

Settings are read on each call (never at import), and each process keeps one client per
configuration, so connection pools and the circuit breaker are shared across requests.
"""

import threading

from django.conf import settings
from django.utils.translation import gettext_noop

from .base import (
    CardDeclined,
    Gateway,
    GatewayError,
    GatewayUnavailable,
    Intent,
    InvalidSignature,
    RefundResult,
)
from .breaker import stripe_breaker
from .stripe_api import StripeGateway
from .testmode import TestGateway

_lock = threading.Lock()
_cache: dict[tuple, Gateway] = {}


def get_gateway(name: str | None = None) -> Gateway:
    """Return the gateway called `name`, or the configured one when `name` is None.

    Raises GatewayError when the gateway asked for is not configured: Stripe without
    STRIPE_SECRET_KEY, the test gateway with PAYMENTS_TEST_GATEWAY off (production).
    """
    key = settings.STRIPE_SECRET_KEY
    if name is None:
        name = "stripe" if key else "test"
    if name == "stripe" and not key:
        raise GatewayError(
            "Stripe is not configured (STRIPE_SECRET_KEY).", "not_configured"
        )
    if name == "test" and not settings.PAYMENTS_TEST_GATEWAY:
        raise GatewayError(
            gettext_noop("Payments are not configured on this site."), "not_configured"
        )
    config = (
        name,
        key,
        settings.STRIPE_PUBLISHABLE_KEY,
        settings.STRIPE_WEBHOOK_SECRET,
        settings.STRIPE_API_BASE,
        settings.STRIPE_TIMEOUT_SECONDS,
        settings.STRIPE_MAX_NETWORK_RETRIES,
    )
    with _lock:
        gateway = _cache.get(config)
        if gateway is None:
            gateway = _cache[config] = _build(name)
    return gateway


def _build(name: str) -> Gateway:
    if name == "test":
        return TestGateway()
    return StripeGateway(
        secret_key=settings.STRIPE_SECRET_KEY,
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
        api_base=settings.STRIPE_API_BASE,
        timeout=settings.STRIPE_TIMEOUT_SECONDS,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        breaker=stripe_breaker(),
    )


__all__ = [
    "CardDeclined",
    "Gateway",
    "GatewayError",
    "GatewayUnavailable",
    "Intent",
    "InvalidSignature",
    "RefundResult",
    "get_gateway",
]
