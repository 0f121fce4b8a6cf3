"""The pool's check (core.postgres): no round trip, and a connection PostgreSQL ended is
never lent."""

import tempfile
import time

import psycopg
import pytest
from django.db import connection

from core.postgres.base import DatabaseWrapper, idle_connection_check

pytestmark = pytest.mark.django_db


def _terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)


def _wait_until_refused(conn, seconds=5.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            idle_connection_check(conn)
        except psycopg.OperationalError:
            return
        assert time.monotonic() < deadline, "the check still lends a dead connection"
        time.sleep(0.01)


def test_a_healthy_idle_connection_passes_without_a_message_to_the_server():
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("SELECT 1")
        with tempfile.TemporaryFile("w+") as trace:
            conn.pgconn.trace(trace.fileno())
            for _ in range(100):
                idle_connection_check(conn)
            conn.pgconn.untrace()
            trace.seek(0)
            assert trace.read() == ""
        # ... and one PostgreSQL ended is refused.
        _terminate(conn.info.backend_pid)
        _wait_until_refused(conn)


def test_a_connection_inside_a_transaction_is_not_lent():
    params = connection.get_connection_params()
    with psycopg.connect(**params) as conn:  # not autocommit
        conn.execute("SELECT 1")
        with pytest.raises(psycopg.OperationalError):
            idle_connection_check(conn)


def test_the_pool_replaces_a_connection_postgresql_ended_before_lending_it():
    settings_dict = {
        **connection.settings_dict,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            **connection.settings_dict.get("OPTIONS", {}),
            "pool": {"min_size": 1, "max_size": 1, "timeout": 5},
        },
    }
    wrapper = DatabaseWrapper(settings_dict, alias="pool_check_test")
    try:
        pool = wrapper.pool
        pool.open(wait=True)
        with pool.connection() as conn:
            first = conn.info.backend_pid
        _terminate(first)  # as a restart or a failover ends every idle connection
        time.sleep(0.2)

        with pool.connection() as conn:  # no error: the pool checked and reconnected
            second = conn.info.backend_pid
            assert conn.execute("SELECT 1").fetchone() == (1,)

        assert second != first
    finally:
        wrapper.close_pool()
