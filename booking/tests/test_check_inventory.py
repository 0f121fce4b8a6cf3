from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from booking.services import booking_confirm
from inventory.models import Inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_stay(hold):
    booking = hold(offset=10, nights=2, rooms=2, adults=2)
    booking_confirm(booking_id=booking.pk)
    return booking


def test_check_inventory_passes_when_counts_agree(booked_stay):
    out = StringIO()
    call_command("check_inventory", stdout=out)
    assert "agree" in out.getvalue()


def test_check_inventory_lists_a_corrupted_row_and_fails(booked_stay, room_type, today):
    night = today + timedelta(days=11)
    Inventory.objects.filter(room_type=room_type, date=night).update(booked=1)
    out = StringIO()

    with pytest.raises(CommandError, match="1 inventory night"):
        call_command("check_inventory", stdout=out)

    assert (
        f"room type {room_type.pk} {night}: booked=1, live bookings hold 2"
        in out.getvalue()
    )


def test_check_inventory_reports_bookings_on_nights_without_a_row(
    booked_stay, room_type, today
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=10)
    ).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_inventory", stdout=out)
    assert "no inventory row, live bookings hold 2" in out.getvalue()


def test_check_inventory_exits_non_zero_from_the_command_line(
    booked_stay, room_type, today
):
    Inventory.objects.filter(
        room_type=room_type, date=today + timedelta(days=10)
    ).update(booked=0)
    with pytest.raises(CommandError):
        call_command(
            "check_inventory", "--room-type", str(room_type.pk), stdout=StringIO()
        )
