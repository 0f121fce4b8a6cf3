"""Cancelling a booking on the site: the refund is shown, then applied as shown."""

import re

import pytest

from booking.models import Booking, BookingStatus
from booking.tests.factories import browser_of
from inventory.tests.factories import RatePlanFactory, booked
from payments.models import Refund
from payments.tests.factories import pay
from storefront.tests.site import cancel_url, krw

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("offset", "refund"),
    [(10, 200_000), (5, 100_000), (1, 0)],  # policy: 100% ≥7 days, 50% ≥2 days
)
def test_the_cancel_page_shows_the_refund_the_policy_gives_now(paid, offset, refund):
    booking = paid(offset=offset)

    response = browser_of(booking).get(cancel_url(booking))

    html = response.content.decode()
    assert response.status_code == 200
    refund_shown = re.search(r'class="refund-amount">([^<]+)<', html)[1]
    assert refund_shown == krw(refund)
    assert "at the hotel" in html  # the time it is now, hotel time
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_confirming_cancels_and_refunds_what_was_shown(paid, room_type):
    booking = paid(offset=5)
    browser = browser_of(booking)

    response = browser.post(cancel_url(booking), {"expected_refund": 100_000})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    refund = Refund.objects.get(payment__booking=booking)
    assert (refund.amount, refund.purpose) == (100_000, Refund.Purpose.CANCELLATION)
    assert booked(room_type, booking.check_in) == 0
    page = browser.get(response["Location"]).content.decode()
    assert f"{krw(100_000)} is on its way back to your card" in page
    assert f"Refund: {krw(100_000)}" in page


def test_a_refund_that_changed_since_it_was_shown_is_shown_again_not_applied(paid):
    booking = paid(offset=5)

    response = browser_of(booking).post(
        cancel_url(booking), {"expected_refund": 200_000}
    )

    assert response.status_code == 409
    assert "The refund has changed" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert not Refund.objects.exists()


def test_cancelling_an_unpaid_hold_refunds_nothing_and_says_so(hold, room_type):
    booking = hold()
    browser = browser_of(booking)

    page = browser.get(cancel_url(booking)).content.decode()
    done = browser.post(cancel_url(booking), {"expected_refund": 0})

    assert "Nothing has been paid for this booking yet" in page
    assert done.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert booked(room_type, booking.check_in) == 0


def test_a_pay_at_hotel_booking_has_nothing_to_refund(hold, room_type, policy):
    plan = RatePlanFactory(
        room_type=room_type, cancellation_policy=policy, payment_mode="pay_at_hotel"
    )
    booking = hold(rate_plan_id=plan.pk)
    pay(booking)

    page = browser_of(booking).get(cancel_url(booking)).content.decode()

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert "Nothing was paid online for this booking" in page
    assert re.search(r'class="refund-amount">([^<]+)<', page)[1] == krw(0)
