"""Publish the outbox to Celery: a loop with a short sleep, or one drain with --once."""

import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import outbox


class Command(BaseCommand):
    help = (
        "Publish committed outbox events to Celery in batches and mark them sent. "
        "Runs until SIGTERM/SIGINT; --once drains what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="publish what is due, then exit"
        )
        parser.add_argument(
            "--batch-size", type=int, default=None, help="rows per transaction"
        )

    def handle(self, *args, once=False, batch_size=None, **options):
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        idle = settings.OUTBOX_RELAY_INTERVAL_SECONDS
        wait = idle
        total = 0
        self.log(f"relay: started, {outbox.pending_count()} events pending")
        while not stop.is_set():
            close_old_connections()  # a long-lived loop: drop a dead or old connection
            report = outbox.relay(batch_size=batch_size)
            total += report.published
            if report.published or report.failed:
                self.log(
                    f"relay: published {report.published}, failed {report.failed}"
                    f" (total {total})"
                )
            if report.broker_down:
                if once:
                    self.log("relay: broker unreachable, events left for later")
                    break
                wait = min(wait * 2, settings.OUTBOX_RELAY_MAX_WAIT_SECONDS)
                self.log(f"relay: broker unreachable, next try in {wait:.1f}s")
                stop.wait(wait)
                continue
            wait = idle
            if report.published:
                continue  # more may be due: no sleep while there is a backlog
            if once:
                break
            stop.wait(idle)
        self.log(f"relay: stopped, {total} events published")

    def log(self, message: str) -> None:
        self.stdout.write(f"{time.strftime('%H:%M:%S')} {message}")
        self.stdout.flush()
