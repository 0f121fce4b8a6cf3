"""Django's PostgreSQL backend whose pool checks a connection without a round trip.

With CONN_HEALTH_CHECKS, Django lends a pooled connection only after psycopg_pool's
`check_connection`, an empty query: one more round trip to PostgreSQL on every request,
a fifth on a hold. This backend gives the pool `idle_connection_check` instead, which asks
the kernel, not the server: an idle connection in the pool has nothing to read, so a
readable socket means PostgreSQL spoke first, and on an idle connection it only does so to
end it (a restart, a failover's fast shutdown, `pg_terminate_backend`, an idle timeout:
"FATAL: terminating connection ..." then EOF); a backend killed outright leaves an EOF.
Either way the pool discards the connection and lends another, as it did after the empty
query. A server that vanished without a word (a host lost with no FIN) is noticed by the
request's first query, which fails as a retryable 503, and the broken connection is not
returned to the pool.

ENGINE = "core.postgres" (config/settings/base.py); everything else is Django's.
"""

import select

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base

_IDLE = psycopg.pq.TransactionStatus.IDLE


def idle_connection_check(conn: psycopg.Connection) -> None:
    """Raise if the pooled connection cannot serve a request; sends nothing.

    A refused connection is closed first: the pool then counts it lost and opens another
    (one it only refused would go back to the pool as it was).
    """
    if conn.closed or conn.broken or conn.info.transaction_status != _IDLE:
        problem = "the pooled connection is closed or not idle"
    else:
        poller = select.poll()  # not select(): a worker may hold descriptors past 1024
        poller.register(conn.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        if not poller.poll(0):
            return
        problem = "PostgreSQL ended the idle pooled connection"
    conn.close()
    raise psycopg.OperationalError(problem)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool_options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == base.NO_DB_ALIAS or not pool_options:
            return None
        if self.alias not in self._connection_pools:
            # Django's own pool property, but for the check (base.DatabaseWrapper.pool).
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured(
                    "Pooling doesn't support persistent connections."
                )
            from psycopg_pool import ConnectionPool

            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True
            checks = self.settings_dict["CONN_HEALTH_CHECKS"]
            pool = ConnectionPool(
                kwargs=connect_kwargs,
                open=False,
                configure=self._configure_connection,
                check=idle_connection_check if checks else None,
                **({} if pool_options is True else pool_options),
            )
            self._connection_pools.setdefault(self.alias, pool)
        return self._connection_pools[self.alias]
