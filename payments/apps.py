from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        # Registers the tasks services queue by name; tasks import models, so not sooner.
        from . import metrics, tasks  # noqa: F401

        metrics.register()
