"""A site visitor's hold caps: a page that says what to do, and nothing taken."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.models import Booking
from inventory.tests.factories import booked
from storefront.tests.site import book

pytestmark = pytest.mark.django_db


def key(i: int) -> str:
    return f"hold-cap-key-{i:08d}"


def test_the_fourth_hold_of_a_browser_gets_a_page_saying_what_to_do(
    client, rate_plan, room_type, today
):
    Booking.objects.all().delete()
    for i in range(3):
        assert (
            book(
                client, rate_plan, today + timedelta(days=10 + i), nights=1, key=key(i)
            ).status_code
            == 302
        )
    check_in = today + timedelta(days=20)

    response = book(client, rate_plan, check_in, nights=1, key=key(3))

    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    html = response.content.decode()
    assert "You already have 3 bookings waiting for payment" in html
    assert "the oldest one ends in 15 minutes" in html
    # Their own holds, each with a way to pay for it or to release it.
    for held in Booking.objects.all():
        assert reverse("payments:pay", args=[held.reference]) in html
        assert reverse("booking:cancel", args=[held.reference]) in html
    assert Booking.objects.count() == 3
    assert booked(room_type, check_in) == 0


def test_new_sessions_from_one_address_share_its_cap(settings, rate_plan, today):
    settings.BOOKING_ADDRESS_MAX_HOLDS = 2
    statuses = []
    for i in range(3):
        browser = Client(REMOTE_ADDR="198.51.100.23")  # cookies dropped each time
        statuses.append(
            book(
                browser, rate_plan, today + timedelta(days=10 + i), key=key(i)
            ).status_code
        )

    assert statuses == [302, 302, 429]
    refused = Client(REMOTE_ADDR="198.51.100.23")
    html = book(
        refused, rate_plan, today + timedelta(days=30), key=key(9)
    ).content.decode()
    assert "Too many bookings from your network are waiting for payment" in html
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.24")
    assert (
        book(other, rate_plan, today + timedelta(days=40), key=key(8)).status_code
        == 302
    )


def test_the_address_is_the_one_the_trusted_proxy_reports(settings, rate_plan, today):
    settings.BOOKING_ADDRESS_MAX_HOLDS = 1
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind nginx every request comes from 127.0.0.1; its X-Forwarded-For tells them
    # apart, and what a client writes in front of it proves nothing.
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    spoofer = Client(
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5"
    )

    assert (
        book(first, rate_plan, today + timedelta(days=10), key=key(1)).status_code
        == 302
    )
    assert (
        book(second, rate_plan, today + timedelta(days=11), key=key(2)).status_code
        == 302
    )
    assert (
        book(spoofer, rate_plan, today + timedelta(days=12), key=key(3)).status_code
        == 429
    )


def test_a_signed_in_guest_is_capped_across_browsers(settings, rate_plan, today):
    settings.BOOKING_ACCOUNT_MAX_HOLDS = 1
    user = User.objects.create_user("ada", "ada@example.com", "pw")
    phone, laptop = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")
    phone.force_login(user)
    laptop.force_login(user)

    assert (
        book(phone, rate_plan, today + timedelta(days=10), key=key(1)).status_code
        == 302
    )
    refused = book(laptop, rate_plan, today + timedelta(days=11), key=key(2))

    assert refused.status_code == 429
    assert "You already have 1 booking waiting for payment" in refused.content.decode()


def test_the_page_speaks_the_guests_language(settings, rate_plan, today):
    settings.BOOKING_SESSION_MAX_HOLDS = 1
    browser = Client(HTTP_ACCEPT_LANGUAGE="ko")
    book(browser, rate_plan, today + timedelta(days=10), key=key(1))

    refused = book(browser, rate_plan, today + timedelta(days=11), key=key(2))

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "결제를 기다리는 예약이 이미 1건으로" in html
    assert "지금 결제" in html and "예약 취소" in html
