"""Tell a database that cannot be reached from a bug: the one is retried, not the other."""

import threading
import time

import psycopg
from django.db import InterfaceError, OperationalError, connection
from psycopg_pool import PoolTimeout

# Seconds a caller is asked to wait while PostgreSQL restarts or fails over.
RETRY_AFTER_SECONDS = 5
# How long one probe's verdict serves every caller of a process.
PROBE_SECONDS = 1.0

_probe = {"at": -PROBE_SECONDS, "reachable": True}
_probe_lock = threading.Lock()


def database_unavailable(error: BaseException | None) -> bool:
    """Return whether `error` says PostgreSQL could not be reached or dropped the session.

    A refused or broken connection, a server shutting down or starting up, a session
    it terminated: Django raises OperationalError or InterfaceError for all of them,
    and a retry once the server is back succeeds. So does a full pool (PoolTimeout),
    which `pool_exhausted` tells apart. Lock timeouts never get here
    (inventory.locking turns them into Busy).
    """
    return isinstance(error, OperationalError | InterfaceError)


def pool_exhausted(error: BaseException | None) -> bool:
    """Return whether `error` is a request that waited its pool timeout in vain."""
    return isinstance(error, OperationalError) and isinstance(
        error.__cause__, PoolTimeout
    )


def database_reachable() -> bool:
    """Return whether PostgreSQL accepts a new connection, probed once a second at most.

    Tells why a pool gave no connection: every one busy (load: `busy`), or none to be
    had because the server is down (`service_unavailable`). The probe's verdict is
    shared by the process's threads, so an outage costs one connection attempt a
    second, not one per waiting request.
    """
    with _probe_lock:
        now = time.monotonic()
        if now - _probe["at"] < PROBE_SECONDS:
            return _probe["reachable"]
        params = connection.get_connection_params()
        try:
            psycopg.connect(**{**params, "connect_timeout": 1}).close()
        except psycopg.Error:
            reachable = False
        else:
            reachable = True
        _probe.update(at=time.monotonic(), reachable=reachable)
        return reachable
