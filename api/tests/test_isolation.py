"""A partner never reaches what is not its own, on any route: the routes come from the
URL resolver, so a new route is covered without anyone listing it (invariant 8).

Partner A owns a booking, a webhook endpoint and a connected hotel. Every other
partner (an agency, a channel manager connected elsewhere) asks every API route with
A's ids, by GET and by POST: the answer is a 403 or a 404, and nothing of A's changes.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from api.models import WebhookEndpoint
from booking.models import Booking
from hotels.tests.factories import HotelFactory
from inventory.models import Inventory

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}


def api_routes(resolver=None, prefix=""):
    """Yield (pattern, names of its parameters) for every route under /api/v1/."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from api_routes(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
            if names:  # a route about one object
                yield pattern, names


def fill(pattern: str, ids: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), pattern)


def client_for(partner: Partner, scopes: list[str]) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_X_API_KEY=partner_key_create(partner=partner, name="k", scopes=scopes)[1]
    )
    return client


@pytest.fixture
def owner_world(hold, hotel):
    """Partner A's booking and webhook endpoint, and A's channel-manager twin's hotel."""
    agency = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    channel = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    channel.hotels.add(hotel)
    booking = hold(partner=agency)
    endpoint = WebhookEndpoint.objects.create(partner=agency, url="http://127.0.0.1:9/")
    return {"booking": booking, "endpoint": endpoint, "hotel": hotel}


def strangers(hotel) -> list[tuple[str, APIClient]]:
    elsewhere = HotelFactory()
    other_channel = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    other_channel.hotels.add(elsewhere)
    return [
        (
            "agency",
            client_for(PartnerFactory(kind=Partner.Kind.DISTRIBUTION), ["booking"]),
        ),
        ("channel elsewhere", client_for(other_channel, ["ari"])),
    ]


def ids_for(pattern: str, world: dict) -> dict:
    pk = (
        world["endpoint"].pk
        if pattern.startswith("api/v1/webhooks")
        else world["hotel"].pk
    )
    return {"reference": world["booking"].reference, "pk": pk}


def snapshot(world) -> tuple:
    booking = Booking.objects.get(pk=world["booking"].pk)
    endpoint = WebhookEndpoint.objects.get(pk=world["endpoint"].pk)
    rows = list(
        Inventory.objects.filter(room_type__hotel=world["hotel"])
        .order_by("pk")
        .values_list("rooms", "price", "stop_sell")
    )
    return (booking.status, booking.check_out, endpoint.is_active, endpoint.url, rows)


def test_no_partner_reaches_another_partners_objects_on_any_route(owner_world):
    routes = list(api_routes())
    assert len(routes) >= 8  # bookings, their actions, hotels, ARI, webhooks
    before = snapshot(owner_world)
    private = {"reference", "webhooks"}  # a hotel's public pages may be read by all
    callers = strangers(owner_world["hotel"])

    for pattern, names in routes:
        url = fill(pattern, ids_for(pattern, owner_world))
        is_private = "reference" in names or any(p in pattern for p in private)
        is_ari = "/ari/" in pattern or "/inventory/" in pattern
        for who, client in callers:
            read = client.get(url)
            if is_private or is_ari:
                assert read.status_code in REFUSED, (who, url, read.status_code)
            write = client.post(
                url,
                {"changes": [], "reason": "x", "check_out": "2030-01-01"},
                format="json",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
            assert write.status_code in REFUSED | {400, 422}, (who, url, write)
            if write.status_code in (400, 422):
                # Refused for its body only where the route is no one's own object.
                assert not (is_private or is_ari), (who, url, write.json())

    assert snapshot(owner_world) == before
