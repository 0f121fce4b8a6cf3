"""Project-wide pytest fixtures.

The plugins below are the shared worlds: any app's tests ask for their fixtures by
name (`hotel`, `room_type`, `rate_plan`, `hold`, `make_hotel`, ...), so no test module
imports another app's conftest. A conftest.py nearer a test may override one.
"""

import pytest

pytest_plugins = [
    "booking.tests.fixtures",
    "search.tests.fixtures",
    "notifications.tests.fixtures",
    "payments.tests.fixtures",
    "core.tests.fixtures",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache (a per-worker key prefix isolates xdist workers)."""
    from django.core.cache import cache

    cache.delete_pattern(
        "*"
    )  # prefix-scoped, unlike clear() which flushes the database
    yield
