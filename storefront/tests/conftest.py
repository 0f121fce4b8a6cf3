"""Fixtures shared by the booking site's tests."""

import pytest

from booking.models import BookingStatus
from payments.tests.factories import pay


@pytest.fixture
def paid(hold):
    """A confirmed booking paid on the site: two nights, ₩200,000."""

    def make(offset=10, **kwargs):
        booking = hold(offset=offset, **kwargs)
        assert pay(booking).status_code == 302
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CONFIRMED
        return booking

    return make
