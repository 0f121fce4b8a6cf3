"""Same-day cut-offs and refund deadlines on the days the clocks change (invariant 9).

Lisbon goes from WET (UTC+0) to WEST (UTC+1) on 28 March 2027 and back on 31 October;
New York from EST (UTC-5) to EDT (UTC-4) on 14 March and back on 7 November. A rule
that kept the morning's offset all day would be an hour off in the evening.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import ErrorCode, ValidationError
from hotels.policies import free_cancellation_until, refund_percent
from hotels.tests.factories import HotelFactory
from inventory.rules import StayRequest, validate_timing

FLEXIBLE = {
    "rules": [
        {"days_before": 7, "refund_percent": 100},
        {"days_before": 2, "refund_percent": 50},
    ]
}

# (zone, day of the change, the UTC instant at 17:59 and at 18:00 local that evening)
EVENINGS = [
    ("Europe/Lisbon", date(2027, 3, 28), datetime(2027, 3, 28, 16, 59, tzinfo=UTC)),
    ("Europe/Lisbon", date(2027, 10, 31), datetime(2027, 10, 31, 17, 59, tzinfo=UTC)),
    ("America/New_York", date(2027, 3, 14), datetime(2027, 3, 14, 21, 59, tzinfo=UTC)),
    ("America/New_York", date(2027, 11, 7), datetime(2027, 11, 7, 22, 59, tzinfo=UTC)),
]


def refusal(hotel, day, now):
    try:
        validate_timing(StayRequest(day, day + timedelta(days=1)), hotel, now)
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(("zone", "day", "last_minute"), EVENINGS)
def test_the_same_day_cutoff_is_the_hotels_wall_clock_on_a_clock_change_day(
    zone, day, last_minute
):
    hotel = HotelFactory.build(time_zone=zone, same_day_cutoff=time(18, 0))

    assert last_minute.astimezone(ZoneInfo(zone)).time() == time(17, 59)
    assert refusal(hotel, day, last_minute) is None
    assert refusal(hotel, day, last_minute + timedelta(minutes=1)) == (
        ErrorCode.SAME_DAY_CUTOFF
    )
    # The next morning is a new day: tomorrow's arrivals are open at 00:00 local.
    midnight = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(zone))
    assert refusal(hotel, day + timedelta(days=1), midnight) is None


@pytest.mark.parametrize(("zone", "day", "last_minute"), EVENINGS)
def test_the_refund_deadline_ends_at_local_midnight_on_a_clock_change_day(
    zone, day, last_minute
):
    tz = ZoneInfo(zone)
    check_in = day + timedelta(days=7)  # the 100% deadline ends with the change day
    until = free_cancellation_until(FLEXIBLE, check_in=check_in, tz=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)

    assert until.astimezone(UTC) == end - timedelta(seconds=1)
    assert (
        refund_percent(
            FLEXIBLE, check_in=check_in, at=end - timedelta(seconds=1), tz=tz
        )
        == 100
    )
    assert refund_percent(FLEXIBLE, check_in=check_in, at=end, tz=tz) == 50
    # An hour either side of the true midnight is where a fixed offset would land.
    assert (
        refund_percent(
            FLEXIBLE, check_in=check_in, at=end - timedelta(minutes=30), tz=tz
        )
        == 100
    )
    assert (
        refund_percent(
            FLEXIBLE, check_in=check_in, at=end + timedelta(minutes=30), tz=tz
        )
        == 50
    )


def test_a_cutoff_inside_the_repeated_hour_stays_passed_on_its_second_pass():
    # New York, 7 November 2027: 01:00-02:00 EDT, then 01:00-02:00 EST again.
    hotel = HotelFactory.build(
        time_zone="America/New_York", same_day_cutoff=time(1, 30)
    )
    day = date(2027, 11, 7)
    first_0129 = datetime(2027, 11, 7, 5, 29, tzinfo=UTC)  # 01:29 EDT
    second_0115 = datetime(2027, 11, 7, 6, 15, tzinfo=UTC)  # 01:15 EST, fold 1
    local = second_0115.astimezone(ZoneInfo("America/New_York"))
    assert (local.time(), local.fold) == (time(1, 15), 1)

    assert refusal(hotel, day, first_0129) is None
    assert refusal(hotel, day, first_0129 + timedelta(minutes=1)) == (
        ErrorCode.SAME_DAY_CUTOFF
    )
    # The wall clock reads 01:15 again, but 01:30 already came an hour ago.
    assert refusal(hotel, day, second_0115) == ErrorCode.SAME_DAY_CUTOFF
    # A cut-off later than the repeated hour is still ahead on its second pass.
    hotel.same_day_cutoff = time(2, 30)
    assert refusal(hotel, day, second_0115) is None
