"""Processes, ports and logs: what starting and stopping a server needs, either server."""

from __future__ import annotations

import contextlib
import os
import random
import re
import socket
import time
from pathlib import Path

from .paths import PG_CONF, REDIS_CONF

HOST = "127.0.0.1"
# Below Linux's ephemeral range (32768+), so outgoing connections never hold a remembered port.
PORT_RANGE = (20000, 32000)
START_TIMEOUT = 60


class ServiceError(Exception):
    """A service could not be started or stopped; the message says why."""


def say(message: str) -> None:
    print(f"devservices: {message}", flush=True)


def pid_alive(pid: int, name: str) -> bool:
    """Tell whether process `pid` exists and, where /proc shows it, is a `name` process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    with contextlib.suppress(OSError, IndexError):
        # /proc/PID/stat is "PID (COMM) STATE ...": a zombie has exited, whatever kill says.
        stat = Path(f"/proc/{pid}/stat").read_text()
        comm, state = (
            stat[stat.index("(") + 1 : stat.rindex(")")],
            stat.rsplit(")", 1)[1].split()[0],
        )
        return state != "Z" and comm.startswith(name[:15])
    return True


def pid_exists(pid: int) -> bool:
    """Tell whether `pid` is in the process table, an unreaped zombie included."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def wait_gone(pid: int, name: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid, name):
            return True
        time.sleep(0.1)
    return not pid_alive(pid, name)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def tcp_open(port: int) -> bool:
    with (
        contextlib.suppress(OSError),
        socket.create_connection((HOST, port), timeout=1),
    ):
        return True
    return False


def pick_port(remembered: int | None) -> int:
    """Return the remembered port when it is free, else a free one in PORT_RANGE."""
    if remembered and port_free(remembered):
        return remembered
    taken = {remembered_port(PG_CONF), remembered_port(REDIS_CONF)}
    for _ in range(200):
        port = random.randrange(*PORT_RANGE)
        if port not in taken and port_free(port):
            return port
    raise ServiceError(f"no free TCP port on {HOST} in {PORT_RANGE}")


def remembered_port(conf: Path) -> int | None:
    with contextlib.suppress(OSError):
        match = re.search(r"^port\s*=?\s*(\d+)", conf.read_text(), re.MULTILINE)
        if match:
            return int(match.group(1))
    return None


def tail(path: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"
