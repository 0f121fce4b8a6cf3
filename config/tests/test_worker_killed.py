"""A real Celery worker SIGKILLed in the middle of a task: its effect happens once.

The test runs a redis-server of its own as the broker, an SMTP server of its own,
and a real `celery worker` process (config/tests/worker_settings.py). The worker takes
a guest's e-mail task and is killed while the SMTP server holds the message's DATA
command; a second worker gets the unacknowledged message back (acks_late, the
visibility timeout) and sends the e-mail. A redelivery after that (the message
published again) sends nothing: send_once keeps one row per (booking, key).
"""

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from django.db import connection

from booking.models import BookingEmail
from core.testing import RedisServer, free_port
from notifications.emails import email_for_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("faults"),
]

ROOT = Path(__file__).resolve().parent.parent.parent
TASK = "booking.tasks.send_booking_email"


class SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP; the first DATA command waits until its client is gone."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server = self.server
        self.reply("220 innkeep-test ESMTP")
        lines: list[bytes] | None = None  # inside DATA
        while line := self.rfile.readline():
            if lines is not None:
                if line == b".\r\n":
                    server.messages.append(b"".join(lines))
                    lines = None
                    self.reply("250 queued")
                else:
                    lines.append(line)
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 innkeep-test")
            elif verb == b"DATA":
                if not server.held.is_set():
                    server.held.set()  # the task is mid-send: the test kills it now
                    while self.rfile.readline():  # until the dead client's socket ends
                        pass
                    return  # nothing was delivered
                self.reply("354 go ahead")
                lines = []
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", free_port()), SmtpSession)
        self.port = self.server_address[1]
        self.messages: list[bytes] = []
        self.held = threading.Event()
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Worker:
    """A `celery worker` as production runs it: a prefork pool (of one child here).

    The solo pool would not do: it sends even an early acknowledgement only after the
    task returned, so killing it proves nothing about acks_late.
    """

    def __init__(self, env: dict, log: Path) -> None:
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "config", "worker", "--pool=prefork"),
                "--concurrency=1",
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                *("-l", "info", "-n", f"killed-test-{time.monotonic_ns()}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the worker and its pool child at once (the OOM killer, a lost node)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    app = Celery("innkeep-killed-test", set_as_current=False)
    app.conf.update(broker_url=server.url, broker_connection_retry_on_startup=False)
    yield app, server
    server.close()


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.shutdown()
    server.server_close()


def worker_env(broker_url: str, smtp_port: int) -> dict:
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/x"))
    database = connection.settings_dict["NAME"]  # the test database
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.tests.worker_settings",
        "DATABASE_URL": urlunsplit(url._replace(path="/" + database)),
        "CELERY_BROKER_URL": broker_url,
        "TEST_SMTP_PORT": str(smtp_port),
        "CELERY_SKIP_CHECKS": "1",
    }


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def unfinished(app) -> int:
    """Messages queued or taken and not yet acknowledged."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen("celery") + client.hlen("unacked")


def test_a_worker_killed_mid_send_leaves_the_guest_one_email(
    broker, smtp, hold, tmp_path
):
    app, server = broker
    booking = hold(offset=12)
    kind, key = email_for_event("booking.held", {"source": booking.source})
    args = [booking.pk, kind, key, {}]
    env = worker_env(server.url, smtp.port)
    log = tmp_path / "workers.log"

    app.send_task(TASK, args=args)
    first = Worker(env, log)
    try:
        assert smtp.held.wait(90), log.read_text()[-3000:]  # the task is mid-send
        assert BookingEmail.objects.count() == 0  # its row is not committed
        first.kill()  # SIGKILL: no ack, no rollback but PostgreSQL's own
    finally:
        first.stop()
    assert first.process.returncode == -signal.SIGKILL
    assert smtp.messages == []
    assert unfinished(app) == 1  # the message waits, unacknowledged

    second = Worker(env, log)
    try:
        # The visibility timeout brings the message back to the new worker.
        assert wait_for(lambda: len(smtp.messages) == 1, 90), log.read_text()[-3000:]
        assert wait_for(lambda: unfinished(app) == 0, 30)
        # A redelivery of the task that did send (its ack was lost) sends nothing.
        app.send_task(TASK, args=args)
        assert wait_for(lambda: unfinished(app) == 0, 60), log.read_text()[-3000:]
        time.sleep(1)
    finally:
        second.stop()

    assert len(smtp.messages) == 1
    assert f"To: {booking.guest_email}".encode() in smtp.messages[0]
    [sent] = BookingEmail.objects.filter(booking=booking)
    assert (sent.kind, sent.key) == (kind, key)
    assert log.read_text().count(f"Task {TASK}[") >= 3  # received twice, succeeded
