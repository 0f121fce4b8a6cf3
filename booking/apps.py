from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"

    def ready(self):
        from core import metrics

        from .models import BookingSource

        # Every source exported from the start, at zero (rate() needs a series).
        for source in BookingSource.values:
            metrics.HOLDS_TAKEN.labels(source)
