import pytest

from booking.models import Booking
from booking.services import booking_change
from core.errors import ErrorCode, ValidationError

pytestmark = pytest.mark.django_db


def test_a_change_of_guests_is_saved_and_repeating_it_changes_nothing(hold):
    booking = hold(nights=1, rooms=1)

    booking_change(booking_id=booking.pk, rooms=2, adults=2, children=1)

    saved = Booking.objects.get(pk=booking.pk)
    assert (saved.rooms, saved.adults, saved.children) == (2, 2, 1)
    with pytest.raises(ValidationError) as refused:
        booking_change(booking_id=booking.pk, rooms=2, adults=2, children=1)
    assert refused.value.code == ErrorCode.NOTHING_TO_CHANGE
