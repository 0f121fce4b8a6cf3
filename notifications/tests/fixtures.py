"""The guest e-mail handler, on for a test, and after-commit callbacks (a pytest plugin)."""

import pytest
from django.core import mail


@pytest.fixture
def emails(settings):
    """Turn the e-mail handler on; return the outbox."""
    settings.BOOKING_EVENT_HANDLERS = ["notifications.tasks.on_booking_event"]
    settings.SITE_URL = "https://innkeep.example"
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block queued after commit, as it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
