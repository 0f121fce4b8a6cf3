"""Redis really stopped: the site keeps booking, with hints, caches and limits skipped."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from booking.models import Booking, BookingStatus
from storefront.tests.site import book

pytestmark = pytest.mark.django_db


def test_a_guest_books_on_the_site_while_redis_is_down(own_redis, rate_plan, today):
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the site really uses the test's own Redis
    own_redis.stop()
    assert cache.get("probe") is None  # and it is gone

    response = book(Client(), rate_plan, today + timedelta(days=9))

    assert response.status_code == 302, response.content[:300]
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.HELD


def test_a_signed_in_guest_stays_signed_in_through_an_outage(
    own_redis, django_user_model, rate_plan, today
):
    guest = django_user_model.objects.create_user("ada", "ada@example.com", "pw")
    browser = Client()
    browser.force_login(guest)
    own_redis.stop()

    response = book(browser, rate_plan, today + timedelta(days=9))
    mine = browser.get("/bookings/")

    assert response.status_code == 302
    assert Booking.objects.get().user == guest
    assert mine.status_code == 200
    assert Booking.objects.get().reference in mine.content.decode()
