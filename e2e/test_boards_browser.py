"""The planning boards in a real browser: the tape chart (pick a room without
JavaScript, drag a bar with it) and a +10% rate change with its preview and undo."""

import re
from datetime import time, timedelta

import pytest

from booking.models import RoomAssignment
from booking.services import (
    GuestDetails,
    booking_assign_room,
    booking_confirm,
    booking_hold,
)
from hotels.tests.factories import (
    HotelFactory,
    RoomFactory,
    RoomTypeFactory,
    hotel_today,
    staff,
)
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board():
    hotel = HotelFactory(name="Casa do Rio", same_day_cutoff=time.max)
    room_type = RoomTypeFactory(
        hotel=hotel, name="Double Room", room_count=3, base_price=10_000
    )
    today = hotel_today(hotel)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=60))
    plan = RatePlanFactory(room_type=room_type, name="Flexible")
    RatePlanFactory(room_type=room_type, name="Saver", price_adjustment_bp=-1_000)
    rooms = [
        RoomFactory(room_type=room_type, number=number, floor=floor)
        for number, floor in (("101", 1), ("102", 1), ("201", 2))
    ]
    check_in = today + timedelta(days=2)
    booking = booking_hold(
        rate_plan_id=plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=3), 1, 1),
        guest=GuestDetails(name="Grace Hopper", email="grace@example.com"),
        source="site",
    )
    booking_confirm(booking_id=booking.pk)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)
    staff("manager", hotel, role="manager")
    return {
        "hotel": hotel,
        "room_type": room_type,
        "rooms": rooms,
        "booking": booking,
        "today": today,
    }


def sign_in(page, username="manager"):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def room_of(booking):
    return RoomAssignment.objects.get(booking=booking).room.number


def test_pick_a_room_in_a_bar_without_javascript(browser, live_server, board):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page)
    hotel, booking = board["hotel"], board["booking"]
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/tapechart/")

    bar = page.locator(f"#room-{board['rooms'][0].pk} .tc-bar")
    assert "Grace Hopper" in bar.inner_text()
    bar.locator("summary").click()
    bar.locator("select[name=to_room]").select_option(str(board["rooms"][2].pk))
    bar.locator("button[type=submit]").click()

    page.wait_for_selector(".messagelist")
    assert "is now in room 201" in page.locator(".messagelist").inner_text()
    assert room_of(booking) == "201"
    assert page.locator(f"#room-{board['rooms'][2].pk} .tc-bar").count() == 1
    context.close()


def test_drag_a_bar_onto_another_room(page, board, screenshot):
    sign_in(page)
    hotel, booking, rooms = board["hotel"], board["booking"], board["rooms"]
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/tapechart/")
    screenshot(page, "tapechart")

    page.drag_and_drop(f"#room-{rooms[0].pk} .tc-bar", f"#room-{rooms[1].pk} th")

    page.wait_for_selector(".messagelist")
    assert "is now in room 102" in page.locator(".messagelist").inner_text()
    assert room_of(booking) == "102"
    assert page.locator(f"#room-{rooms[1].pk} .tc-bar").count() == 1


def test_a_drag_onto_a_taken_room_is_refused_with_a_message(page, board):
    hotel, booking, rooms = board["hotel"], board["booking"], board["rooms"]
    other = booking_hold(
        rate_plan_id=booking.rate_plan_id,
        stay=StayRequest(booking.check_in, booking.check_out, 1, 1),
        guest=GuestDetails(name="Alan Turing", email="alan@example.com"),
        source="site",
    )
    booking_confirm(booking_id=other.pk)
    booking_assign_room(booking_id=other.pk, room_id=rooms[1].pk)
    sign_in(page)
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/tapechart/")

    page.drag_and_drop(f"#room-{rooms[0].pk} .tc-bar", f"#room-{rooms[1].pk} th")

    page.wait_for_selector(".messagelist")
    assert "already assigned" in page.locator(".messagelist").inner_text()
    assert room_of(booking) == "101" and room_of(other) == "102"


def test_plus_ten_percent_with_preview_then_undo(page, board, screenshot):
    hotel, room_type, today = board["hotel"], board["room_type"], board["today"]
    start = today + timedelta(days=3)
    sign_in(page)
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/rates/")

    page.fill("#id_start", start.isoformat())
    page.fill("#id_last", (start + timedelta(days=6)).isoformat())
    page.select_option(f"#id_kind_{room_type.pk}", "percent")
    page.fill(f"#id_value_{room_type.pk}", "+10")
    page.click("button[value=preview]")

    assert "7 nights change" in page.locator("#preview-counts").inner_text()
    preview = page.locator(".rt-preview").inner_text()
    assert "€100.00 → €110.00" in preview and "€90.00 → €99.00" in preview
    screenshot(page, "rates-preview")
    assert Inventory.objects.get(room_type=room_type, date=start).price == 10_000
    page.click("button[value=apply]")

    page.wait_for_selector(".messagelist")
    assert "7 night(s)" in page.locator(".messagelist").inner_text()
    assert Inventory.objects.get(room_type=room_type, date=start).price == 11_000
    page.click(".rt-changes button:has-text('Undo')")

    page.wait_for_selector(".messagelist")
    assert (
        "7 night(s) and 0 plan rule(s) put back"
        in page.locator(".messagelist").inner_text()
    )
    assert set(
        Inventory.objects.filter(room_type=room_type).values_list("price", flat=True)
    ) == {10_000}


def test_one_night_edited_in_place_with_javascript(page, board):
    hotel, room_type, today = board["hotel"], board["room_type"], board["today"]
    night = today + timedelta(days=1)
    sign_in(page)
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/rates/?month={night:%Y-%m}")
    cell = page.locator(
        f"tr.rt-type[data-room-type='{room_type.pk}'] td[data-night='{night}']"
    )

    cell.locator("button.rt-price").click()
    cell.locator("input[name=price]").fill("125")
    cell.locator("input[name=price]").press("Enter")

    cell.locator("button.rt-price", has_text="125").wait_for()
    assert "€125.00" in cell.locator("button.rt-price").inner_text()
    saver = page.locator("tr.rt-plan", has_text="Saver").locator(
        f"td[data-night='{night}']"
    )
    assert saver.inner_text() == "€112.50"
    assert Inventory.objects.get(room_type=room_type, date=night).price == 12_500
