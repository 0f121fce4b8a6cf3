"""Settings shared by every environment, read from the environment (django-environ)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# `make run` / `make test` start embedded PostgreSQL and Redis when DATABASE_URL and
# REDIS_URL are unset and write their URLs here; variables already set always win.
SERVICES_ENV = BASE_DIR / ".data" / "services.env"
if SERVICES_ENV.exists():
    env.read_env(str(SERVICES_ENV))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    # Hotel content in every language of LANGUAGES, as columns of the same tables
    # (hotels/translation.py, inventory/translation.py); before the admin, which it patches.
    "modeltranslation",
    # The admin with every page limited to the user's hotels (backoffice/admin_site.py).
    "backoffice.admin_site.InnkeepAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "core",
    "accounts",
    "hotels",
    "inventory",
    "booking",
    "payments",
    "reviews",
    # Demo data (seed_demo): imports the domain apps above, none of them imports it.
    "demo",
    # Read models over the domain apps, then the consumers of booking events.
    "search",
    "notifications",
    # Guests' data: export, erasure and retention (GDPR), over the domain apps.
    "privacy",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every answer (CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    # Outermost but security: every answer under /api/ becomes a problem document.
    "api.middleware.ApiProblemMiddleware",
    # A NUL byte in a path or query is bad input, answered before any lookup.
    "core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # API paths only (the API's own chain has it too): `lang` or Accept-Language.
    "api.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The back office in the language a staff member saved (accounts/middleware.py).
    "accounts.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AdminHistoryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Turns django-ratelimit's Ratelimited into RATELIMIT_VIEW's friendly 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]
# The partner API's chain (config/routing.py): it authenticates each request by its key,
# so the site's sessions, CSRF, messages, OTP, allauth, axes and ratelimit are left out.
API_URL_PREFIX = "/api/"
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.ApiProblemMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.ApiCSPMiddleware",
    # Hotel content in the language of `lang` or Accept-Language.
    "api.language.ApiLanguageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "storefront.context_processors.payments_mode",
                # {{ CSP_NONCE }} for an inline <script nonce="...">, should one be needed.
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/innkeep"
    )
}
# Django's PostgreSQL backend, with a pool check that sends nothing (core/postgres/base.py).
DATABASES["default"]["ENGINE"] = "core.postgres"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's psycopg pool caps each process's connections: a few per core serve best
# (64 clients on one hot row were 1.5-2x slower than 8). A request waits at most
# DATABASE_POOL_TIMEOUT seconds for a connection, then gets a retryable 503 (the API's
# `busy` problem), never a hang. The pool needs CONN_MAX_AGE = 0. CONN_HEALTH_CHECKS
# makes the pool check a connection before lending it: after a PostgreSQL restart its
# idle connections are all dead, and unchecked, each would fail one request before the
# pool noticed (config/tests/test_postgres_restart.py). The check polls the socket
# (core.postgres), where psycopg_pool's own sends an empty query: one round trip less.
DATABASE_POOL = env.bool("DATABASE_POOL", default=True)
if DATABASE_POOL:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5.0),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Services own their transactions (STYLE.md): a durable atomic block cannot nest in one.
DATABASES["default"]["ATOMIC_REQUESTS"] = False

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="innkeep"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
            # Redis holds only hints, caches and counters: an outage degrades (each
            # operation misses, logged), it never turns a booking into an error.
            # Sessions (cached_db) then read from PostgreSQL, so nobody is logged out.
            "IGNORE_EXCEPTIONS": True,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# django-ratelimit: a limit that cannot be counted lets the request through.
RATELIMIT_FAIL_OPEN = True
# ... and counts per client address as the trusted proxies report it.
RATELIMIT_IP_META_KEY = "core.clientaddr.ratelimit_address"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins of a username/address locked out after failed attempts.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # A hotel membership's role grants its group's permissions (hotels/scoping.py).
    "hotels.backends.HotelRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff security. The admin asks staff for a TOTP code (django-otp) when
# ADMIN_REQUIRE_2FA is on (production default); backoffice/admin_site.py walks a user without
# a device through enrolment. django-axes locks a username on one address out after
# AXES_FAILURE_LIMIT failed logins, for AXES_COOLOFF_TIME hours.
ADMIN_URL_PREFIX = "/admin/"
# Audit history (django-pghistory): each change stamped when it happened, not when its
# transaction began, so changes within one transaction keep their order.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Innkeep"
# The admin never shows a device's key or QR code (its config and qrcode pages are a
# 403): a staff member's key is shown once, to them, at enrolment (/admin/2fa/).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Admin sign-in attempts per address, whatever the username (password spraying).
RATELIMIT_ADMIN_LOGIN = env("RATELIMIT_ADMIN_LOGIN", default="20/10m")
# A staff member without a device first types a one-time enrolment code, issued by an
# owner or a superuser (accounts/enrolment.py), valid this many hours; tries of a code
# are limited per user and per address.
STAFF_ENROLMENT_CODE_HOURS = env.int("STAFF_ENROLMENT_CODE_HOURS", default=72)
RATELIMIT_ADMIN_ENROLMENT = env("RATELIMIT_ADMIN_ENROLMENT", default="10/h")
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Hotel content (django-modeltranslation): English is the default and the fallback of
# every other language; a missing translation shows the English text.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hant", "ko")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Hotel(name=...) fills the English column too, whatever language is active.
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
# Hotel photos staff upload (hotels/photos.py): bytes and pixels, before re-encoding.
HOTEL_PHOTO_MAX_BYTES = env.int("HOTEL_PHOTO_MAX_BYTES", default=10_000_000)
HOTEL_PHOTO_MAX_PIXELS = env.int("HOTEL_PHOTO_MAX_PIXELS", default=40_000_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: Redis is the broker by default so a fresh machine needs nothing else.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a killed worker had taken (acks_late: not yet acknowledged) goes back to the
# queue after the visibility timeout; longer than any countdown queued (the webhook
# backoff's 1 h), or Redis would hand a waiting ETA task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200)
}
# A worker that loses the broker cancels what it runs, and the message is redelivered,
# rather than finishing a task whose acknowledgement can no longer be sent.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "expire-overdue-holds": {
        "task": "booking.tasks.expire_overdue_holds",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "reconcile-payments": {
        "task": "payments.tasks.reconcile_payments",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The relay process publishes the outbox; this pass only takes rows it left for
    # a minute (the relay is down), so it never races the relay for fresh ones.
    "relay-outbox": {
        "task": "core.tasks.relay_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "purge-outbox": {
        "task": "core.tasks.purge_outbox",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # check_inventory's comparisons and the channel drift check (docs/operations.md).
    "check-consistency": {
        "task": "booking.tasks.check_consistency",
        "schedule": env.float("CONSISTENCY_CHECK_SECONDS", default=900.0),
        "options": {"expires": 600},
    },
}

# Booking engine knobs.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
BOOKING_HOLD_MAX_EXTENSIONS = env.int("BOOKING_HOLD_MAX_EXTENSIONS", default=2)
BOOKING_MAX_NIGHTS = env.int("BOOKING_MAX_NIGHTS", default=30)
BOOKING_MAX_ROOMS = env.int("BOOKING_MAX_ROOMS", default=9)
BOOKING_MAX_DAYS_AHEAD = env.int("BOOKING_MAX_DAYS_AHEAD", default=500)
INVENTORY_LOCK_TIMEOUT_MS = env.int("INVENTORY_LOCK_TIMEOUT_MS", default=3000)


def _limit(name: str, default: int) -> int | None:
    """Read a cap from the environment: a whole number, or empty for no limit."""
    value = env.str(name, default=str(default)).strip()
    return int(value) if value else None


# Hold caps (invariant 11, booking/caps.py): live holds and held room-nights at once,
# counted in the hold's own transaction. A partner's own caps (the admin) override the
# partner defaults; an empty variable means no limit.
BOOKING_PARTNER_MAX_HOLDS = _limit("BOOKING_PARTNER_MAX_HOLDS", 50)
BOOKING_PARTNER_MAX_ROOM_NIGHTS = _limit("BOOKING_PARTNER_MAX_ROOM_NIGHTS", 500)
BOOKING_ACCOUNT_MAX_HOLDS = _limit("BOOKING_ACCOUNT_MAX_HOLDS", 3)
BOOKING_SESSION_MAX_HOLDS = _limit("BOOKING_SESSION_MAX_HOLDS", 3)
# Per client address (core/clientaddr.py): raise it where many guests share one
# address (a carrier's NAT), never leave it to a spoofable header.
BOOKING_ADDRESS_MAX_HOLDS = _limit("BOOKING_ADDRESS_MAX_HOLDS", 3)
# Proxies in front that append the client's address to X-Forwarded-For: 0 (gunicorn
# faces the clients), 1 (nginx of config/nginx), 2 (a load balancer, then nginx).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Seconds a "sold out" hint for a night lives in Redis; PostgreSQL stays the truth.
# Every release forgets its nights' hints at once, so this only bounds how long a
# release that forgot would go unseen; each expiry costs a sold-out room type one
# answer under lock.
INVENTORY_SOLD_OUT_HINT_SECONDS = env.int("INVENTORY_SOLD_OUT_HINT_SECONDS", default=10)
# Called in a worker after each booking event commits (booking/events.py). The guest's
# e-mails hang here, and the no-show fee (a no-show's kept card is charged);
# BOOKING_EVENT_HANDLERS= (empty) turns them off (e.g. for bench/).
BOOKING_EVENT_HANDLERS: list[str] = env.list(
    "BOOKING_EVENT_HANDLERS",
    default=["notifications.tasks.on_booking_event", "payments.tasks.on_booking_event"],
)
# Called as handler(booking_id, event, data) for payment events (payments.outgoing): the
# late-payment refund e-mail hangs here.
PAYMENT_EVENT_HANDLERS: list[str] = env.list(
    "PAYMENT_EVENT_HANDLERS", default=["notifications.tasks.on_payment_event"]
)
# The transactional outbox (core/outbox.py): events are rows of their transaction; the
# relay (`manage.py relay_outbox`) publishes each as its topic's task, in batches.
OUTBOX_TASKS = {
    "booking": "booking.tasks.dispatch_booking_event",
    "payment": "payments.tasks.dispatch_payment_event",
}
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=200)
# Events per broker message (core.outbox.dispatch_batch): one message and one task run
# for that many events.
OUTBOX_MESSAGE_EVENTS = env.int("OUTBOX_MESSAGE_EVENTS", default=50)
# The relay's sleep when it found nothing to publish, and its longest wait while the
# broker is down (doubling from the sleep).
OUTBOX_RELAY_INTERVAL_SECONDS = env.float("OUTBOX_RELAY_INTERVAL_SECONDS", default=0.2)
OUTBOX_RELAY_MAX_WAIT_SECONDS = env.float("OUTBOX_RELAY_MAX_WAIT_SECONDS", default=30)
# A row that fails on its own (not a broker outage) waits 1, 2, 4 ... up to this.
OUTBOX_BACKOFF_MAX_SECONDS = env.int("OUTBOX_BACKOFF_MAX_SECONDS", default=300)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)

# Guest privacy (privacy/, docs/privacy.md): a stay's guest data is anonymised this many
# years after check-out (accounting keeps the bookings and payments themselves). Each
# handler, called as handler(references=[...], needles=[...]) inside an erasure's
# transaction, scrubs the copies an upper app keeps of those bookings.
GDPR_RETENTION_YEARS = env.int("GDPR_RETENTION_YEARS", default=7)
# Guest accounts unused this long, with no stay to come, are warned, then deleted
# GDPR_DORMANT_NOTICE_DAYS later unless the guest signs in (privacy/dormancy.py).
GDPR_DORMANT_ACCOUNT_YEARS = env.int("GDPR_DORMANT_ACCOUNT_YEARS", default=3)
GDPR_DORMANT_NOTICE_DAYS = env.int("GDPR_DORMANT_NOTICE_DAYS", default=30)
PRIVACY_ERASURE_HANDLERS: list[str] = ["api.privacy.forget_bookings"]
CELERY_BEAT_SCHEDULE["apply-retention"] = {
    "task": "privacy.tasks.apply_retention",
    "schedule": 24 * 3600.0,
    "options": {"expires": 23 * 3600},
}

from .maps import *  # noqa: F403, E402 (the map tiles, after the CSP it extends)
from .payments import *  # noqa: F403, E402 (a settings section of its own)

# Structured logs (core/logs.py): every line through structlog's formatter, with the
# request id, booking, partner and hotel bound where known, and secrets redacted.
# LOG_JSON=1 (production's default) writes JSON lines; else readable lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "core.logs.formatter",
            "json": env.bool("LOG_JSON", default=False),
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# The booking site -----------------------------------------------------------------------

# Accounts (django-allauth): guests sign in by e-mail, which they must verify first.
# allauth's own rate limits (Redis, through the cache) guard sign-in, sign-up and resets.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": env("RATELIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATELIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("RATELIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": env("RATELIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "confirm_email": "1/3m/key",
}
LOGIN_REDIRECT_URL = "booking:mine"
ACCOUNT_LOGOUT_REDIRECT_URL = "hotels:home"
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Innkeep <bookings@innkeep.test>"
)

# django-ratelimit guards the booking lookup and search (allauth covers the sign-in).
RATELIMIT_VIEW = "core.views.rate_limited"
RATELIMIT_LOOKUP = env("RATELIMIT_LOOKUP", default="10/10m")
RATELIMIT_SEARCH = env("RATELIMIT_SEARCH", default="120/m")

# Search: results per page, the seconds an availability summary may live in Redis (a
# booking never reads it), and the most guests one room of a search may ask for.
SEARCH_PAGE_SIZE = env.int("SEARCH_PAGE_SIZE", default=10)
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=15)
SEARCH_MAX_GUESTS_PER_ROOM = env.int("SEARCH_MAX_GUESTS_PER_ROOM", default=6)
SEARCH_MAX_RADIUS_KM = env.int("SEARCH_MAX_RADIUS_KM", default=100)
# The booking flow: POSTs of the booking, change and cancel forms per address (Redis),
# the site's address for links in e-mails, and how long an e-mail's link opens a booking.
RATELIMIT_BOOKING = env("RATELIMIT_BOOKING", default="20/10m")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The development inbox at /dev/inbox/ (core.dev_inbox): on in config/settings/local.py.
DEV_INBOX = False
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / ".data" / "inbox"))
BOOKING_LINK_MAX_AGE_DAYS = env.int("BOOKING_LINK_MAX_AGE_DAYS", default=400)
# Serve user-uploaded photos from Django (development and the browser tests only).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# Partner API (api/): DRF under /api/v1/, keys from djangorestframework-api-key, OpenAPI 3
# from drf-spectacular with Swagger UI served by the sidecar (no CDN).
INSTALLED_APPS += [
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The adapters on top: the partner API, the staff back office (every ModelAdmin),
    # the guest site.
    "api",
    "backoffice",
    "storefront",
]
from .api import *  # noqa: F403, E402 (a settings section of its own)

# Partner webhooks hang on booking events; PARTNER_WEBHOOKS=0 leaves them out (the
# benchmarks, which must not queue tasks on a shared broker).
if env.bool("PARTNER_WEBHOOKS", default=True):
    BOOKING_EVENT_HANDLERS += ["api.tasks.on_booking_event"]
CELERY_BEAT_SCHEDULE["purge-idempotency-keys"] = {
    "task": "api.tasks.purge_idempotency_keys",
    "schedule": 3600.0,
    "options": {"expires": 3000},
}

# Operations (docs/operations.md) ----------------------------------------------------------

# /health/live, /health/ready and /metrics are answered first (core/ops.py); then
# django-prometheus counts each request, and every log line carries its request id.
INSTALLED_APPS += ["django_prometheus"]
for _chain in (MIDDLEWARE, API_MIDDLEWARE):
    _chain[:0] = [
        "core.ops.OpsEndpointsMiddleware",
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "core.logs.RequestIdMiddleware",
    ]
# Last but django-axes, which asks to be last.
MIDDLEWARE.insert(-1, "django_prometheus.middleware.PrometheusAfterMiddleware")
API_MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# /metrics: open here, behind a bearer token or an address allow-list in production.
METRICS_REQUIRE_AUTH = env.bool("METRICS_REQUIRE_AUTH", default=False)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
# A Celery worker serves its metrics on this port (0: none; core/worker_metrics.py).
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
# /health/ready fails past these: beat's hold-expiry heartbeat, the outbox's oldest
# unpublished event, and the free space under MEDIA_ROOT.
HEALTH_BEAT_MAX_AGE_SECONDS = env.int("HEALTH_BEAT_MAX_AGE_SECONDS", default=180)
HEALTH_OUTBOX_MAX_LAG_SECONDS = env.int("HEALTH_OUTBOX_MAX_LAG_SECONDS", default=300)
HEALTH_MEDIA_MIN_FREE_MB = env.int("HEALTH_MEDIA_MIN_FREE_MB", default=100)
