"""With every pooled connection taken, an API call waits its timeout, then gets 503."""

import json
import os
import subprocess
import sys
import textwrap
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

SCRIPT = textwrap.dedent(
    """
    import json, threading, time
    import django
    django.setup()
    from django.db import connection
    from rest_framework.test import APIClient

    connection.ensure_connection()  # the pool's only connection, held by this thread
    answer = {}

    def call():
        started = time.monotonic()
        response = APIClient(SERVER_NAME="localhost").get(
            "/api/v1/bookings/", HTTP_X_API_KEY="nokey123.x", HTTP_HOST="localhost"
        )
        answer.update(
            status=response.status_code,
            body=response.json(),
            retry_after=response.get("Retry-After"),
            waited=time.monotonic() - started,
        )

    thread = threading.Thread(target=call)
    thread.start()
    thread.join(30)
    print(json.dumps(answer))
    """
)


@pytest.mark.django_db
def test_a_request_that_finds_the_pool_taken_gets_a_busy_problem():
    database = connection.settings_dict["NAME"]  # the test database, migrated
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/x"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": urlunsplit(url._replace(path="/" + database)),
        "DATABASE_POOL": "1",
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_MAX_SIZE": "1",
        "DATABASE_POOL_TIMEOUT": "0.5",
    }

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer, result.stderr[-3000:]
    assert answer["status"] == 503, result.stderr
    assert answer["body"]["code"] == "busy"
    assert answer["body"]["retryable"] is True
    assert answer["retry_after"] == "1"
    assert 0.4 < answer["waited"] < 5
