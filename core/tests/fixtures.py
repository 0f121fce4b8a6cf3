"""A Redis of the test's own behind the cache, to stop for real (a pytest plugin)."""

import copy

import pytest
from django.core.cache import caches

from core.testing import RedisServer


@pytest.fixture
def own_redis(settings):
    """Point the cache at a redis-server this test started; stop it with `.stop()`."""
    server = RedisServer()
    server.start()
    cache_settings = copy.deepcopy(settings.CACHES)
    cache_settings["default"]["LOCATION"] = server.url
    settings.CACHES = cache_settings
    caches["default"].close()
    yield server
    server.close()
