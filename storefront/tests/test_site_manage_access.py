"""Who may open a booking's pages: its guest, by account, reference or e-mailed link.

Anyone else finds nothing: not with a guessed reference, a forged or stale link or a
tampered form.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.access import link_token
from booking.models import Booking, BookingStatus
from booking.services import booking_confirm
from booking.tests.factories import GUEST, browser_of
from payments.models import Payment, Refund
from storefront.tests.site import cancel_url, change_url

pytestmark = pytest.mark.django_db


def test_a_guest_who_found_the_booking_by_reference_can_cancel_it(client, paid):
    booking = paid(offset=10)
    client.post(
        reverse("booking:find"), {"reference": booking.reference, "email": GUEST.email}
    )

    response = client.post(cancel_url(booking), {"expected_refund": 200_000})

    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def _action_requests(booking):
    ref = booking.reference
    return [
        ("get", reverse("booking:detail", args=[ref]), {}),
        ("get", cancel_url(booking), {}),
        ("post", cancel_url(booking), {"expected_refund": 0}),
        ("get", change_url(booking), {}),
        (
            "post",
            change_url(booking),
            {
                "check_in": booking.check_in + timedelta(days=1),
                "check_out": booking.check_out + timedelta(days=1),
                "rooms": 1,
                "adults": 1,
            },
        ),
        ("get", reverse("booking:review", args=[ref]), {}),
        ("post", reverse("booking:review", args=[ref]), {"overall": 1}),
        ("get", reverse("payments:pay", args=[ref]), {}),
        (
            "post",
            reverse("payments:pay", args=[ref]),
            {"card_number": "4242424242424242"},
        ),
        ("get", reverse("payments:done", args=[ref]), {}),
        ("get", reverse("payments:authenticate", args=[ref]), {}),
        ("get", reverse("booking:open", args=[ref, "0.forged"]), {}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "another guest"])
def test_nobody_else_can_see_or_touch_a_booking_every_attempt_is_a_404(
    hold, today, who
):
    owner = User.objects.create_user("ada", "ada@example.com", "pw")
    booking = hold(user=owner, offset=10)
    booking_confirm(booking_id=booking.pk)
    stranger = Client()
    if who == "another guest":
        eve = User.objects.create_user("eve", "eve@example.com", "pw")
        stranger.force_login(eve)
        hold(user=eve, offset=20)  # eve has a booking of her own
    before = Booking.objects.values().get(pk=booking.pk)

    for method, url, data in _action_requests(booking):
        response = getattr(stranger, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert booking.guest_name not in response.content.decode()

    assert Booking.objects.values().get(pk=booking.pk) == before
    assert not Payment.objects.filter(booking=booking).exists()


def test_guessing_references_finds_nothing(client, hold):
    hold()
    for reference in ("0000000000", "ZZZZZZZZZZ", "..", "a" * 40):
        for name in ("booking:detail", "booking:cancel", "booking:change"):
            assert client.get(reverse(name, args=[reference])).status_code == 404


def test_the_owner_can_use_every_action_page(hold):
    owner = User.objects.create_user("ada", "ada@example.com", "pw")
    booking = hold(user=owner, offset=10)
    client = Client()
    client.force_login(owner)

    for name in ("booking:detail", "booking:cancel", "booking:change", "payments:pay"):
        assert client.get(reverse(name, args=[booking.reference])).status_code == 200


def test_a_link_from_the_guests_email_opens_the_booking_in_any_browser(hold):
    booking = hold()
    browser = Client()
    url = reverse("booking:open", args=[booking.reference, link_token(booking)])

    response = browser.get(url, {"next": "cancel"})

    assert response["Location"] == cancel_url(booking)
    assert browser.get(response["Location"]).status_code == 200


def test_a_forged_changed_or_expired_link_opens_nothing(hold, settings):
    booking = hold()
    other = hold(offset=20, guest=GUEST.__class__(name="Bo", email="bo@example.com"))
    token = link_token(booking)
    url = reverse("booking:open", args=[booking.reference, token])
    detail = reverse("booking:detail", args=[booking.reference])

    forged = Client()
    assert forged.get(url[:-3] + "abc/").status_code == 404
    assert (
        forged.get(reverse("booking:open", args=[other.reference, token])).status_code
        == 404
    )
    Booking.objects.filter(pk=booking.pk).update(guest_email="new@example.com")
    assert forged.get(url).status_code == 404
    Booking.objects.filter(pk=booking.pk).update(guest_email=GUEST.email)
    settings.BOOKING_LINK_MAX_AGE_DAYS = -1
    assert forged.get(url).status_code == 404
    assert forged.get(detail).status_code == 404


def test_tampered_forms_act_only_on_the_booking_in_the_url_and_only_for_its_guest(
    hold, paid
):
    mine = paid(offset=10)
    theirs = paid(offset=20)
    browser = browser_of(mine)
    tampered = {
        "reference": theirs.reference,
        "booking": theirs.pk,
        "booking_id": theirs.pk,
        "user": theirs.pk,
    }

    browser.post(cancel_url(mine), {"expected_refund": 200_000, **tampered})
    stolen = browser.post(cancel_url(theirs), {"expected_refund": 200_000, **tampered})

    assert stolen.status_code == 404
    assert Booking.objects.get(pk=mine.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED
    assert not Refund.objects.filter(payment__booking=theirs).exists()
