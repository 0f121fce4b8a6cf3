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
# Two-factor sign-in has its own tests, which turn it on.
ADMIN_REQUIRE_2FA = False
