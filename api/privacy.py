"""What the partner API keeps of a booking's guest, scrubbed when the guest is erased.

Called by privacy.scrub (PRIVACY_ERASURE_HANDLERS) inside the erasure's transaction:
the webhook payloads sent about the bookings and the stored first responses of
idempotent requests both carry the guest's details.
"""

from django.db.models import Q

from privacy.scrub import redact_json_rows

from .models import IdempotencyKey, WebhookDelivery


def forget_bookings(*, references: list[str], needles: list[str]) -> None:
    """Cut the guest's details out of the API's copies of these bookings."""
    if not references:
        return
    redact_json_rows(
        WebhookDelivery.objects.filter(booking_reference__in=references),
        "payload",
        needles,
    )
    mentions = Q(pk__in=[])
    for reference in references:
        mentions |= Q(response_body__icontains=reference)
    redact_json_rows(IdempotencyKey.objects.filter(mentions), "response_body", needles)
