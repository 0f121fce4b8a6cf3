"""booking_change_quote prices a change as booking_change makes it, without locking."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Booking
from booking.services import booking_change, booking_change_quote
from core.errors import ErrorCode, IllegalTransition, ValidationError
from inventory.models import Inventory
from inventory.tests.factories import booked

pytestmark = pytest.mark.django_db


def test_the_quote_is_what_the_change_then_costs_across_a_price_change(hold, room_type):
    booking = hold(offset=10, nights=3)
    # The nights kept keep the booked price; new nights cost today's price.
    Inventory.objects.filter(room_type=room_type).update(price=130_000)
    new_in = booking.check_in + timedelta(days=1)
    new_out = booking.check_out + timedelta(days=2)

    quote = booking_change_quote(
        booking_id=booking.pk, check_in=new_in, check_out=new_out, rooms=2, adults=2
    )
    result = booking_change(
        booking_id=booking.pk, check_in=new_in, check_out=new_out, rooms=2, adults=2
    )

    assert quote.nightly_prices == [100_000, 100_000, 130_000, 130_000]
    assert quote.new_total == result.new_total == 920_000
    assert quote.difference == result.difference == 920_000 - 300_000
    assert quote.available


def test_a_quote_locks_nothing_and_changes_nothing(hold, room_type):
    booking = hold(offset=10, nights=2)

    with CaptureQueriesContext(connection) as queries:
        quote = booking_change_quote(
            booking_id=booking.pk, check_out=booking.check_out + timedelta(days=1)
        )

    assert quote.new_total == 300_000
    assert not any("FOR UPDATE" in q["sql"] or "UPDATE " in q["sql"] for q in queries)
    assert Booking.objects.get(pk=booking.pk).check_out == booking.check_out
    assert booked(room_type, booking.check_out) == 0


def test_a_quote_counts_the_bookings_own_rooms_as_free_for_it(hold, room_type):
    booking = hold(offset=10, nights=2, rooms=3, adults=3)  # every room of the type

    quote = booking_change_quote(
        booking_id=booking.pk, check_in=booking.check_in + timedelta(days=1)
    )
    sold_out = booking_change_quote(
        booking_id=booking.pk, check_out=booking.check_out + timedelta(days=1), rooms=3
    )

    assert quote.available
    assert sold_out.available  # the extra night is free
    hold(offset=12, nights=1)  # someone takes a room of the extra night
    assert (
        booking_change_quote(
            booking_id=booking.pk, check_out=booking.check_out + timedelta(days=1)
        ).problem.code
        == ErrorCode.SOLD_OUT
    )


def test_a_quote_refuses_what_the_change_refuses(hold):
    booking = hold(offset=10, nights=2)

    with pytest.raises(ValidationError) as same:
        booking_change_quote(booking_id=booking.pk, check_in=booking.check_in)
    with pytest.raises(ValidationError) as bad:
        booking_change_quote(
            booking_id=booking.pk, check_out=booking.check_in - timedelta(days=1)
        )
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    with pytest.raises(IllegalTransition):
        booking_change_quote(booking_id=booking.pk, rooms=2, adults=2)

    assert same.value.code == ErrorCode.NOTHING_TO_CHANGE
    assert bad.value.code == ErrorCode.INVALID_DATES


def test_a_change_at_another_price_than_expected_changes_nothing(hold, room_type):
    booking = hold(offset=10, nights=2)
    new_out = booking.check_out + timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        booking_change(booking_id=booking.pk, check_out=new_out, expected_total=250_000)

    assert refused.value.code == ErrorCode.PRICE_CHANGED
    assert refused.value.params["new_total"] == 300_000
    assert Booking.objects.get(pk=booking.pk).total == 200_000
    assert booked(room_type, booking.check_out) == 0
    done = booking_change(
        booking_id=booking.pk, check_out=new_out, expected_total=300_000
    )
    assert done.new_total == 300_000
