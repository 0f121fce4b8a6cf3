"""Booking on the site, the hold: a posted form holds the rooms and goes to payment.

Under a rush it is rate-limited, a locked night asks the guest to try again, and a
post costs a fixed handful of queries.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.models import Booking, BookingStatus
from inventory.tests.factories import booked
from storefront.tests.site import book, reserve

pytestmark = pytest.mark.django_db


def test_booking_holds_the_rooms_and_goes_to_payment(
    client, rate_plan, room_type, today
):
    user = User.objects.create_user("grace", "grace@example.com", "pw")
    client.force_login(user)
    check_in = today + timedelta(days=12)

    response = book(client, rate_plan, check_in)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:pay", args=[booking.reference])
    assert booking.status == BookingStatus.HELD
    assert (booking.user, booking.source) == (user, "site")
    assert booking.guest_name == "Ada Lovelace"
    assert booking.special_requests == "A quiet room, please."
    assert booking.idempotency_scope == f"site-user:{user.pk}"
    assert booked(room_type, check_in) == 1
    payment_page = client.get(response["Location"])
    assert payment_page.status_code == 200
    assert "Your rooms are held until" in payment_page.content.decode()


def test_the_booking_keeps_the_language_the_guest_booked_in(rate_plan, today):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")

    book(client, rate_plan, today + timedelta(days=12))

    assert Booking.objects.get().language == "ko"


def test_booking_posts_are_rate_limited(client, settings, rate_plan, today):
    settings.RATELIMIT_BOOKING = "2/m"
    check_in = today + timedelta(days=10)

    statuses = [
        book(client, rate_plan, check_in, key=f"key-number-{i:010d}").status_code
        for i in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Booking.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_lock_contention_asks_the_guest_to_try_again(
    settings, rate_plan, room_type, today
):
    settings.INVENTORY_LOCK_TIMEOUT_MS = 200
    check_in = today + timedelta(days=10)
    locked, release = threading.Event(), threading.Event()

    def hold_the_rows():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM inventory_inventory WHERE room_type_id = %s"
                    " FOR UPDATE",
                    [room_type.pk],
                )
            locked.set()
            release.wait(10)
        connection.close()

    blocker = threading.Thread(target=hold_the_rows)
    blocker.start()
    locked.wait(10)
    try:
        response = book(Client(), rate_plan, check_in)
    finally:
        release.set()
        blocker.join()

    assert response.status_code == 503
    assert "Please try again in a moment." in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_booking_post_runs_a_fixed_handful_of_queries(
    client, rate_plan, today, django_assert_max_num_queries
):
    check_in = today + timedelta(days=10)
    client.get(reverse("booking:new"), reserve(rate_plan, check_in))  # the session

    # Plan, key lookup, lock_timeout + now(), lock, take + insert, session; in tests each
    # transaction is a savepoint pair as well.
    with django_assert_max_num_queries(10):
        response = book(client, rate_plan, check_in)

    assert response.status_code == 302
