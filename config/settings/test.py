"""Test settings: real PostgreSQL and Redis, tasks run in-process."""

from .base import *  # noqa: F403, BOOKING_EVENT_HANDLERS
from .base import BOOKING_EVENT_HANDLERS, CACHES, DATABASES, STORAGES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each pytest-xdist worker gets its own cache prefix so parallel tests never share keys.
CACHES["default"]["KEY_PREFIX"] = "test-" + env("PYTEST_XDIST_WORKER", default="main")
# Serve static files from the apps' folders, without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The browser tests show hotel photos from the live server.
SERVE_MEDIA = True
# Payments: tests choose their gateway. A Stripe test-mode key in the environment
# (sk_test_...) adds a run of the Stripe flows against Stripe itself.
STRIPE_LIVE_TEST_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_SECRET_KEY = ""
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
STRIPE_API_BASE = ""
STRIPE_TIMEOUT_SECONDS = 5.0
# The schemathesis run and the races must not hit the rate limit; a test lowers it.
API_THROTTLE_RATE = "100000/minute"
API_BOOKING_RATE_PER_MINUTE = 100000
# Tests deliver webhooks to a receiver they start on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_URLS = True
# Two-factor sign-in has its own tests, which turn it on.
ADMIN_REQUIRE_2FA = False
# Booking e-mails and no-show fees: on in the tests that are about them (the `emails`
# and `no_show_fees` fixtures), so other tests' outboxes and payments hold only what
# they are about.
BOOKING_EVENT_HANDLERS = [
    handler
    for handler in BOOKING_EVENT_HANDLERS
    if handler
    not in ("notifications.tasks.on_booking_event", "payments.tasks.on_booking_event")
]
# The races run more threads than a pool holds; DATABASE_POOL=1 puts the pool back.
if not env.bool("DATABASE_POOL", default=False):
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
