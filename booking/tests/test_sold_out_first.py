"""A sold-out hint answers a hold before any SQL; a replay still gets its booking."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Booking
from core.errors import ErrorCode, Unavailable

pytestmark = pytest.mark.django_db


def test_once_a_plan_found_its_nights_short_the_next_hold_runs_no_sql(
    hold, rate_plan, room_type
):
    for _ in range(3):  # the room type has 3 rooms
        hold(offset=20, nights=1)
    with pytest.raises(Unavailable):
        hold(offset=20, nights=1)

    with CaptureQueriesContext(connection) as queries, pytest.raises(Unavailable) as no:
        hold(offset=20, nights=1)

    assert no.value.code == ErrorCode.SOLD_OUT
    assert queries.captured_queries == []
    assert Booking.objects.count() == 3


def test_a_replayed_hold_gets_its_booking_even_when_the_hint_says_short(hold):
    first = hold(offset=20, nights=1, idempotency_scope="s", idempotency_key="k1")
    for _ in range(2):
        hold(offset=20, nights=1)
    with pytest.raises(Unavailable):
        hold(offset=20, nights=1)

    again = hold(offset=20, nights=1, idempotency_scope="s", idempotency_key="k1")

    assert again.pk == first.pk
    assert Booking.objects.count() == 3


def test_a_replay_found_under_the_lock_writes_nothing(hold, room_type, today):
    first = hold(offset=20, nights=2, idempotency_scope="s", idempotency_key="k2")

    with CaptureQueriesContext(connection) as queries:
        again = hold(offset=20, nights=2, idempotency_scope="s", idempotency_key="k2")

    assert again.pk == first.pk
    assert not any("INSERT" in q["sql"] for q in queries.captured_queries)
    night = today + timedelta(days=20)
    assert room_type.inventory.get(date=night).booked == 1


def test_a_new_key_the_caller_vouches_for_skips_the_lookup_but_not_the_constraint(
    hold,
):
    first = hold(offset=20, nights=1, idempotency_scope="s", idempotency_key="k3")

    again = hold(
        offset=20,
        nights=1,
        idempotency_scope="s",
        idempotency_key="k3",
        key_is_new=True,
    )

    assert again.pk == first.pk
    assert Booking.objects.count() == 1
