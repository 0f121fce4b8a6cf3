"""A Celery worker's /metrics: an HTTP server of its own, on CELERY_METRICS_PORT.

Started in the worker's main process (`worker_init`). With PROMETHEUS_MULTIPROC_DIR
set, the pool's child processes write their samples there and the server sums them;
a child that exits is marked dead so its live gauges leave the sum. Without it (a solo
or threads pool) the server shows the main process's registry.
"""

import logging
import os

from django.conf import settings
from prometheus_client import start_http_server

from . import metrics

log = logging.getLogger(__name__)


def start_metrics_server(**_kwargs) -> None:
    """worker_init: serve the worker's metrics on CELERY_METRICS_PORT (0: none)."""
    port = int(settings.CELERY_METRICS_PORT or 0)
    if port <= 0:
        return
    start_http_server(port, registry=metrics.scrape_registry())
    log.info("worker metrics on port %s", port)


def mark_child_dead(pid=None, **_kwargs) -> None:
    """worker_process_shutdown: drop a pool child's live gauges from the sum."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


def connect() -> None:
    from celery import signals

    signals.worker_init.connect(start_metrics_server, weak=False)
    signals.worker_process_shutdown.connect(mark_child_dead, weak=False)
