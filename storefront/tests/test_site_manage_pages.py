"""What a booking's pages offer as the stay goes on; a label for each of its fields."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.services import booking_check_in, booking_check_out
from booking.tests.factories import browser_of
from storefront.tests.site import cancel_url, change_url, reserve

pytestmark = pytest.mark.django_db


def test_a_stay_under_way_can_no_longer_be_changed_or_cancelled_online(
    hold, hotel, paid
):
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = paid(offset=0, nights=2)
    booking_check_in(booking_id=booking.pk)
    browser = browser_of(booking)

    for url in (cancel_url(booking), change_url(booking)):
        assert browser.get(url).status_code == 409
        assert browser.post(url, {"expected_refund": 0}).status_code == 409
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_a_checked_out_guest_is_offered_a_review(hold, hotel, paid):
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = paid(offset=0, nights=1)
    booking_check_in(booking_id=booking.pk)
    booking_check_out(booking_id=booking.pk)

    html = (
        browser_of(booking)
        .get(reverse("booking:detail", args=[booking.reference]))
        .content.decode()
    )

    assert reverse("booking:review", args=[booking.reference]) in html
    assert "Change dates or rooms" not in html


def test_every_field_of_the_guest_pages_has_a_label(client, hold, rate_plan, today):
    booking = hold(offset=10)
    browser = browser_of(booking)
    pages = [
        client.get(
            reverse("booking:new"), reserve(rate_plan, today + timedelta(days=9))
        ),
        browser.get(cancel_url(booking)),
        browser.get(change_url(booking)),
        browser.get(reverse("payments:pay", args=[booking.reference])),
    ]

    for response in pages:
        html = response.content.decode()
        fields = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html
        )
        labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
        assert fields and set(fields) <= labelled, response.request["PATH_INFO"]
