"""The tape chart: rooms by type and floor × a fortnight, bookings as bars across
their nights; pick or drag a bar to give a booking a room or move it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.db.backends.postgresql.psycopg_any import DateRange
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from booking.models import Booking, BookingStatus, RoomAssignment
from booking.services import booking_assign_room
from booking.services.rooms import ASSIGNABLE
from core.errors import DomainError
from hotels.models import Room

from .base import hotel_today

DAYS = 14
SHOWN = (
    BookingStatus.HELD,
    BookingStatus.CONFIRMED,
    BookingStatus.CHECKED_IN,
    BookingStatus.CHECKED_OUT,
)


@dataclass
class Bar:
    """A booking's nights in one room (or unassigned), clipped to the window."""

    booking: Booking
    first: date
    end: date
    room: Room | None = None
    choices: list[Room] = field(default_factory=list)
    movable: bool = False
    clipped_start: bool = False
    clipped_end: bool = False

    missing: int = 0

    @property
    def form_id(self) -> str:
        if self.room is None:
            return f"assign-{self.booking.pk}"
        return f"move-{self.booking.pk}-{self.room.pk}"

    @property
    def nights(self) -> int:
        return (self.end - self.first).days


@dataclass
class RoomRow:
    room: Room
    cells: list  # ("free", day, out_of_order) or ("bar", Bar)


@dataclass
class TypeBlock:
    room_type: object
    floors: list[tuple[int, list[RoomRow]]]
    unassigned: list[list[Bar]]  # per day of the window
    waiting: list[Bar]  # unassigned bookings, each with its form


def window_start(value: str | None, today: date) -> date:
    """Return the first day asked for ("YYYY-MM-DD"), today when unreadable."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return today


def _free_choices(booking, start, rooms, taken, exclude) -> list[Room]:
    """Return the in-order rooms of the booking's type free over [start, check-out)."""
    return [
        room
        for room in rooms
        if room.room_type_id == booking.room_type_id
        and room.pk not in exclude
        and room.housekeeping_status != Room.Housekeeping.OUT_OF_ORDER
        and all(
            stay.upper <= start or stay.lower >= booking.check_out
            for stay in taken.get(room.pk, [])
        )
    ]


def tape_chart(hotel, start: date, today: date) -> list[TypeBlock]:
    """Return the chart of [start, start + DAYS): three queries whatever the size."""
    end = start + timedelta(days=DAYS)
    days = [start + timedelta(days=i) for i in range(DAYS)]
    rooms = list(
        Room.objects.filter(hotel=hotel, room_type__is_active=True)
        .select_related("room_type")
        .order_by("room_type__base_price", "room_type__name", "floor", "number")
    )
    bookings = {
        b.pk: b
        for b in Booking.objects.filter(
            hotel=hotel, status__in=SHOWN, check_in__lt=end, check_out__gt=start
        ).order_by("check_in", "guest_name")
    }
    span = DateRange(
        min([start, *(b.check_in for b in bookings.values())]),
        max([end, *(b.check_out for b in bookings.values())]),
        "[)",
    )
    assignments = list(
        RoomAssignment.objects.filter(
            room__hotel=hotel, stay__overlap=span
        ).values_list("booking_id", "room_id", "stay")
    )
    taken: dict[int, list[DateRange]] = defaultdict(list)
    of_booking: dict[int, list[tuple[int, DateRange]]] = defaultdict(list)
    for booking_id, room_id, stay in assignments:
        taken[room_id].append(stay)
        of_booking[booking_id].append((room_id, stay))

    def move_start(booking):
        if booking.status == BookingStatus.CHECKED_IN:
            return max(today, booking.check_in)
        return booking.check_in

    def movable(booking):
        return booking.status in ASSIGNABLE and booking.check_out > today

    by_room: dict[int, list[Bar]] = defaultdict(list)
    for booking_id, room_id, stay in assignments:
        booking = bookings.get(booking_id)
        if booking is None or stay.upper <= start or stay.lower >= end:
            continue
        bar = Bar(
            booking=booking,
            first=max(stay.lower, start),
            end=min(stay.upper, end),
            clipped_start=stay.lower < start,
            clipped_end=stay.upper > end,
            movable=movable(booking) and stay.upper > move_start(booking),
        )
        if bar.movable:
            own = {r for r, _stay in of_booking[booking_id]}
            bar.choices = _free_choices(booking, move_start(booking), rooms, taken, own)
        by_room[room_id].append(bar)

    unassigned: dict[int, list[Bar]] = defaultdict(list)
    for booking in bookings.values():
        if not movable(booking):
            continue
        first = move_start(booking)
        held = {r for r, stay in of_booking[booking.pk] if stay.upper > first}
        if len(held) >= booking.rooms:
            continue
        bar = Bar(
            booking=booking,
            first=max(first, start),
            end=min(booking.check_out, end),
            movable=True,
        )
        bar.choices = _free_choices(booking, first, rooms, taken, held)
        bar.missing = booking.rooms - len(held)
        unassigned[booking.room_type_id].append(bar)

    blocks = []
    for room_type, type_rooms in groupby(rooms, key=lambda room: room.room_type):
        floors = []
        for floor, floor_rooms in groupby(type_rooms, key=lambda room: room.floor):
            floors.append(
                (floor, [_row(room, days, by_room[room.pk]) for room in floor_rooms])
            )
        waiting = unassigned.get(room_type.pk, [])
        blocks.append(
            TypeBlock(
                room_type=room_type,
                floors=floors,
                unassigned=[
                    [bar for bar in waiting if bar.first <= day < bar.end]
                    for day in days
                ],
                waiting=waiting,
            )
        )
    return blocks


def _row(room: Room, days: list[date], bars: list[Bar]) -> RoomRow:
    out = set(room.out_of_order_nights)
    if room.housekeeping_status == Room.Housekeeping.OUT_OF_ORDER:
        until = room.out_of_order_until or days[-1]
        out |= {day for day in days if day <= until}
    starts = {bar.first: bar for bar in bars}
    cells, skip = [], 0
    for day in days:
        if skip:
            skip -= 1
            continue
        bar = starts.get(day)
        if bar is not None:
            bar.room = room
            cells.append(("bar", bar))
            skip = bar.nights - 1
        else:
            cells.append(("free", day, day in out))
    return RoomRow(room=room, cells=cells)


def _digits(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() else None


def _assign(request, hotel) -> None:
    post = request.POST
    booking_id = _digits(post.get("booking"))
    if (
        booking_id is None
        or not Booking.objects.filter(pk=booking_id, hotel=hotel).exists()
    ):
        raise Http404("No such booking at this hotel.")
    to_room = _digits(post.get("to_room"))
    from_room = _digits(post.get("from_room"))
    if to_room is None or not Room.objects.filter(pk=to_room, hotel=hotel).exists():
        messages.error(request, _("Pick the room to give this booking."))
        return
    booking = booking_assign_room(
        booking_id=booking_id, room_id=to_room, from_room_id=from_room
    )
    number = Room.objects.get(pk=to_room).number
    messages.success(
        request,
        _("%(reference)s (%(guest)s) is now in room %(room)s.")
        % {"reference": booking.reference, "guest": booking.guest_name, "room": number},
    )


def tapechart_view(request, hotel, context):
    today = hotel_today(hotel)
    url = reverse("admin:hotels_hotel_tapechart", args=[hotel.pk])
    if request.method == "POST":
        start = window_start(request.POST.get("start"), today)
        try:
            _assign(request, hotel)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{url}?start={start.isoformat()}")
    start = window_start(request.GET.get("start"), today)
    days = [start + timedelta(days=i) for i in range(DAYS)]
    blocks = tape_chart(hotel, start, today)
    context.update(
        today=today,
        start=start,
        days=days,
        blocks=blocks,
        waiting_count=sum(len(block.waiting) for block in blocks),
        previous=(start - timedelta(days=DAYS)).isoformat(),
        following=(start + timedelta(days=DAYS)).isoformat(),
        columns=DAYS + 1,
    )
    return TemplateResponse(request, "admin/backoffice/tapechart.html", context)
