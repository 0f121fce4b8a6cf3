"""Find the booking a payment action is about."""

from booking.models import Booking
from core.errors import ErrorCode, NotFound


def booking_for_payment(booking_id: int) -> Booking:
    """Return the booking with its hotel (its time zone words the guest's messages).

    Raises NotFound.
    """
    booking = Booking.objects.select_related("hotel").filter(pk=booking_id).first()
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    return booking
