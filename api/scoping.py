"""What a partner may see: agencies see active hotels and their own bookings; a channel
manager sees only the hotels it is connected to."""

from django.db.models import QuerySet

from accounts.models import Partner
from hotels.models import Hotel


def visible_hotels(partner: Partner) -> QuerySet:
    hotels = Hotel.objects.filter(status=Hotel.Status.ACTIVE)
    if partner.kind == Partner.Kind.CHANNEL_MANAGER:
        hotels = hotels.filter(partners=partner)
    return hotels


def connected_hotels(partner: Partner) -> QuerySet:
    """Hotels whose inventory the partner may change (any status)."""
    if partner.kind != Partner.Kind.CHANNEL_MANAGER:
        return Hotel.objects.none()
    return Hotel.objects.filter(partners=partner)
