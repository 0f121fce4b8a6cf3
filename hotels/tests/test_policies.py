"""Refund boundaries of a cancellation policy, in hotel time zones far from UTC."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotels.policies import free_cancellation_until, refund_amount, refund_percent

FLEXIBLE = {
    "rules": [
        {"days_before": 7, "refund_percent": 100},
        {"days_before": 2, "refund_percent": 50},
    ]
}
CHECK_IN = date(2027, 5, 14)


@pytest.mark.parametrize(
    "zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Seoul"]
)
@pytest.mark.parametrize(
    ("local", "percent"),
    [
        (datetime(2027, 5, 1, 12, 0), 100),
        (datetime(2027, 5, 7, 23, 59, 59), 100),  # last second of check-in minus 7 days
        (datetime(2027, 5, 8, 0, 0, 0), 50),  # first second after it
        (datetime(2027, 5, 12, 23, 59, 59), 50),
        (datetime(2027, 5, 13, 0, 0, 0), 0),
        (datetime(2027, 5, 14, 16, 0, 0), 0),
        (datetime(2027, 5, 20, 9, 0, 0), 0),  # after the stay
    ],
)
def test_refund_percent_at_each_boundary_in_hotel_time(zone, local, percent):
    tz = ZoneInfo(zone)
    # The same instant as a UTC timestamp, as the database hands it over.
    at = local.replace(tzinfo=tz).astimezone(UTC)

    assert refund_percent(FLEXIBLE, check_in=CHECK_IN, at=at, tz=tz) == percent


def test_utc_date_is_not_the_hotel_date():
    # 7 May 23:30 in Kiritimati (UTC+14) is 7 May 09:30 UTC: both the same date here,
    # but 8 May 00:30 Kiritimati is 7 May 10:30 UTC: only the hotel date gives 50%.
    tz = ZoneInfo("Pacific/Kiritimati")
    at = datetime(2027, 5, 8, 0, 30, tzinfo=tz).astimezone(UTC)
    assert at.date() == date(2027, 5, 7)
    assert refund_percent(FLEXIBLE, check_in=CHECK_IN, at=at, tz=tz) == 50


def test_refund_amount_rounds_down_in_minor_units():
    tz = ZoneInfo("Europe/Lisbon")
    at = datetime(2027, 5, 10, 12, tzinfo=tz)
    assert (
        refund_amount(FLEXIBLE, total=12_345, check_in=CHECK_IN, at=at, tz=tz) == 6_172
    )


def test_non_refundable_policy_refunds_nothing():
    tz = ZoneInfo("Europe/Lisbon")
    at = datetime(2027, 1, 1, tzinfo=tz)
    assert refund_percent({}, check_in=CHECK_IN, at=at, tz=tz) == 0
    assert free_cancellation_until({}, check_in=CHECK_IN, tz=tz) is None


def test_free_cancellation_deadline_is_the_end_of_the_day_in_hotel_time():
    tz = ZoneInfo("Pacific/Pago_Pago")
    until = free_cancellation_until(FLEXIBLE, check_in=CHECK_IN, tz=tz)
    assert until == datetime(2027, 5, 7, 23, 59, 59, tzinfo=tz)
    assert until.astimezone(UTC) == datetime(2027, 5, 8, 10, 59, 59, tzinfo=UTC)
    assert until + timedelta(seconds=1) == datetime(2027, 5, 8, tzinfo=tz)
