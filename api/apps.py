from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partner API's shared parts: keys, problems, idempotency, throttling, webhooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Partner API"

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI auth extension)
