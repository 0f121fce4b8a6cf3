"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache (a per-worker key prefix isolates xdist workers)."""
    from django.core.cache import cache

    cache.delete_pattern(
        "*"
    )  # prefix-scoped, unlike clear() which flushes the database
    yield
