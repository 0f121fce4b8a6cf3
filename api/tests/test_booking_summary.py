"""The API's booking says what the site says about money and deadlines."""

from datetime import datetime, timedelta

import pytest

from booking.models import Booking
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/bookings/"


def test_a_partner_booking_carries_the_presenters_money_and_deadline(
    api, post, booking_body
):
    created = post(api, BOOKINGS, booking_body).json()

    data = api.get(f"{BOOKINGS}{created['reference']}/").json()

    booking = Booking.objects.get(reference=created["reference"])
    assert data["payment_status"] == "unpaid"
    assert data["amount_paid"] == 0
    assert data["balance_due"] == 0
    assert data["refund_if_cancelled_now"] == 0
    until = datetime.fromisoformat(data["free_cancellation_until"])
    assert until.utcoffset() == timedelta(hours=9)  # hotel time, Asia/Seoul
    assert (until.date(), until.hour, until.minute) == (
        booking.check_in - timedelta(days=7),
        23,
        59,
    )
    assert data["total"] == 200_000  # the existing fields are unchanged


def test_the_list_summarises_each_booking_like_the_single_read(
    api, post, booking_body, django_assert_num_queries
):
    reference = post(api, BOOKINGS, booking_body).json()["reference"]
    pay(Booking.objects.get(reference=reference))
    api.get(BOOKINGS)

    with django_assert_num_queries(1):
        [row] = api.get(BOOKINGS).json()["results"]

    one = api.get(f"{BOOKINGS}{reference}/").json()
    assert row["payment_status"] == one["payment_status"] == "paid"
    assert row["amount_paid"] == one["amount_paid"] == 200_000
    assert row["refund_if_cancelled_now"] == one["refund_if_cancelled_now"] == 200_000
