"""Settings of the real Celery worker that config/tests/test_worker_killed.py starts.

The test settings, with tasks sent to the test's own broker instead of run eagerly,
e-mail sent over SMTP to the test's own server, and a short visibility timeout so that
a killed worker's message comes back in seconds, not hours.
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("TEST_SMTP_PORT")
EMAIL_TIMEOUT = 120
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
