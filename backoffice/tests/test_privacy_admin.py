"""A guest's data in the admin: staff export or erase by e-mail, within their hotels."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from booking.models import Booking
from booking.services import GuestDetails, booking_cancel, booking_hold
from hotels.tests.factories import (
    HotelFactory,
    RoomTypeFactory,
    hotel_today,
    staff,
)
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory
from privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db

URL = reverse("admin:privacy_guest_data")


def _stay(hotel, email, name="Chris Guest", offset=5):
    """A cancelled stay of `email` at `hotel` (nothing live: it may be erased)."""
    room_type = RoomTypeFactory(hotel=hotel)
    today = hotel_today(hotel)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=30))
    plan = RatePlanFactory(room_type=room_type)
    check_in = today + timedelta(days=offset)
    booking = booking_hold(
        rate_plan_id=plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=1)),
        guest=GuestDetails(name=name, email=email, phone="555-0100"),
        source="site",
    )
    return booking_cancel(booking_id=booking.pk)


@pytest.fixture
def two_hotels():
    return HotelFactory(name="Alpha"), HotelFactory(name="Bravo")


@pytest.fixture
def manager_a(client, two_hotels):
    client.force_login(staff("manager_a", two_hotels[0], role="manager"))
    return client


def test_a_manager_exports_only_the_bookings_of_their_own_hotels(manager_a, two_hotels):
    alpha, bravo = two_hotels
    here = _stay(alpha, "chris@example.com")
    elsewhere = _stay(bravo, "chris@example.com")

    response = manager_a.post(URL, {"email": "Chris@Example.com", "action": "export"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert [b["reference"] for b in data["bookings"]] == [here.reference]
    assert elsewhere.reference not in response.content.decode()
    assert data["account"] is None
    record = PrivacyRequest.objects.get()
    assert (record.action, record.actor_name, list(record.hotels.all())) == (
        "export",
        "manager_a",
        [alpha],
    )


def test_a_manager_cannot_export_or_erase_a_guest_of_another_hotel(
    manager_a, two_hotels
):
    booking = _stay(two_hotels[1], "dana@example.com", name="Dana Else")
    for action in ("export", "erase"):
        response = manager_a.post(
            URL, {"email": "dana@example.com", "action": action, "confirm": "on"}
        )
        assert response.status_code == 404
        assert b"No guest with this e-mail address has bookings at your hotels" in (
            response.content
        )
    assert Booking.objects.get(pk=booking.pk).guest_name == "Dana Else"
    assert not PrivacyRequest.objects.exists()


def test_a_manager_cannot_erase_a_guest_who_also_stayed_elsewhere(
    manager_a, two_hotels
):
    here = _stay(two_hotels[0], "eve@example.com", name="Eve Both")
    there = _stay(two_hotels[1], "eve@example.com", name="Eve Both")

    response = manager_a.post(
        URL, {"email": "eve@example.com", "action": "erase", "confirm": "on"}
    )

    assert response.status_code == 409
    assert b"only an administrator can erase it" in response.content
    for booking in (here, there):
        assert Booking.objects.get(pk=booking.pk).guest_name == "Eve Both"


def test_a_manager_erases_a_guest_of_their_hotel_after_ticking_the_check(
    manager_a, two_hotels
):
    booking = _stay(two_hotels[0], "finn@example.com", name="Finn Here")
    unticked = manager_a.post(URL, {"email": "finn@example.com", "action": "erase"})
    assert unticked.status_code == 400
    assert Booking.objects.get(pk=booking.pk).guest_name == "Finn Here"

    response = manager_a.post(
        URL, {"email": "finn@example.com", "action": "erase", "confirm": "on"}
    )

    assert response.status_code == 302
    erased = Booking.objects.get(pk=booking.pk)
    assert (erased.guest_name, erased.guest_email, erased.guest_phone) == (
        "Erased guest",
        "",
        "",
    )
    assert PrivacyRequest.objects.get().action == "erasure"
    # The manager sees the record of it, among their hotels' records.
    changelist = reverse("admin:privacy_privacyrequest_changelist")
    listing = manager_a.get(changelist, {"q": booking.reference})
    assert listing.status_code == 200
    assert booking.reference in listing.content.decode()
    assert reverse("admin:privacy_guest_data") in listing.content.decode()


def test_bad_input_is_a_form_error_and_changes_nothing(manager_a, two_hotels):
    booking = _stay(two_hotels[0], "gil@example.com", name="Gil Kept")
    for data in (
        {"email": "not an address", "action": "export"},
        {"email": "gil@example.com", "action": "delete-everything"},
        {},
    ):
        response = manager_a.post(URL, data)
        assert response.status_code == 400
        assert b"errornote" in response.content
    assert Booking.objects.get(pk=booking.pk).guest_name == "Gil Kept"
    assert not PrivacyRequest.objects.exists()


def test_front_desk_may_not_export_or_erase(client, two_hotels):
    _stay(two_hotels[0], "hal@example.com")
    client.force_login(staff("desk", two_hotels[0], role="front_desk"))

    assert client.get(URL).status_code == 403
    assert (
        client.post(URL, {"email": "hal@example.com", "action": "export"}).status_code
        == 403
    )
    assert not PrivacyRequest.objects.exists()


def test_a_superuser_erases_a_guest_with_a_site_account(client, two_hotels):
    guest_id = get_user_model().objects.create_user("ivy", email="ivy@example.com").pk
    booking = _stay(two_hotels[1], "ivy@example.com", name="Ivy Account")
    admin_user = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin_user)

    response = client.post(
        URL, {"email": "ivy@example.com", "action": "erase", "confirm": "on"}
    )

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=guest_id).exists()
    assert Booking.objects.get(pk=booking.pk).guest_email == ""
    record = PrivacyRequest.objects.get()
    assert (record.actor, record.subject_user_id) == (admin_user, guest_id)
