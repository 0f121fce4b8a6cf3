"""Pieces the booking services share: loading what a request names, guest details."""

import functools
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection

from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.models import Hotel, RoomType
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


def _columns(model, alias: str) -> tuple[list[str], str]:
    names = [field.attname for field in model._meta.concrete_fields]
    return names, ", ".join(
        f'{alias}."{field.column}"' for field in model._meta.concrete_fields
    )


@functools.cache
def _plan_query() -> tuple[list[str], list[str], list[str], str]:
    plan_names, plan_cols = _columns(RatePlan, "p")
    type_names, type_cols = _columns(RoomType, "rt")
    hotel_names, hotel_cols = _columns(Hotel, "h")
    sql = f"""
        SELECT {plan_cols}, {type_cols}, {hotel_cols}, cp.name,
               (SELECT json_agg(json_build_object(
                           'days_before', r.days_before, 'refund_percent', r.refund_percent)
                       ORDER BY r.days_before DESC)
                FROM hotels_cancellationrule r WHERE r.policy_id = cp.id)
        FROM inventory_rateplan p
        JOIN hotels_roomtype rt ON rt.id = p.room_type_id
        JOIN hotels_hotel h ON h.id = rt.hotel_id
        LEFT JOIN hotels_cancellationpolicy cp ON cp.id = p.cancellation_policy_id
        WHERE p.id = %s
    """  # noqa: S608 (column lists come from the models)
    return plan_names, type_names, hotel_names, sql


def plan_read(rate_plan_id: int) -> tuple[str, list]:
    """Return the SQL and params that read a rate plan for plan_from_row()."""
    return _plan_query()[3], [rate_plan_id]


def plan_from_row(row: tuple | None) -> RatePlan:
    """Build a bookable rate plan, its room type, hotel and policy from plan_read()'s row.

    The plan carries `policy_snapshot`, the cancellation policy as a booking freezes it
    (CancellationPolicy.snapshot()).
    Raises NotFound (no row), or Unavailable when the plan, room type or hotel is off.
    """
    if row is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such rate plan.")
    plan_names, type_names, hotel_names, _ = _plan_query()
    a, b, c = len(plan_names), len(plan_names) + len(type_names), -2
    plan = RatePlan.from_db("default", plan_names, row[:a])
    room_type = RoomType.from_db("default", type_names, row[a:b])
    hotel = Hotel.from_db("default", hotel_names, row[b:c])
    room_type.hotel = hotel
    plan.room_type = room_type
    policy_name, rules = row[c:]
    plan.policy_snapshot = (
        {"name": policy_name, "rules": rules or []}
        if plan.cancellation_policy_id
        else {}
    )
    if not (
        plan.is_active and room_type.is_active and hotel.status == Hotel.Status.ACTIVE
    ):
        raise Unavailable(ErrorCode.NOT_BOOKABLE, "This rate is not on sale.")
    return plan


def load_rate_plan(rate_plan_id: int) -> RatePlan:
    """Return a bookable rate plan with its room type, hotel and policy, in one query.

    A fixed SQL statement: this runs on every quote. Raises what plan_from_row() raises.
    """
    sql, params = plan_read(rate_plan_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return plan_from_row(cursor.fetchone())


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
