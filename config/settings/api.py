"""Partner API settings: DRF, the OpenAPI schema, throttling, idempotency, webhooks.

Read from the environment; base.py imports every public name.
"""

import environ

_env = environ.Env()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsPartner"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PartnerKeyThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Innkeep partner API",
    "DESCRIPTION": (
        "Search, book and push availability. Every error is an RFC 9457 problem "
        "document with a stable `code`. See docs/partner-guide.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "booking.models.BookingStatus",
        "WebhookEventEnum": "api.models.WebhookEvent",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Every operation takes `lang` / Accept-Language (api/language.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.language.document_language",
    ],
}
# Requests per key and window ("count/second|minute|hour"), counted in Redis.
API_THROTTLE_RATE = _env("API_THROTTLE_RATE", default="1200/minute")
# Booking POSTs per partner and minute (all its keys together), counted by the same
# script; a partner's own rate (the admin) overrides it.
API_BOOKING_RATE_PER_MINUTE = _env.int("API_BOOKING_RATE_PER_MINUTE", default=120)
# Seconds an availability summary is served from Redis; a booking never reads it.
API_AVAILABILITY_CACHE_SECONDS = _env.int("API_AVAILABILITY_CACHE_SECONDS", default=3)
API_IDEMPOTENCY_KEY_HOURS = 24
# A request still running after this many seconds no longer blocks its key (a crash).
API_IDEMPOTENCY_LEASE_SECONDS = 60
WEBHOOK_MAX_ATTEMPTS = _env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_BACKOFF_BASE_SECONDS = _env.float("WEBHOOK_BACKOFF_BASE_SECONDS", default=10)
WEBHOOK_BACKOFF_MAX_SECONDS = _env.float("WEBHOOK_BACKOFF_MAX_SECONDS", default=3600)
WEBHOOK_TIMEOUT_SECONDS = _env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
# Production accepts only https URLs on public addresses.
WEBHOOK_ALLOW_PRIVATE_URLS = _env.bool("WEBHOOK_ALLOW_PRIVATE_URLS", default=False)
