"""Production settings: everything secret or host-specific comes from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A production site without Stripe keys refuses payments rather than faking them.
PAYMENTS_TEST_GATEWAY = env.bool("PAYMENTS_TEST_GATEWAY", default=False)
# Staff must sign in to the admin with a TOTP code as well as a password.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=True)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
DEV_INBOX = False  # never /dev/inbox/ in production
# JSON log lines; /metrics needs METRICS_TOKEN or METRICS_ALLOWED_NETWORKS.
LOGGING["formatters"]["structured"]["json"] = env.bool("LOG_JSON", default=True)  # noqa: F405
METRICS_REQUIRE_AUTH = env.bool("METRICS_REQUIRE_AUTH", default=True)
