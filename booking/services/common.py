"""Pieces the booking services share: loading what a request names, guest details."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.models import Hotel
from inventory.models import RatePlan
from inventory.rules import StayRequest

from ..models import Booking


@dataclass(frozen=True, slots=True)
class GuestDetails:
    name: str
    email: str
    phone: str = ""
    special_requests: str = ""


def validate_guest(guest: GuestDetails) -> None:
    """Raise ValidationError naming each field that is missing or malformed."""
    problems = {}
    if not guest.name.strip():
        problems["name"] = "Enter the guest's name."
    elif len(guest.name) > 200:
        problems["name"] = "Use at most 200 characters."
    try:
        validate_email(guest.email)
    except DjangoValidationError:
        problems["email"] = "Enter a valid e-mail address."
    if len(guest.phone) > 40:
        problems["phone"] = "Use at most 40 characters."
    if len(guest.special_requests) > 2000:
        problems["special_requests"] = "Use at most 2000 characters."
    if problems:
        raise ValidationError(
            ErrorCode.INVALID_GUEST_DETAILS, "Check the guest details.", fields=problems
        )


def load_rate_plan(rate_plan_id: int) -> RatePlan:
    """Return a bookable rate plan with its room type, hotel and policy rules.

    Raises NotFound, or Unavailable when the plan, room type or hotel is switched off.
    """
    plan = (
        RatePlan.objects.select_related("room_type__hotel", "cancellation_policy")
        .prefetch_related("cancellation_policy__rules")
        .filter(pk=rate_plan_id)
        .first()
    )
    if plan is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such rate plan.")
    room_type = plan.room_type
    if not (
        plan.is_active
        and room_type.is_active
        and room_type.hotel.status == Hotel.Status.ACTIVE
    ):
        raise Unavailable(ErrorCode.NOT_BOOKABLE, "This rate is not on sale.")
    return plan


def lock_booking(booking_id: int) -> Booking:
    """Lock and return a booking row (not the rows it points at) with its hotel and type.

    Raises NotFound.
    """
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("hotel", "room_type", "rate_plan")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    return booking


def request_fingerprint(
    rate_plan_id: int, stay: StayRequest, guest: GuestDetails
) -> str:
    """Return a digest of what a hold request asks for, to spot a reused idempotency key."""
    parts = [
        rate_plan_id,
        stay.check_in,
        stay.check_out,
        stay.rooms,
        stay.adults,
        stay.children,
        guest.name.strip(),
        guest.email.strip().lower(),
        guest.phone.strip(),
        guest.special_requests.strip(),
    ]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
