"""Reviews need stays: the booking fixtures (hotel → room type → plan → hold)."""

from booking.tests.conftest import (  # noqa: F401
    hold,
    hotel,
    policy,
    rate_plan,
    room_type,
    today,
)
