"""booking_change keeps a new guest count (it was changed in memory but never saved)."""

import pytest

from booking.models import Booking
from booking.services import booking_change
from core.errors import ErrorCode, ValidationError

pytestmark = pytest.mark.django_db


def test_changing_rooms_and_guests_is_saved_and_the_same_change_again_is_refused(hold):
    booking = hold(rooms=2, adults=2)

    booking_change(booking_id=booking.pk, rooms=1, adults=1)

    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.rooms, stored.adults) == (1, 1)
    with pytest.raises(ValidationError) as same:
        booking_change(booking_id=booking.pk, rooms=1, adults=1)
    assert same.value.code == ErrorCode.NOTHING_TO_CHANGE


def test_a_change_of_guests_is_saved_and_repeating_it_changes_nothing(hold):
    booking = hold(nights=1, rooms=1)

    booking_change(booking_id=booking.pk, rooms=2, adults=2, children=1)

    saved = Booking.objects.get(pk=booking.pk)
    assert (saved.rooms, saved.adults, saved.children) == (2, 2, 1)
    with pytest.raises(ValidationError) as refused:
        booking_change(booking_id=booking.pk, rooms=2, adults=2, children=1)
    assert refused.value.code == ErrorCode.NOTHING_TO_CHANGE
