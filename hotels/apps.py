from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HotelsConfig(AppConfig):
    name = "hotels"

    def ready(self):
        # Late: staff.py reads the models, which are ready only from here on.
        from .staff import sync_after_migrate

        # After every migrate (and test database flush): the role groups stay current.
        post_migrate.connect(
            sync_after_migrate, sender=self, dispatch_uid="hotels.sync_staff_groups"
        )
