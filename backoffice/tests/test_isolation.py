"""Hotel staff never reach another hotel's objects on any admin or back-office route.

The routes come from the URL resolver (every ModelAdmin's change, delete and history
pages, and every hotel page of the back office), so a new route is covered without
anyone listing it (invariant 8). Alpha's manager and front-desk clerk ask each route
with Bravo's objects, by GET and by POST: never a page of Bravo's, and nothing of
Bravo's changes.
"""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from backoffice.tests.world import build_hotel, build_shared
from hotels.tests.factories import staff

pytestmark = pytest.mark.django_db

ADMIN_OBJECT_VIEW = re.compile(
    r"^(?P<app>\w+?)_(?P<model>\w+)_(change|delete|history)$"
)


def admin_routes(resolver=None, prefix=""):
    """Yield (name, pattern) of every admin route that names one object or hotel."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from admin_routes(entry, pattern)
        elif (
            isinstance(entry, URLPattern)
            and pattern.startswith("admin/")
            and entry.name
            and re.search(r"<(?:\w+:)?(\w+)>", pattern)
        ):
            yield entry.name, pattern


def bravo_object(name: str, world) -> object | None:
    """Return Bravo's object for an admin route, or None if Bravo has none."""
    if name.startswith("hotels_hotel_") and not ADMIN_OBJECT_VIEW.match(name):
        return world.hotel  # a back-office page of the hotel
    match = ADMIN_OBJECT_VIEW.match(name)
    if match is None:
        return None
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:
        return None
    if model is type(world.hotel):
        return world.hotel
    for value in world.objects.values():
        for obj in value if isinstance(value, list) else [value]:
            if type(obj) is model:
                return obj
    return None


def fill(pattern: str, pk) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", str(pk), pattern)


def snapshot(world) -> list:
    rows = []
    for value in [world.hotel, *world.objects.values()]:
        for obj in value if isinstance(value, list) else [value]:
            fresh = type(obj).objects.filter(pk=obj.pk).values().first()
            rows.append((type(obj).__name__, fresh))
    return rows


@pytest.mark.parametrize("role", ["manager", "front_desk"])
def test_staff_never_reach_another_hotels_objects_on_any_route(client, role):
    alpha, bravo = build_hotel("Alpha"), build_hotel("Bravo")
    build_shared()
    client.force_login(staff(f"{role}_a", alpha.hotel, role=role))
    before = snapshot(bravo)
    covered = 0

    for name, pattern in admin_routes():
        target = bravo_object(name, bravo)
        if target is None:
            continue
        covered += 1
        url = fill(pattern, target.pk)
        read = client.get(url)
        assert read.status_code in (302, 403, 404), (role, url, read.status_code)
        if read.status_code == 302:
            assert "/login/" in read["Location"] or read["Location"] != url, url
        written = client.post(url, {"post": "yes", "_save": "Save"})
        assert written.status_code in (302, 403, 404), (role, url, written.status_code)

    assert covered >= 20  # every model of a hotel, and the five back-office pages
    assert snapshot(bravo) == before
