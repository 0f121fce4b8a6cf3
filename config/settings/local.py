"""Development settings: `make run`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
# Sent e-mails land in the development inbox (/dev/inbox/), which the web server and
# the worker share through .data/inbox/; EMAIL_BACKEND=...console... prints them.
DEV_INBOX = env.bool("DEV_INBOX", default=DEBUG)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="core.dev_inbox.InboxBackend"
    if DEV_INBOX
    else "django.core.mail.backends.console.EmailBackend",
)

SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
