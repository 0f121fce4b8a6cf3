"""The housekeeping board: rooms by status, each changed with one click."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from booking.models import RoomAssignment
from core.errors import DomainError
from hotels.models import Room
from inventory.housekeeping import HousekeepingResult, room_set_housekeeping

from .base import hotel_today


def _nights(nights: list[date]) -> str:
    return ", ".join(f"{night:%d %b}" for night in nights)


def tell_housekeeping(request, result: HousekeepingResult) -> None:
    """Say what a housekeeping change did: the room's status, the nights it moved,
    and the nights where a guest now needs another room."""
    room = result.room
    label = room.get_housekeeping_status_display().lower()
    text = f"Room {room.number} is now {label}."
    if result.nights_changed:
        out = Room.Housekeeping.OUT_OF_ORDER
        verb = "less" if room.housekeeping_status == out else "more"
        text += f" One room {verb} to sell on {len(result.nights_changed)} night(s)."
    messages.success(request, text)
    if result.nights_overbooked:
        messages.warning(
            request,
            f"Every room of type {room.room_type.name} is booked on "
            f"{_nights(result.nights_overbooked)}: those nights keep their "
            "rooms to sell and a guest needs another room.",
        )


def housekeeping_view(request, hotel, context):
    today = hotel_today(hotel)
    if request.method == "POST":
        raw = request.POST.get("room", "")
        room = (
            Room.objects.filter(pk=int(raw), hotel=hotel).first()
            if raw.isdigit()
            else None
        )
        until = None
        if request.POST.get("until"):
            try:
                until = date.fromisoformat(request.POST["until"])
            except ValueError:
                messages.error(request, "Enter the last night as a date.")
                return redirect(
                    reverse("admin:hotels_hotel_housekeeping", args=[hotel.pk])
                )
        if room is None:
            messages.error(request, "No such room at this hotel.")
        else:
            try:
                result = room_set_housekeeping(
                    room_id=room.pk,
                    status=request.POST.get("status", ""),
                    out_of_order_until=until,
                )
            except DomainError as error:
                messages.error(request, f"Room {room.number}: {error.message}")
            else:
                tell_housekeeping(request, result)
        return redirect(reverse("admin:hotels_hotel_housekeeping", args=[hotel.pk]))

    rooms = list(
        Room.objects.filter(hotel=hotel).select_related("room_type").order_by("number")
    )
    occupied = set(
        RoomAssignment.objects.filter(
            room__hotel=hotel,
            stay__contains=today,
            booking__status="checked_in",
        ).values_list("room_id", flat=True)
    )
    columns = []
    for status, label in Room.Housekeeping.choices:
        column = [room for room in rooms if room.housekeeping_status == status]
        for room in column:
            room.occupied = room.pk in occupied
            room.other_statuses = [
                (value, text)
                for value, text in Room.Housekeeping.choices
                if value != status
            ]
        columns.append((status, label, column))
    context.update(
        columns=columns,
        today=today,
        tomorrow=today + timedelta(days=1),
        OUT_OF_ORDER=Room.Housekeeping.OUT_OF_ORDER,
    )
    return TemplateResponse(request, "admin/backoffice/housekeeping.html", context)
