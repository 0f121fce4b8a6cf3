from booking.tests.conftest import hold, hotel, policy, rate_plan, room_type, today  # noqa: F401
