"""The guest's booking pages: find by reference + e-mail, read-only detail, my bookings."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from booking.tests.factories import GUEST

pytestmark = pytest.mark.django_db


def test_find_my_booking_with_reference_and_email_opens_it(client, hold):
    booking = hold()
    reference = booking.reference.lower()[:5] + "-" + booking.reference.lower()[5:]

    response = client.post(
        reverse("booking:find"), {"reference": reference, "email": "ADA@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("booking:detail", args=[booking.reference])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert booking.reference in page.content.decode()


def test_find_with_a_wrong_email_finds_nothing_and_opens_nothing(client, hold):
    booking = hold()

    response = client.post(
        reverse("booking:find"),
        {"reference": booking.reference, "email": "mallory@example.com"},
    )

    assert response.status_code == 400
    assert "No booking matches this reference and e-mail address." in (
        response.content.decode()
    )
    detail = reverse("booking:detail", args=[booking.reference])
    assert client.get(detail).status_code == 404


def test_booking_detail_is_a_404_for_everyone_but_its_guest(client, hold):
    owner = User.objects.create_user("ada", "ada@example.com", "pw")
    booking = hold(user=owner)
    url = reverse("booking:detail", args=[booking.reference])
    stranger = User.objects.create_user("eve", "eve@example.com", "pw")

    assert client.get(url).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("booking:detail", args=["0000000000"])).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_lookup_is_rate_limited_with_a_429(client, settings, hold):
    settings.RATELIMIT_LOOKUP = "3/m"
    booking = hold()
    wrong = {"reference": booking.reference, "email": "guess@example.com"}

    statuses = [
        client.post(reverse("booking:find"), wrong).status_code for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]
    right = {"reference": booking.reference, "email": GUEST.email}
    assert client.post(reverse("booking:find"), right).status_code == 429


def test_my_bookings_needs_sign_in_and_lists_only_mine(client, hold):
    me = User.objects.create_user("grace", "grace@example.com", "pw")
    mine = hold(user=me, offset=12)
    theirs = hold(offset=14)

    anonymous = client.get(reverse("booking:mine"))
    client.force_login(me)
    html = client.get(reverse("booking:mine")).content.decode()

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert mine.reference in html
    assert theirs.reference not in html


def test_booking_detail_shows_deadlines_in_plain_hotel_dates(client, hold):
    booking = hold(offset=20)
    client.post(
        reverse("booking:find"), {"reference": booking.reference, "email": GUEST.email}
    )

    html = client.get(
        reverse("booking:detail", args=[booking.reference])
    ).content.decode()

    free_until = booking.check_in - timedelta(days=7)
    assert (
        f"Free cancellation until {free_until:%b} {free_until.day}, {free_until.year}"
        in html
    )
    half_until = booking.check_in - timedelta(days=2)
    assert (
        f"50% refund until {half_until:%b} {half_until.day}, {half_until.year}" in html
    )
