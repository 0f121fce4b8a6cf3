"""booking_reinstate: a paid booking whose hold lapsed takes its rooms again, or none."""

from datetime import timedelta

import pytest

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import (
    booking_cancel,
    booking_expire,
    booking_hold,
    booking_reinstate,
)
from booking.tests.factories import GUEST, make_overdue
from core.errors import ErrorCode, IllegalTransition, Unavailable
from core.testing import run_together
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.tests.factories import booked

from .test_races import guest, small_hotel

pytestmark = pytest.mark.django_db


def test_an_expired_booking_takes_its_free_rooms_again_and_is_confirmed(
    hold, room_type, today
):
    booking = hold(offset=10, nights=2, rooms=2, adults=2)
    make_overdue(booking)
    booking_expire(booking_id=booking.pk)
    night = today + timedelta(days=10)
    assert booked(room_type, night) == 0

    reinstated = booking_reinstate(booking_id=booking.pk)

    assert reinstated.status == BookingStatus.CONFIRMED
    assert reinstated.confirmed_at is not None
    assert booked(room_type, night) == 2
    assert booked(room_type, night + timedelta(days=1)) == 2
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []
    # Again: harmless, nothing taken twice.
    booking_reinstate(booking_id=booking.pk)
    assert booked(room_type, night) == 2


def test_an_overdue_hold_is_confirmed_in_place_without_taking_rooms_twice(
    hold, room_type, today
):
    booking = hold(offset=10, nights=1)
    make_overdue(booking)

    assert booking_reinstate(booking_id=booking.pk).status == BookingStatus.CONFIRMED
    assert booked(room_type, today + timedelta(days=10)) == 1
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_when_a_night_was_sold_meanwhile_nothing_is_taken(hold, room_type, today):
    booking = hold(offset=10, nights=2, rooms=2, adults=2)
    make_overdue(booking)
    booking_expire(booking_id=booking.pk)
    # Two of the three rooms of the second night go to someone else.
    hold(offset=11, nights=1, rooms=2, adults=2)

    with pytest.raises(Unavailable) as refused:
        booking_reinstate(booking_id=booking.pk)

    assert refused.value.code == ErrorCode.SOLD_OUT
    second = (today + timedelta(days=11)).isoformat()
    assert refused.value.params["free"][second] == 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.EXPIRED
    assert booked(room_type, today + timedelta(days=10)) == 0
    assert booked(room_type, today + timedelta(days=11)) == 2
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_a_cancelled_booking_is_not_reinstated(hold):
    booking = hold()
    booking_cancel(booking_id=booking.pk)

    with pytest.raises(IllegalTransition):
        booking_reinstate(booking_id=booking.pk)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_the_last_room_goes_to_the_paid_reinstatement_or_the_new_hold_never_both():
    room_type, plan, today = small_hotel(rooms=1)
    night = today + timedelta(days=5)
    stay = StayRequest(night, night + timedelta(days=1))
    lapsed = booking_hold(rate_plan_id=plan.pk, stay=stay, guest=GUEST, source="site")
    make_overdue(lapsed)
    booking_expire(booking_id=lapsed.pk)

    def work(i):
        if i == 0:
            return booking_reinstate(booking_id=lapsed.pk)
        return booking_hold(
            rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site"
        )

    outcomes = run_together(8, work)

    winners = [o for o in outcomes if o.error is None]
    assert len(winners) == 1, [repr(o.error) for o in outcomes]
    assert all(
        isinstance(o.error, Unavailable) for o in outcomes if o.error is not None
    )

    assert Inventory.objects.get(room_type=room_type, date=night).booked == 1
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []
