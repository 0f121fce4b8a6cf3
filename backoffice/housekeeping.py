"""The housekeeping board: rooms by floor, who cleans them, what is due today, and
each status changed with one tap (a small POST form; with JavaScript, in place)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from booking.models import BookingStatus, RoomAssignment
from core.dates import format_date
from core.errors import DomainError
from hotels.models import HotelMembership, Room
from hotels.scoping import scope_for
from inventory.housekeeping import (
    HousekeepingResult,
    room_set_housekeeping,
    rooms_assign_housekeeper,
)

from .base import hotel_today

STATUSES = Room.Housekeeping


def status_labels() -> dict[str, str]:
    """The housekeeping statuses in the reader's language."""
    return {
        STATUSES.CLEAN: _("Clean"),
        STATUSES.DIRTY: _("Dirty"),
        STATUSES.INSPECTED: _("Inspected"),
        STATUSES.OUT_OF_ORDER: _("Out of order"),
    }


def _nights(nights: list[date]) -> str:
    return ", ".join(format_date(n, get_language() or "en") for n in nights)


def housekeeping_messages(result: HousekeepingResult) -> list[tuple[int, str]]:
    """Say what a housekeeping change did: the room's status, the nights it moved,
    and the nights where a guest now needs another room, as (level, text)."""
    room = result.room
    label = status_labels()[room.housekeeping_status].lower()
    text = _("Room %(number)s is now %(status)s.") % {
        "number": room.number,
        "status": label,
    }
    if result.nights_changed:
        values = {"count": len(result.nights_changed)}
        if room.housekeeping_status == STATUSES.OUT_OF_ORDER:
            text += " " + _("One room less to sell on %(count)d night(s).") % values
        else:
            text += " " + _("One room more to sell on %(count)d night(s).") % values
    said = [(messages.SUCCESS, text)]
    if result.nights_overbooked:
        said.append(
            (
                messages.WARNING,
                _(
                    "Every room of type %(type)s is booked on %(nights)s: those nights "
                    "keep their rooms to sell and a guest needs another room."
                )
                % {
                    "type": room.room_type.name,
                    "nights": _nights(result.nights_overbooked),
                },
            )
        )
    return said


def tell_housekeeping(request, result: HousekeepingResult) -> None:
    """Put what a housekeeping change did into the page's messages."""
    for level, text in housekeeping_messages(result):
        messages.add_message(request, level, text)


@dataclass
class Floor:
    number: int
    rooms: list = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        have = Counter(room.housekeeping_status for room in self.rooms)
        labels = status_labels()
        return [(value, labels[value], have[value]) for value in STATUSES.values]


def _due_today(hotel, today: date) -> dict[int, str]:
    """Return room id -> what is due in it today: "departure" (the guest leaves
    today), "departed" (left today), "stayover" (staying on) or "arrival" (a guest
    arrives today in a room already given)."""
    rows = RoomAssignment.objects.filter(
        room__hotel=hotel,
        booking__status__in=[
            BookingStatus.CONFIRMED,
            BookingStatus.CHECKED_IN,
            BookingStatus.CHECKED_OUT,
        ],
    ).filter(Q(stay__contains=today) | Q(booking__check_out=today))
    due: dict[int, str] = {}
    rank = {"departure": 0, "departed": 1, "arrival": 2, "stayover": 3}
    for room_id, status, check_in, check_out in rows.values_list(
        "room_id", "booking__status", "booking__check_in", "booking__check_out"
    ):
        if status == BookingStatus.CHECKED_IN:
            what = "departure" if check_out == today else "stayover"
        elif status == BookingStatus.CHECKED_OUT:
            if check_out != today:
                continue
            what = "departed"
        else:
            if check_in != today:
                continue
            what = "arrival"
        if room_id not in due or rank[what] < rank[due[room_id]]:
            due[room_id] = what
    return due


def due_labels() -> dict[str, str]:
    return {
        "departure": _("Departure today"),
        "departed": _("Checked out today"),
        "stayover": _("Stayover"),
        "arrival": _("Arrival today"),
    }


def _staff(hotel) -> list[tuple[int, str]]:
    members = (
        HotelMembership.objects.filter(hotel=hotel, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    return [
        (
            m.user_id,
            f"{m.user.get_full_name() or m.user.username} ({role_label(m.role)})",
        )
        for m in members
    ]


def role_label(role: str) -> str:
    return {
        HotelMembership.Role.OWNER: _("Owner"),
        HotelMembership.Role.MANAGER: _("Manager"),
        HotelMembership.Role.FRONT_DESK: _("Front desk"),
        HotelMembership.Role.HOUSEKEEPING: _("Housekeeping"),
    }.get(role, role)


def _board_url(hotel, request, anchor: str = "") -> str:
    url = reverse("admin:hotels_hotel_housekeeping", args=[hotel.pk])
    if request.GET.get("mine") == "1" or request.POST.get("mine") == "1":
        url += "?" + urlencode({"mine": "1"})
    return url + (f"#{anchor}" if anchor else "")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(request, hotel, said, *, room=None, ok=True):
    """Answer a POST: JSON for the page's script, else messages and a redirect."""
    if _wants_json(request):
        data = {"ok": ok, "messages": [text for _, text in said]}
        if room is not None:
            data.update(
                room=room.pk,
                number=room.number,
                status=room.housekeeping_status,
                label=status_labels()[room.housekeeping_status],
                counts=dict(
                    Counter(
                        Room.objects.filter(hotel=hotel, floor=room.floor).values_list(
                            "housekeeping_status", flat=True
                        )
                    )
                ),
                floor=room.floor,
            )
        return JsonResponse(data, status=200 if ok else 400)
    for level, text in said:
        messages.add_message(request, level, text)
    anchor = f"room-{room.number}" if room is not None else ""
    return redirect(_board_url(hotel, request, anchor))


def _set_status(request, hotel):
    raw = request.POST.get("room", "")
    room = (
        Room.objects.filter(pk=int(raw), hotel=hotel).first() if raw.isdigit() else None
    )
    if room is None:
        return _answer(
            request,
            hotel,
            [(messages.ERROR, _("No such room at this hotel."))],
            ok=False,
        )
    until = None
    if request.POST.get("until"):
        try:
            until = date.fromisoformat(request.POST["until"])
        except ValueError:
            return _answer(
                request,
                hotel,
                [(messages.ERROR, _("Enter the last night as a date."))],
                room=room,
                ok=False,
            )
    try:
        result = room_set_housekeeping(
            room_id=room.pk,
            status=request.POST.get("status", ""),
            out_of_order_until=until,
        )
    except DomainError as error:
        text = _("Room %(number)s: %(error)s") % {
            "number": room.number,
            "error": error.message,
        }
        return _answer(request, hotel, [(messages.ERROR, text)], room=room, ok=False)
    return _answer(request, hotel, housekeeping_messages(result), room=result.room)


def _assign(request, hotel):
    raw_user = request.POST.get("housekeeper", "")
    if raw_user and not raw_user.isdigit():
        return _answer(
            request,
            hotel,
            [(messages.ERROR, _("Pick someone who works at this hotel."))],
            ok=False,
        )
    user_id = int(raw_user) if raw_user else None
    if request.POST.get("floor", "").lstrip("-").isdigit():
        floor = int(request.POST["floor"])
        room_ids = list(
            Room.objects.filter(hotel=hotel, floor=floor).values_list("pk", flat=True)
        )
    else:
        room_ids = [int(r) for r in request.POST.getlist("room") if r.isdigit()]
        floor = None
    try:
        rooms = rooms_assign_housekeeper(
            hotel_id=hotel.pk, room_ids=room_ids, user_id=user_id
        )
    except DomainError as error:
        return _answer(request, hotel, [(messages.ERROR, error.message)], ok=False)
    names = dict(
        HotelMembership.objects.filter(hotel=hotel).values_list(
            "user_id", "user__username"
        )
    )
    numbers = ", ".join(room.number for room in rooms)
    if user_id is None:
        text = _("Nobody cleans room(s) %(rooms)s now.") % {"rooms": numbers}
    else:
        text = _("%(name)s cleans room(s) %(rooms)s.") % {
            "name": names.get(user_id, user_id),
            "rooms": numbers,
        }
    if _wants_json(request):
        return JsonResponse({"ok": True, "messages": [text]})
    messages.success(request, text)
    anchor = f"floor-{floor}" if floor is not None else f"room-{rooms[0].number}"
    return redirect(_board_url(hotel, request, anchor))


def housekeeping_view(request, hotel, context):
    # Who cleans which room is set by the staff who run rooms (owners, managers,
    # front desk); cleaners (the housekeeping role) change statuses only.
    can_assign = scope_for(request).has_perm("hotels.change_room", hotel.pk)
    if request.method == "POST":
        if request.POST.get("action") == "assign":
            if not can_assign:
                raise PermissionDenied
            return _assign(request, hotel)
        return _set_status(request, hotel)

    today = hotel_today(hotel)
    mine = request.GET.get("mine") == "1"
    rooms = Room.objects.filter(hotel=hotel).select_related("room_type", "housekeeper")
    if mine:
        rooms = rooms.filter(housekeeper=request.user)
    rooms = sorted(rooms, key=lambda r: (r.floor, len(r.number), r.number))
    due = _due_today(hotel, today)
    labels, due_text = status_labels(), due_labels()
    floors: dict[int, Floor] = {}
    for room in rooms:
        room.due = due.get(room.pk, "")
        room.due_label = due_text.get(room.due, "")
        room.status_label = labels[room.housekeeping_status]
        room.housekeeper_name = (
            (room.housekeeper.get_full_name() or room.housekeeper.username)
            if room.housekeeper
            else ""
        )
        room.buttons = [
            (value, labels[value], value == room.housekeeping_status)
            for value in STATUSES.values
        ]
        floors.setdefault(room.floor, Floor(room.floor)).rooms.append(room)
    due_counts = Counter(room.due for room in rooms if room.due)
    context.update(
        floors=list(floors.values()),
        # The old board's columns, kept for readers of the context (all the rooms).
        columns=[
            (value, labels[value], [r for r in rooms if r.housekeeping_status == value])
            for value in STATUSES.values
        ],
        mine=mine,
        can_assign=can_assign,
        staff=_staff(hotel) if can_assign else [],
        due_counts=[(key, due_text[key], due_counts[key]) for key in due_text],
        today=today,
        tomorrow=today + timedelta(days=1),
        OUT_OF_ORDER=STATUSES.OUT_OF_ORDER,
    )
    return TemplateResponse(request, "admin/backoffice/housekeeping.html", context)
