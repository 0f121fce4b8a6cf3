"""Reads over hotels."""

from django.core.cache import cache

from .models import Hotel


def active_cities() -> list[str]:
    """Return the cities with an active hotel, for the search box's suggestions."""

    def load():
        return list(
            Hotel.objects.filter(status=Hotel.Status.ACTIVE)
            .order_by("city")
            .values_list("city", flat=True)
            .distinct()
        )

    return cache.get_or_set("hotels:active-cities", load, 60)
