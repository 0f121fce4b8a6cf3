from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for development: `manage.py seed_demo`. No domain app imports it."""

    name = "demo"
