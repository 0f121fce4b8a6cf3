"""The guest e-mail handler, on for a test, and the outbox relay (a pytest plugin)."""

from contextlib import contextmanager

import pytest
from django.core import mail

from core import outbox


@pytest.fixture
def emails(settings):
    """Turn the e-mail handler on; return the outbox."""
    settings.BOOKING_EVENT_HANDLERS = ["notifications.tasks.on_booking_event"]
    settings.SITE_URL = "https://innkeep.example"
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def relayed():
    """`with relayed():` relays the events the block wrote as it ends (tasks eager)."""

    @contextmanager
    def block():
        yield
        outbox.drain()

    return block
