"""The Celery app; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("innkeep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A worker's metrics (CELERY_METRICS_PORT); core/logs.py connects the request id.
from core import worker_metrics  # noqa: E402 (after the app: it reads settings late)

worker_metrics.connect()
