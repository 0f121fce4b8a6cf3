"""Where the dev services keep their files: everything under .data/ of this checkout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
SERVICES_ENV = DATA / "services.env"
LOCK_FILE = DATA / ".devservices.lock"

PG_DIR = DATA / "postgres"
PGDATA = PG_DIR / "data"
PG_LOG = PG_DIR / "postgres.log"
PG_CTL_LOG = PG_DIR / "pg_ctl.log"
PG_CONF = PGDATA / "devservices.conf"

REDIS_DIR = DATA / "redis"
REDIS_CONF = REDIS_DIR / "redis.conf"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"
REDIS_LOG = REDIS_DIR / "redis.log"
