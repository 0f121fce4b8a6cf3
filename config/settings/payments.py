"""Payments settings: Stripe, the breaker, reconciliation, refunds, and the CSP.

Read from the environment; base.py imports every public name.
"""

import environ
from csp.constants import NONCE, NONE, SELF

_env = environ.Env()

# Payments. With no STRIPE_SECRET_KEY the no-network test gateway serves (TEST MODE).
STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = _env("STRIPE_API_BASE", default="")  # empty: Stripe's own
STRIPE_TIMEOUT_SECONDS = _env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
STRIPE_MAX_NETWORK_RETRIES = _env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Consecutive Stripe outages that open the breaker, and how long it stays open.
PAYMENTS_BREAKER_FAIL_MAX = _env.int("PAYMENTS_BREAKER_FAIL_MAX", default=5)
PAYMENTS_BREAKER_RESET_SECONDS = _env.int("PAYMENTS_BREAKER_RESET_SECONDS", default=30)
# Reconciliation asks Stripe about payments still open after this many seconds.
PAYMENTS_RECONCILE_AFTER_SECONDS = _env.int(
    "PAYMENTS_RECONCILE_AFTER_SECONDS", default=300
)
# Content-Security-Policy (django-csp): the site and the admin run only their own scripts
# and styles, from static files (no inline script, handler or style attribute; an inline
# script would need the request's nonce). With Stripe keys, the Payment Element's origins
# as Stripe's security guide lists them for Stripe.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
STRIPE_CSP_SOURCES = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "frame-src": [
        "https://js.stripe.com",
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ],
    "connect-src": ["https://api.stripe.com"],
}
if STRIPE_PUBLISHABLE_KEY:
    for _directive, _sources in STRIPE_CSP_SOURCES.items():
        _allowed = CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive]
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] = [
            *(source for source in _allowed if source != NONE),
            *_sources,
        ]
# Without Stripe keys, take payments on the simulated test gateway (off in production).
PAYMENTS_TEST_GATEWAY = _env.bool("PAYMENTS_TEST_GATEWAY", default=True)
PAYMENTS_REFUND_MAX_ATTEMPTS = _env.int("PAYMENTS_REFUND_MAX_ATTEMPTS", default=8)
# An open intent of a booking whose hold ended this long ago is cancelled at the gateway.
PAYMENTS_ABANDON_AFTER_SECONDS = _env.int(
    "PAYMENTS_ABANDON_AFTER_SECONDS", default=3600
)
