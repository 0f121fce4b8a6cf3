from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from hotels.models import Hotel

        from .hotels import listing_changed

        # A hotel deactivated, renamed or moved leaves the cached search pages at once.
        def hotel_changed(sender, **kwargs):
            listing_changed()

        # weak=False: the receiver is a local function, kept alive by the signal alone.
        post_save.connect(
            hotel_changed, sender=Hotel, weak=False, dispatch_uid="search-hotel-save"
        )
        post_delete.connect(
            hotel_changed, sender=Hotel, weak=False, dispatch_uid="search-hotel-delete"
        )
