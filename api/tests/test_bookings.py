"""Booking through the API: hold, confirm, read, list, change, cancel; only one's own."""

from datetime import timedelta

import pytest

from booking.models import Booking, BookingStatus
from inventory.tests.factories import booked

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/bookings/"


def test_a_partner_holds_then_confirms_on_its_guarantee(
    api, post, booking_body, room_type, agency, today
):
    created = post(api, BOOKINGS, booking_body)

    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "held"
    assert data["total"] == 200_000 and data["nightly_prices"] == [100_000, 100_000]
    assert created["Location"] == f"/api/v1/bookings/{data['reference']}/"
    booking = Booking.objects.get(reference=data["reference"])
    assert booking.source == "partner" and booking.partner == agency
    assert booked(room_type, today + timedelta(days=10)) == 1

    confirmed = post(api, f"{BOOKINGS}{data['reference']}/confirm/")

    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancel_answers_the_refund_the_policy_gives(api, post, booking_body):
    reference = post(api, BOOKINGS, booking_body).json()["reference"]
    post(api, f"{BOOKINGS}{reference}/confirm/")

    cancelled = post(api, f"{BOOKINGS}{reference}/cancel/", {"reason": "plans"})

    assert cancelled.status_code == 200
    # Ten days ahead, the flexible policy (100% from 7 days) refunds everything.
    assert cancelled.json()["refund_amount"] == 200_000
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancellation_reason"] == "plans"


def test_change_answers_the_price_difference(api, post, booking_body, today):
    reference = post(api, BOOKINGS, booking_body).json()["reference"]
    new_out = today + timedelta(days=13)

    changed = post(api, f"{BOOKINGS}{reference}/change/", {"check_out": str(new_out)})

    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["old_total"] == 200_000 and body["new_total"] == 300_000
    assert body["difference"] == 100_000
    assert body["booking"]["check_out"] == str(new_out)


def test_sold_out_is_a_409_problem_with_its_code(api, post, booking_body):
    booking_body["rooms"] = 4  # the room type has 3
    booking_body["adults"] = 4

    response = post(api, BOOKINGS, booking_body)

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "sold_out"
    assert problem["type"] == "urn:innkeep:problem:sold_out"
    assert problem["nights"]  # the domain error's params travel along
    assert not Booking.objects.exists()


def test_bad_fields_are_a_400_listing_each_field(api, post, booking_body):
    booking_body["check_in"] = "tomorrow"
    booking_body["guest"] = {"name": "", "email": "nope"}

    response = post(api, BOOKINGS, booking_body)

    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid_request"
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"check_in", "guest.name", "guest.email"}


def test_impossible_stays_are_422_with_the_domain_code(api, post, booking_body):
    booking_body["adults"] = 7  # two per room

    response = post(api, BOOKINGS, booking_body)

    assert response.status_code == 422
    assert response.json()["code"] == "too_many_guests"


def test_malformed_json_is_a_400_problem_not_a_500(api):
    response = api.post(
        BOOKINGS,
        data="{not json",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_list_shows_only_own_bookings_newest_first_with_a_cursor(
    api, other_api, post, booking_body, today
):
    mine = [post(api, BOOKINGS, booking_body).json()["reference"] for _ in range(3)]
    post(other_api, BOOKINGS, booking_body)

    first = api.get(BOOKINGS, {"page_size": 2})
    second = api.get(first.json()["next"])

    assert first.status_code == 200
    seen = [b["reference"] for b in first.json()["results"] + second.json()["results"]]
    assert seen == mine[::-1]
    assert second.json()["next"] is None


def test_list_filters_by_status(api, post, booking_body):
    held = post(api, BOOKINGS, booking_body).json()["reference"]
    confirmed = post(api, BOOKINGS, booking_body).json()["reference"]
    post(api, f"{BOOKINGS}{confirmed}/confirm/")

    response = api.get(BOOKINGS, {"status": "held"})

    assert [b["reference"] for b in response.json()["results"]] == [held]


@pytest.mark.parametrize("action", ["confirm", "cancel", "change"])
def test_a_partner_cannot_act_on_another_partners_booking(
    api, other_api, post, booking_body, room_type, today, action
):
    reference = post(other_api, BOOKINGS, booking_body).json()["reference"]
    body = {"check_out": str(today + timedelta(days=13))} if action == "change" else {}

    response = post(api, f"{BOOKINGS}{reference}/{action}/", body)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "Ada" not in response.content.decode()
    assert "total" not in response.json()
    booking = Booking.objects.get(reference=reference)
    assert booking.status == BookingStatus.HELD
    assert booking.check_out == today + timedelta(days=12)
    assert booked(room_type, today + timedelta(days=10)) == 1


def test_a_partner_cannot_read_another_partners_booking(
    api, other_api, post, booking_body
):
    reference = post(other_api, BOOKINGS, booking_body).json()["reference"]

    response = api.get(f"{BOOKINGS}{reference}/")

    assert response.status_code == 404
    assert "Ada" not in response.content.decode()
    assert api.get(BOOKINGS).json()["results"] == []


def test_a_channel_manager_key_cannot_book(channel_api, post, booking_body):
    response = post(channel_api, BOOKINGS, booking_body)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert channel_api.get(BOOKINGS).status_code == 403
    assert not Booking.objects.exists()


def test_a_date_time_filter_with_an_impossible_offset_is_a_400(api):
    response = api.get(BOOKINGS, {"created_before": "2237-03-27T17:46:38.89+21:28"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "created_before"
