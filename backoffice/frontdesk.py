"""The front desk for today, hotel time: arrivals, departures, guests in house."""

import re
from datetime import date

from django.contrib import messages
from django.db.backends.postgresql.psycopg_any import DateRange
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from backoffice.money import money_text
from booking import services
from booking.models import Booking, BookingStatus, RoomAssignment
from core.errors import DomainError
from hotels.models import Room
from payments.selectors import booking_refund
from payments.services import cancel_booking_and_refund

from .base import hotel_today

# Best first: an inspected room is ready, a dirty one needs housekeeping first.
STATUS_ORDER = {
    Room.Housekeeping.INSPECTED: 0,
    Room.Housekeeping.CLEAN: 1,
    Room.Housekeeping.DIRTY: 2,
}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def request_match(room: Room, requests: str) -> int:
    """Return how many of the room's features the guest's requests mention."""
    wanted = _words(requests)
    features = [f.strip() for f in room.features.split(",") if f.strip()]
    return sum(1 for feature in features if _words(feature) <= wanted)


def free_rooms(hotel, bookings: list[Booking]) -> dict[int, list[Room]]:
    """Return, per booking, the in-order rooms of its type free for its whole stay,
    best first: rooms matching the guest's requests, then by housekeeping status.
    Two queries for any number of bookings.
    """
    if not bookings:
        return {}
    start = min(b.check_in for b in bookings)
    end = max(b.check_out for b in bookings)
    rooms = list(
        Room.objects.filter(hotel=hotel)
        .exclude(housekeeping_status=Room.Housekeeping.OUT_OF_ORDER)
        .select_related("room_type")
    )
    taken: dict[int, list[DateRange]] = {}
    for room_id, stay in RoomAssignment.objects.filter(
        room__hotel=hotel, stay__overlap=DateRange(start, end, "[)")
    ).values_list("room_id", "stay"):
        taken.setdefault(room_id, []).append(stay)

    def free(room, booking):
        return all(
            stay.upper <= booking.check_in or stay.lower >= booking.check_out
            for stay in taken.get(room.pk, [])
        )

    result = {}
    for booking in bookings:
        candidates = [
            room
            for room in rooms
            if room.room_type_id == booking.room_type_id and free(room, booking)
        ]
        candidates.sort(
            key=lambda room: (
                -request_match(room, booking.special_requests),
                STATUS_ORDER.get(room.housekeeping_status, 3),
                room.number,
            )
        )
        result[booking.pk] = candidates
    return result


def today_lists(hotel, today: date) -> dict[str, list[Booking]]:
    """Return today's arrivals, departures and guests in house (one query)."""
    bookings = list(
        Booking.objects.filter(hotel=hotel)
        .filter(
            status__in=[BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN],
            check_in__lte=today,
            check_out__gte=today,
        )
        .select_related("room_type")
        .prefetch_related("assignments__room")
        .order_by("guest_name")
    )
    return {
        "arrivals": [
            b
            for b in bookings
            if b.status == BookingStatus.CONFIRMED and b.check_in == today
        ],
        "late": [
            b
            for b in bookings
            if b.status == BookingStatus.CONFIRMED and b.check_in < today
        ],
        "departures": [
            b
            for b in bookings
            if b.status == BookingStatus.CHECKED_IN and b.check_out == today
        ],
        "in_house": [
            b
            for b in bookings
            if b.status == BookingStatus.CHECKED_IN and b.check_out > today
        ],
    }


def refund_text(booking: Booking) -> str:
    """Say, for staff, what the guest of a cancelled booking gets back and how."""
    refund = booking_refund(booking)
    amount = money_text(refund.amount, refund.currency)
    if refund.by == "partner":
        return f"{amount} paid back by {refund.partner}, who took the payment"
    if refund.by == "card" and refund.amount:
        state = {
            "succeeded": "refunded",
            "gave_up": "the refund failed: retry it under Refunds",
        }.get(refund.status, "on its way")
        return f"{amount} goes back to the guest's card ({state})"
    if refund.by == "card":
        return "the policy gives nothing back at this time"
    return "nothing was paid online, so nothing is refunded"


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _act(request, hotel) -> None:
    """Run the posted front-desk action through its booking service."""
    post = request.POST
    raw = post.get("booking", "")
    booking = (
        Booking.objects.filter(pk=int(raw), hotel=hotel).first()
        if raw.isdigit()
        else None
    )
    if booking is None:
        raise Http404("No such booking at this hotel.")
    action = post.get("action")
    ref = booking.reference
    if action == "check_in":
        rooms = _ids(post.getlist("room_ids"))
        services.booking_check_in(booking_id=booking.pk, room_ids=rooms)
        numbers = ", ".join(
            Room.objects.filter(pk__in=rooms).values_list("number", flat=True)
        )
        messages.success(
            request, f"{ref} checked in" + (f" to room {numbers}." if numbers else ".")
        )
    elif action == "check_out":
        services.booking_check_out(booking_id=booking.pk)
        messages.success(request, f"{ref} checked out; its rooms are now dirty.")
    elif action == "no_show":
        services.booking_mark_no_show(booking_id=booking.pk)
        note = ""
        if booking.payment_mode == "pay_at_hotel":
            # payments.tasks.on_booking_event charges it on the booking.no_show event.
            note = (
                " The first night is charged to the card kept as guarantee (see "
                "Payments)."
            )
        messages.success(
            request, f"{ref} marked as a no-show; rooms back on sale.{note}"
        )
    elif action == "cancel":
        cancelled = cancel_booking_and_refund(
            booking_id=booking.pk,
            reason=post.get("reason", ""),
            created_by=f"admin:{request.user.get_username()}",
        ).booking
        messages.success(request, f"{ref} cancelled; {refund_text(cancelled)}.")
    elif action == "move":
        from_ids, to_ids = _ids([post.get("from_room")]), _ids([post.get("to_room")])
        if not from_ids or not to_ids:
            messages.error(request, f"{ref}: pick the room to leave and the new room.")
            return
        services.booking_move_room(
            booking_id=booking.pk, from_room_id=from_ids[0], to_room_id=to_ids[0]
        )
        number = Room.objects.filter(pk=to_ids[0]).values_list("number", flat=True)
        messages.success(request, f"{ref} moved to room {number.first()}.")
    else:
        messages.error(request, "Unknown action.")


def frontdesk_view(request, hotel, context):
    if request.method == "POST":
        try:
            _act(request, hotel)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(reverse("admin:hotels_hotel_frontdesk", args=[hotel.pk]))
    today = hotel_today(hotel)
    lists = today_lists(hotel, today)
    movable = lists["in_house"] + lists["departures"]
    choices = free_rooms(hotel, lists["arrivals"] + lists["late"])
    # A move starts tonight: rooms free from today to each guest's departure.
    move_choices = free_rooms(
        hotel,
        [
            Booking(
                pk=b.pk,
                room_type_id=b.room_type_id,
                check_in=today,
                check_out=b.check_out,
                special_requests=b.special_requests,
            )
            for b in movable
            if b.check_out > today
        ],
    )
    for booking in lists["arrivals"] + lists["late"]:
        booking.room_choices = choices.get(booking.pk, [])
        booking.suggested = {room.pk for room in booking.room_choices[: booking.rooms]}
    for booking in movable:
        booking.move_choices = move_choices.get(booking.pk, [])
        booking.current_rooms = [
            a.room
            for a in booking.assignments.all()
            if a.stay.lower <= today < a.stay.upper
        ]
    context.update(today=today, **lists)
    return TemplateResponse(request, "admin/backoffice/frontdesk.html", context)
