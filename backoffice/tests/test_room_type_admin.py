"""A room type's room count or overbooking, changed on its page, reaches the open
nights: after a preview of which nights change and by how much, never below booked."""

from datetime import timedelta

import pytest

from backoffice.tests.world import form_data, url
from booking.services import booking_confirm
from hotels.models import RoomType
from inventory.models import Inventory

pytestmark = pytest.mark.django_db


def rooms_to_sell(room_type, start, nights):
    return [
        Inventory.objects.get(room_type=room_type, date=start + timedelta(days=i)).rooms
        for i in range(nights)
    ]


def page(client, room_type, **changes):
    return {**form_data(client.get(url(RoomType, "change", room_type.pk))), **changes}


def test_a_new_room_count_shows_the_nights_it_changes_and_changes_nothing_yet(
    owner_client, room_type, today
):
    response = owner_client.post(
        url(RoomType, "change", room_type.pk),
        page(owner_client, room_type, room_count=5),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="open-nights-preview"' in html
    last = today + timedelta(days=119)
    assert f"{today:%d %b %Y} – {last:%d %b %Y}" in html
    assert "120 nights" in html and "3 → 5" in html
    assert "tick the box" in str(response.context["adminform"].form.errors)
    assert RoomType.objects.get(pk=room_type.pk).room_count == 3
    assert rooms_to_sell(room_type, today, 2) == [3, 3]


def test_confirming_the_preview_changes_the_room_type_and_its_open_nights(
    owner_client, room_type, today
):
    shown = owner_client.post(
        url(RoomType, "change", room_type.pk),
        page(owner_client, room_type, room_count=5, name_en="Superior"),
    )
    data = {**form_data(shown), "apply_to_open_nights": "on"}

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 302
    changed = RoomType.objects.get(pk=room_type.pk)
    assert (changed.room_count, changed.name) == (5, "Superior")
    assert rooms_to_sell(room_type, today, 120) == [5] * 120


def test_a_confirmation_of_other_numbers_shows_the_preview_again(
    owner_client, room_type, today
):
    shown = owner_client.post(
        url(RoomType, "change", room_type.pk),
        page(owner_client, room_type, room_count=5),
    )
    data = {**form_data(shown), "apply_to_open_nights": "on", "room_count": "9"}

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 200
    assert "3 → 9" in response.content.decode()
    assert rooms_to_sell(room_type, today, 1) == [3]


def test_fewer_rooms_than_booked_is_a_form_error_naming_the_nights(
    owner_client, room_type, hold, today
):
    full = hold(offset=6, nights=1, rooms=3, adults=3)
    booking_confirm(booking_id=full.pk)
    data = page(owner_client, room_type, room_count=2, apply_to_open_nights="on")

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors)
    assert f"{full.check_in:%a %d %b %Y} (3 booked, room for 2)" in errors
    assert RoomType.objects.get(pk=room_type.pk).room_count == 3
    assert rooms_to_sell(room_type, today, 120) == [3] * 120


def test_other_fields_save_without_a_preview(owner_client, room_type, today):
    data = page(owner_client, room_type, name_en="Deluxe", base_price="120000")

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 302
    changed = RoomType.objects.get(pk=room_type.pk)
    assert (changed.name, changed.base_price, changed.room_count) == (
        "Deluxe",
        120_000,
        3,
    )
