"""bench/rush.py's stack: gunicorn (config/gunicorn.py), nginx, Celery, the relay.

Started as production starts them, each its own process group, logs in the run's
directory; stopped by their own process ids. Also the CPU bookkeeping: CPU seconds of
each component's process tree, of PostgreSQL's backends and server, and of Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import benchlib

ROOT = benchlib.ROOT
NGINX_TEMPLATE = ROOT / "config" / "nginx" / "nginx.conf.template"
# The "before": gunicorn's defaults (backlog 2,048, 1,000 connections a
# worker, keep-alive 2 s) with 4 gthread workers × 4 threads.
LEGACY_GUNICORN = ["--workers", "4", "--threads", "4", "--no-control-socket"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    env: dict
    run_dir: Path
    front: str  # nginx | gunicorn | legacy
    worker_nice: int = 10
    processes: dict = field(default_factory=dict)
    port: int = 0
    gunicorn_port: int = 0
    notes: list = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start(self, name: str, command: list[str], env: dict | None = None):
        log = open(self.run_dir / f"{name}.log", "w")  # noqa: SIM115 (kept open)
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self, *, relay: bool) -> None:
        self.gunicorn_port = free_port()
        env = dict(self.env)
        bind = f"127.0.0.1:{self.gunicorn_port}"
        gunicorn = [str(Path(sys.executable).with_name("gunicorn"))]
        if self.front == "legacy":
            command = [*gunicorn, "config.wsgi", "--bind", bind, *LEGACY_GUNICORN]
            command += ["--access-logfile", "-"]
        else:
            env["GUNICORN_BIND"] = bind
            # nginx logs every request; gunicorn's own log would say it twice.
            if self.front == "nginx":
                env["GUNICORN_ACCESS_LOG"] = ""
            command = [*gunicorn, "-c", "config/gunicorn.py"]
        self._start("gunicorn", command, env)
        if self.front == "nginx":
            self.port = free_port()
            conf = self.run_dir / "nginx.conf"
            conf.write_text(
                string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(
                    INNKEEP_LISTEN=f"127.0.0.1:{self.port}",
                    INNKEEP_UPSTREAM=bind,
                    INNKEEP_PID=str(self.run_dir / "nginx.pid"),
                    INNKEEP_ERROR_LOG=str(self.run_dir / "nginx-error.log"),
                    INNKEEP_ACCESS_LOG=str(self.run_dir / "access.log"),
                )
            )
            binary = shutil.which("nginx") or "/usr/sbin/nginx"
            nginx = [binary, "-c", str(conf), "-p", str(self.run_dir)]
            self._start("nginx", [*nginx, "-g", "daemon off;"])
        else:
            self.port = self.gunicorn_port
        python = sys.executable
        worker = [python, "-m", "celery", "-A", "config", "worker", "-l", "INFO"]
        if self.worker_nice:  # nice execs the worker: its pid is the worker's
            worker = ["nice", "-n", str(self.worker_nice), *worker]
        self._start("celery", worker)
        if relay:
            self._start("relay", [python, "manage.py", "relay_outbox"])
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    log = (self.run_dir / f"{name}.log").read_text()[-2000:]
                    raise RuntimeError(f"{name} exited ({proc.returncode}):\n{log}")
            try:
                answer = requests.get(f"{self.base_url}/api/v1/bookings/", timeout=5)
                if answer.status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("the stack did not answer within {timeout} s")

    def stop(self) -> None:
        for name in ("nginx", "gunicorn", "relay", "celery"):
            proc = self.processes.get(name)
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in self.processes.items():
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                self.notes.append(f"{name} did not stop on SIGTERM: killed")

    # -- CPU -------------------------------------------------------------------------

    def trees(self) -> dict[str, list[int]]:
        return {name: tree(proc.pid) for name, proc in self.processes.items()}


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            path = f"/proc/{pid}/task/{task}/children"
            found += [int(c) for c in Path(path).read_text().split()]
    except OSError:
        pass
    return found


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children(current)
    return pids


def cpu_of(pids) -> dict[int, float]:
    found = {}
    for pid in pids:
        seconds = benchlib.proc_cpu_seconds(pid)
        if seconds is not None:
            found[pid] = seconds
    return found


def postgres_pids() -> list[int]:
    """Every `postgres` process of this machine (the server and all its backends)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == "postgres":
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def backend_pids(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
            "pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


class Sampler(threading.Thread):
    """Sample PostgreSQL's processes and the accept queues twice a second during a rush.

    Django closes a connection older than CONN_MAX_AGE at the end of a request, and
    the CPU of an ended process is gone from /proc: its last sample is kept instead.
    """

    def __init__(self, admin_url: str, database: str, ports: dict[str, int]):
        super().__init__(daemon=True)
        self.admin_url, self.database = admin_url, database
        self.last: dict[int, float] = {}
        self.ours: set[int] = set()
        self.stopped = threading.Event()
        # The longest accept queue seen on each listening port (front, gunicorn).
        self.ports = ports
        self.queue_max = dict.fromkeys(ports, 0)

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            while not self.stopped.is_set():
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                    [self.database],
                ).fetchall()
                self.ours.update(row[0] for row in rows)
                self.last.update(cpu_of(postgres_pids()))
                for name, length in accept_queues(self.ports).items():
                    self.queue_max[name] = max(self.queue_max[name], length)
                self.stopped.wait(0.5)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
        self.last.update(cpu_of(postgres_pids()))


def accept_queues(ports: dict[str, int]) -> dict[str, int]:
    """The accept queue of each named listening port now (/proc/net/tcp's rx_queue)."""
    wanted = {f"{port:04X}": name for name, port in ports.items()}
    found = {}
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        port, state = fields[1].rpartition(":")[2], fields[3]
        if state == "0A" and port in wanted:  # LISTEN
            queue = int(fields[4].partition(":")[2], 16)
            name = wanted[port]
            found[name] = max(found.get(name, 0), queue)
    return found


def redis_cpu(url: str) -> float | None:
    import redis

    try:
        info = redis.Redis.from_url(url).info("cpu")
    except redis.RedisError:
        return None
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


TCP_COUNTERS = {
    "TcpExt": (
        "ListenOverflows",
        "ListenDrops",
        "TCPAbortOnOverflow",
        "TCPReqQFullDrop",
    ),
    "Tcp": ("AttemptFails", "EstabResets"),
}


def tcp_counters() -> dict[str, int]:
    """The kernel's listen-queue overflows and resets (machine-wide, from /proc/net)."""
    found = {}
    for path in ("/proc/net/netstat", "/proc/net/snmp"):
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            continue
        for names, values in zip(lines[::2], lines[1::2], strict=False):
            group, *keys = names.split()
            wanted = TCP_COUNTERS.get(group.rstrip(":"), ())
            for key, value in zip(keys, values.split()[1:], strict=False):
                if key in wanted:
                    found[key] = int(value)
    return found


@dataclass
class CpuSnapshot:
    at: float
    components: dict  # name -> {pid: seconds}
    backends: dict
    postgres: dict
    redis: float | None
    machine: tuple
    tcp: dict


def snapshot(stack: Stack, database: str, redis_url: str) -> CpuSnapshot:
    return CpuSnapshot(
        at=time.monotonic(),
        components={name: cpu_of(pids) for name, pids in stack.trees().items()},
        backends=cpu_of(backend_pids(database)),
        postgres=cpu_of(postgres_pids()),
        redis=redis_cpu(redis_url),
        machine=benchlib.cpu_ticks(),
        tcp=tcp_counters(),
    )


def _delta(before: dict, after: dict) -> float:
    """CPU seconds between two snapshots of a set of processes (new ones count whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def cpu_used(
    before: CpuSnapshot, after: CpuSnapshot, sampler: Sampler | None = None
) -> dict:
    """CPU seconds each component used between the snapshots, and the machine's cores."""
    used = {
        name: _delta(before.components.get(name, {}), pids)
        for name, pids in after.components.items()
    }
    backends, server = after.backends, after.postgres
    if sampler is not None:  # with the CPU of the processes that ended meanwhile
        server = {**sampler.last, **after.postgres}
        ours = sampler.ours | set(after.backends)
        backends = {pid: server[pid] for pid in ours if pid in server}
    used["postgres backends (this database)"] = _delta(before.backends, backends)
    queues = sampler.queue_max if sampler is not None else {}
    used["postgres server (all processes)"] = _delta(before.postgres, server)
    if before.redis is not None and after.redis is not None:
        used["redis (whole server)"] = after.redis - before.redis
    return {
        "wall_s": after.at - before.at,
        "seconds": used,
        "machine_cores_busy": benchlib.cores_busy(before.machine, after.machine),
        "tcp": {k: v - before.tcp.get(k, 0) for k, v in after.tcp.items()},
        "accept_queue_max": queues,
    }
