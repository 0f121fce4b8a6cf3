"""Booking events to partners' URLs, signed with HMAC-SHA256 and retried with backoff.

A booking's events go only to its own partner's endpoints, each at most once per
endpoint (by the event's id). Delivery is at least once: receivers should skip a
repeated `id`, which is the event's and stays the same on every retry. The signature header is

    Innkeep-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

so a receiver checks it over the raw body and refuses old timestamps (replays).
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import random
import socket
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from rest_framework.renderers import JSONRenderer

from accounts.models import Partner
from booking.events import current_event_id
from booking.models import Booking
from core import metrics
from core.errors import ErrorCode, NotFound, ValidationError

from .booking_serializers import BookingSerializer
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .serialization import represent

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Innkeep-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value for `body` sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = 300, now=None
) -> bool:
    """Check a signature header as a receiver would (a helper for partners and tests)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based).

    Exponential with "equal jitter": half the doubled delay, plus a random half, capped.
    """
    ceiling = min(
        settings.WEBHOOK_BACKOFF_MAX_SECONDS,
        settings.WEBHOOK_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def check_url(url: str) -> None:
    """Refuse URLs a partner must not make us call.

    Always refused: credentials in the URL (they would be stored and listed back). In
    production also: a scheme other than https, a port other than 443, and a host that
    resolves to anything but a public unicast address (private, loopback, link-local,
    multicast, reserved). Raises ValidationError.
    """

    def refuse(message: str):
        raise ValidationError(ErrorCode.INVALID_REQUEST, message, field="url")

    parts = urlsplit(url)
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_URLS
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        refuse("Webhook URLs must use https.")
    if parts.username is not None or parts.password is not None:
        refuse("Webhook URLs must not carry credentials: sign-in is by signature.")
    try:
        port = parts.port
    except ValueError:
        refuse("This URL's port is not a number.")
    if allow_private:
        return
    if port not in (None, 443):
        refuse("Webhook URLs must use the https port, 443.")
    try:
        infos = socket.getaddrinfo(parts.hostname, 443)
    except (OSError, UnicodeError):
        refuse("This host cannot be resolved.")
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            not address.is_global
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        ):
            refuse("Webhook URLs must point to a public address.")


def webhook_endpoint_create(
    *, partner: Partner, url: str, events: list[str]
) -> WebhookEndpoint:
    """Register a URL for the partner's booking events (all events when none given).

    Raises ValidationError.
    """
    check_url(url)
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise ValidationError(
            ErrorCode.INVALID_REQUEST,
            f"Unknown events: {', '.join(unknown)}.",
            field="events",
        )
    return WebhookEndpoint.objects.create(
        partner=partner, url=url, events=sorted(set(events))
    )


def webhook_endpoint_disable(*, partner: Partner, endpoint_id: int) -> None:
    """Stop sending events to one of the partner's endpoints; raise NotFound if none."""
    if not WebhookEndpoint.objects.filter(
        pk=endpoint_id, partner=partner, is_active=True
    ).update(is_active=False):
        raise NotFound(ErrorCode.NOT_FOUND, "No such webhook endpoint.")


def deliveries_create(*, booking_id: int, event: str, data: dict) -> list[str]:
    """Record one pending delivery of `event` per endpoint of the booking's partner.

    The event's id (`current_event_id()`, the outbox row's) is the payload's `id` and
    makes the delivery: an endpoint that already has one for this event gets none
    again, so a redelivered event is sent once. Return the new deliveries' ids (none
    for a site booking, an event partners are not sent, a partner with no endpoint
    that wants it, or an event already recorded).
    """
    if event not in WebhookEvent.values:
        return []
    event_id = _event_uuid(current_event_id())
    # One query finds the endpoints still owed this event (most bookings have none:
    # site bookings, partners without webhooks); only then is the booking read.
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            partner__bookings__pk=booking_id, is_active=True
        ).exclude(deliveries__event_id=event_id)
        if endpoint.wants(event)
    ]
    if not endpoints:
        return []
    booking = Booking.objects.get(pk=booking_id)
    payload = {
        "id": str(event_id),
        "type": event,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data": {"booking": represent(BookingSerializer, booking), **data},
    }
    payload = json.loads(JSONRenderer().render(payload))
    try:
        # A savepoint: a concurrent delivery of the same event that recorded it first
        # wins on the unique constraint, and this one records nothing.
        with transaction.atomic():
            deliveries = WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(
                        endpoint=endpoint,
                        event=event,
                        event_id=event_id,
                        booking_reference=booking.reference,
                        payload=payload,
                    )
                    for endpoint in endpoints
                ]
            )
    except IntegrityError:
        return []
    return [str(delivery.pk) for delivery in deliveries]


def _event_uuid(event_id: str) -> uuid.UUID:
    """Return the event's id as a UUID (a new one outside a handler)."""
    if not event_id:
        return uuid.uuid4()
    try:
        return uuid.UUID(event_id)
    except ValueError:  # not an outbox id (a hand-made event): the same UUID for it
        return uuid.uuid5(uuid.NAMESPACE_URL, f"innkeep:event:{event_id}")


def deliver(delivery_id: str) -> float | None:
    """Make one attempt at a pending delivery; return seconds until the next, or None.

    None means done: delivered, given up after WEBHOOK_MAX_ATTEMPTS, or not pending.
    """
    started = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING
    ).update(attempts=F("attempts") + 1)
    if not started:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    status_code, error = None, ""
    try:
        check_url(endpoint.url)
        response = requests.post(
            endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Innkeep-Webhooks/1",
                "Innkeep-Event": delivery.event,
                "Innkeep-Delivery": str(delivery.pk),
                SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body),
            },
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except (requests.RequestException, ValidationError) as exc:
        error = str(exc)[:500] or type(exc).__name__
    rows = WebhookDelivery.objects.filter(pk=delivery_id)
    if not error:
        rows.update(
            status=WebhookDelivery.Status.SUCCEEDED,
            last_status_code=status_code,
            last_error="",
            delivered_at=Now(),
            next_attempt_at=None,
        )
        metrics.WEBHOOK_DELIVERIES.labels("succeeded").inc()
        return None
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        rows.update(
            status=WebhookDelivery.Status.FAILED,
            last_status_code=status_code,
            last_error=error,
            next_attempt_at=None,
        )
        metrics.WEBHOOK_DELIVERIES.labels("given_up").inc()
        log.warning(
            "webhook %s given up after %s attempts", delivery_id, delivery.attempts
        )
        return None
    wait = backoff(delivery.attempts)
    metrics.WEBHOOK_DELIVERIES.labels("retrying").inc()
    rows.update(
        last_status_code=status_code,
        last_error=error,
        next_attempt_at=Now() + timedelta(seconds=wait),
    )
    return wait
