"""gunicorn's production settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Used by the Procfile, the Dockerfile, docker-compose and bench/rush.py, so the rush is
measured on what production runs. Each value can be overridden from the environment
(GUNICORN_*, or WEB_CONCURRENCY for the workers, gunicorn's own variable).

A rush opens thousands of connections at once. gunicorn refuses what it cannot hold:
a gthread worker stops accepting at `worker_connections` (default 1,000), and what it
has not accepted waits in the listen queue (`backlog`, default 2,048, capped by the
kernel's net.core.somaxconn), beyond which the kernel drops the connection. So every
worker takes up to GUNICORN_WORKER_CONNECTIONS (default 10,000) connections and parks
them in its selector; a request then waits in the worker's queue for one of its
`threads`, not in the kernel. Latency grows under a rush; nothing is refused.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
wsgi_app = "config.wsgi"
worker_class = "gthread"
# About 2 per core: the work is mostly Python (CPU) between short database calls.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count())
# A few threads per worker: Django runs one request per thread, and the database
# wants a few connections per core, not hundreds.
threads = _int("GUNICORN_THREADS", 4)
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 10_000)
# The kernel caps this at net.core.somaxconn (4,096 on Debian 12).
backlog = _int("GUNICORN_BACKLOG", 4096)
# Longer than a front server's upstream keepalive (nginx: 60 s), so gunicorn never
# closes a kept-alive connection just as nginx sends on it.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# "-" logs each request to stdout; an empty value turns the access log off (a front
# server that logs requests itself makes it redundant).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket: the image's code directory is read-only for the app user.
control_socket_disable = True
# Secrets in a request line (signed links, reset keys, client secrets) are redacted.
logger_class = "config.gunicorn_logging.RedactingLogger"
# Each line ends with the request's id (core/logs.py echoes it as X-Request-ID).
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus request_id=%({x-request-id}o)s',
)


# Metrics of every worker at one /metrics (docs/operations.md): with
# PROMETHEUS_MULTIPROC_DIR set, each worker writes its samples there; the directory is
# emptied when gunicorn starts, and a worker that exits is marked dead.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
