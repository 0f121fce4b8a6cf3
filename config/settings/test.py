"""Test settings: real PostgreSQL and Redis, tasks run in-process."""

from .base import *  # noqa: F403
from .base import CACHES, STORAGES, env

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
# Booking e-mails: on in the tests that are about them (booking/tests/test_emails.py), so
# other tests' outboxes hold only what they are about.
BOOKING_EVENT_HANDLERS = []
