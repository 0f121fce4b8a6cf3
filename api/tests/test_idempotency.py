"""Idempotency-Key on POST: one booking per key, replay, mismatch, in flight, expiry."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django_redis import get_redis_connection

from api.frontdoor import marker_name
from api.models import IdempotencyKey
from booking.models import Booking
from core.testing import run_together
from inventory.models import Inventory
from inventory.tests.factories import booked

from .conftest import client_for

BOOKINGS = "/api/v1/bookings/"


@pytest.mark.django_db
def test_the_same_key_and_body_replay_the_first_answer(api, post, booking_body):
    first = post(api, BOOKINGS, booking_body, key="order-1")
    again = post(api, BOOKINGS, booking_body, key="order-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_is_replayed_too(api, post, booking_body):
    booking_body["rooms"] = booking_body["adults"] = 4  # more than the 3 rooms

    first = post(api, BOOKINGS, booking_body, key="order-2")
    again = post(api, BOOKINGS, booking_body, key="order-2")

    assert first.status_code == again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again.json() == first.json()


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_422(api, post, booking_body, room_type):
    post(api, BOOKINGS, booking_body, key="order-3")
    booking_body["rooms"] = 2

    response = post(api, BOOKINGS, booking_body, key="order-3")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_endpoint_is_a_422(api, post, booking_body):
    reference = post(api, BOOKINGS, booking_body, key="order-4").json()["reference"]

    response = post(api, f"{BOOKINGS}{reference}/confirm/", key="order-4")

    assert response.status_code == 422
    assert Booking.objects.get().status == "held"


@pytest.mark.django_db
def test_keys_are_per_partner(api, other_api, post, booking_body):
    mine = post(api, BOOKINGS, booking_body, key="shared")
    theirs = post(other_api, BOOKINGS, booking_body, key="shared")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["reference"] != theirs.json()["reference"]


@pytest.mark.django_db
def test_a_post_without_a_key_is_refused_and_changes_nothing(api, booking_body):
    response = api.post(BOOKINGS, booking_body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_key_expires_after_24_hours(api, post):
    url = "/api/v1/webhooks/"
    post(api, url, {"url": "http://127.0.0.1:9/a"}, key="hook")
    IdempotencyKey.objects.update(
        created_at=IdempotencyKey.objects.get().created_at - timedelta(hours=25)
    )

    response = post(api, url, {"url": "http://127.0.0.1:9/b"}, key="hook")

    assert response.status_code == 201
    assert response.json()["url"] == "http://127.0.0.1:9/b"


@pytest.mark.django_db
def test_a_booking_key_replayed_after_expiry_still_makes_one_booking(
    api, post, booking_body, agency
):
    first = post(api, BOOKINGS, booking_body, key="late")
    # A booking's key lives as a Redis marker beside the booking (api/booking_keys.py).
    marker = marker_name(agency.pk, "late")
    assert get_redis_connection("default").pexpire(marker, 1)
    time.sleep(0.01)

    again = post(api, BOOKINGS, booking_body, key="late")

    assert again.json()["reference"] == first.json()["reference"]
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_the_same_key_while_the_first_request_runs_is_a_409(
    agency_key, agency, booking_body, room_type
):
    results = {}
    redis, partner_id = get_redis_connection("default"), agency.pk

    def first_request():
        results["first"] = post_once(agency_key, booking_body, "slow")

    with transaction.atomic():
        # Hold the stay's inventory rows so the first request waits inside its hold.
        list(Inventory.objects.select_for_update().filter(room_type=room_type))
        thread = threading.Thread(target=first_request)
        thread.start()
        deadline = time.monotonic() + 5
        while not redis.exists(marker_name(partner_id, "slow")):
            assert time.monotonic() < deadline, (
                "the first request never claimed its key"
            )
            time.sleep(0.02)
        second = post_once(agency_key, booking_body, "slow")
    thread.join(10)

    assert second.status_code == 409
    assert second.json()["code"] == "idempotency_key_in_flight"
    assert second["Retry-After"] == "1"
    assert results["first"].status_code == 201
    replay = post_once(agency_key, booking_body, "slow")
    assert replay.json()["reference"] == results["first"].json()["reference"]
    assert Booking.objects.count() == 1


def post_once(raw_key, body, key):
    try:
        return client_for(raw_key).post(
            BOOKINGS, body, format="json", HTTP_IDEMPOTENCY_KEY=key
        )
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_twenty_concurrent_posts_with_one_key_make_one_booking(
    agency_key, booking_body, room_type, today
):
    def work(_):
        response = client_for(agency_key).post(
            BOOKINGS, booking_body, format="json", HTTP_IDEMPOTENCY_KEY="rush-1"
        )
        return response.status_code, response.json()

    outcomes = run_together(20, work)

    assert [o.error for o in outcomes if o.error] == []
    answers = [o.value for o in outcomes]
    created = [body for code, body in answers if code == 201]
    in_flight = [body for code, body in answers if code == 409]
    assert len(created) + len(in_flight) == 20
    assert created, "no request got the booking"
    assert len({body["reference"] for body in created}) == 1
    assert all(b["code"] == "idempotency_key_in_flight" for b in in_flight)
    assert Booking.objects.count() == 1
    assert booked(room_type, today + timedelta(days=10)) == 1
