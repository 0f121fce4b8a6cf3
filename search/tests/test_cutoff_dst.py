"""The search's same-day cut-off is the booking rule's, on the days clocks change too.

The search runs at the database's now(); this runs the very expression it uses
(search.hotels.CUTOFF_PASSED_SQL) at chosen instants and checks it against
inventory.rules.cutoff_passed, which the hold itself applies.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from inventory.rules import cutoff_passed
from search.hotels import CUTOFF_PASSED_SQL

SQL = "SELECT " + CUTOFF_PASSED_SQL.format(
    now="%(now)s",
    local_now="(%(now)s AT TIME ZONE %(tz)s)",
    cutoff="%(cutoff)s::time",
    tz="%(tz)s",
)

# Each clock change of 2027 in Lisbon and New York, with cut-offs before, inside and
# after the hour that is skipped or repeated, every 5 minutes over the 4 hours around it.
CHANGES = [
    ("Europe/Lisbon", datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
    ("Europe/Lisbon", datetime(2027, 10, 31, 1, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2027, 3, 14, 7, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2027, 11, 7, 6, 0, tzinfo=UTC)),
]
CUTOFFS = [time(0, 45), time(1, 0), time(1, 30), time(2, 0), time(2, 30), time(3, 15)]


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "change"), CHANGES)
def test_the_search_and_the_hold_agree_on_the_cutoff_around_a_clock_change(
    zone, change
):
    tz = ZoneInfo(zone)
    disagreements = []
    with connection.cursor() as cursor:
        for cutoff in CUTOFFS:
            for step in range(-24, 25):
                now = change + timedelta(minutes=5 * step)
                cursor.execute(SQL, {"now": now, "tz": zone, "cutoff": cutoff})
                in_sql = cursor.fetchone()[0]
                in_python = cutoff_passed(now.astimezone(tz), cutoff)
                if in_sql != in_python:
                    disagreements.append((cutoff, now.astimezone(tz), in_sql))
    assert disagreements == []


@pytest.mark.django_db
def test_the_search_keeps_a_cutoff_of_the_repeated_hour_passed_on_its_second_pass():
    # New York, 7 November 2027 06:15 UTC is 01:15 EST, after 01:30 EDT came.
    with connection.cursor() as cursor:
        cursor.execute(
            SQL,
            {
                "now": datetime(2027, 11, 7, 6, 15, tzinfo=UTC),
                "tz": "America/New_York",
                "cutoff": time(1, 30),
            },
        )
        assert cursor.fetchone()[0] is True
