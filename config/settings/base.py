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
    "django.contrib.admin",
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
    "core",
    "accounts",
    "hotels",
    "inventory",
    "booking",
    "payments",
    "reviews",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Turns django-ratelimit's Ratelimited into RATELIMIT_VIEW's friendly 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
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
                "payments.context_processors.payments_mode",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/innkeep"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
        },
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
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
}

# Booking engine knobs.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
BOOKING_HOLD_MAX_EXTENSIONS = env.int("BOOKING_HOLD_MAX_EXTENSIONS", default=2)
BOOKING_MAX_NIGHTS = env.int("BOOKING_MAX_NIGHTS", default=30)
BOOKING_MAX_ROOMS = env.int("BOOKING_MAX_ROOMS", default=9)
BOOKING_MAX_DAYS_AHEAD = env.int("BOOKING_MAX_DAYS_AHEAD", default=500)
INVENTORY_LOCK_TIMEOUT_MS = env.int("INVENTORY_LOCK_TIMEOUT_MS", default=3000)
# Seconds a "sold out" hint for a night lives in Redis; PostgreSQL stays the truth.
INVENTORY_SOLD_OUT_HINT_SECONDS = env.int("INVENTORY_SOLD_OUT_HINT_SECONDS", default=2)
# Called in a worker after each booking event commits (booking/events.py). The guest's
# e-mails hang here; BOOKING_EVENT_HANDLERS= (empty) turns them off (e.g. for bench/).
BOOKING_EVENT_HANDLERS: list[str] = env.list(
    "BOOKING_EVENT_HANDLERS", default=["booking.emails.on_booking_event"]
)

# Payments. With no STRIPE_SECRET_KEY the no-network test gateway serves (TEST MODE).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # empty: Stripe's own
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Consecutive Stripe outages that open the breaker, and how long it stays open.
PAYMENTS_BREAKER_FAIL_MAX = env.int("PAYMENTS_BREAKER_FAIL_MAX", default=5)
PAYMENTS_BREAKER_RESET_SECONDS = env.int("PAYMENTS_BREAKER_RESET_SECONDS", default=30)
# Reconciliation asks Stripe about payments still open after this many seconds.
PAYMENTS_RECONCILE_AFTER_SECONDS = env.int(
    "PAYMENTS_RECONCILE_AFTER_SECONDS", default=300
)
# Without Stripe keys, take payments on the simulated test gateway (off in production).
PAYMENTS_TEST_GATEWAY = env.bool("PAYMENTS_TEST_GATEWAY", default=True)
PAYMENTS_REFUND_MAX_ATTEMPTS = env.int("PAYMENTS_REFUND_MAX_ATTEMPTS", default=8)
# An open intent of a booking whose hold ended this long ago is cancelled at the gateway.
PAYMENTS_ABANDON_AFTER_SECONDS = env.int("PAYMENTS_ABANDON_AFTER_SECONDS", default=3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
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
BOOKING_LINK_MAX_AGE_DAYS = env.int("BOOKING_LINK_MAX_AGE_DAYS", default=400)
# Serve user-uploaded photos from Django (development and the browser tests only).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
