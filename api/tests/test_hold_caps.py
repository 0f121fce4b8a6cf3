"""A partner's hold caps and booking rate, as the API answers them."""

import uuid
from datetime import timedelta

import pytest

from accounts.models import Partner
from accounts.services import partner_key_create, partner_update
from booking.models import Booking, HoldTally
from inventory.models import Inventory

from .conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/bookings/"


def stay_body(booking_body, today, offset: int, nights: int = 1, rooms: int = 1):
    check_in = today + timedelta(days=offset)
    return {
        **booking_body,
        "check_in": str(check_in),
        "check_out": str(check_in + timedelta(days=nights)),
        "rooms": rooms,
        "adults": rooms,
    }


def test_a_partner_past_its_live_holds_gets_a_429_hold_limit_and_nothing_is_held(
    api, agency, post, booking_body, today
):
    agency.max_live_holds = 2
    partner_update(partner=agency)
    answers = [
        post(api, LIST, stay_body(booking_body, today, offset=10 + i)) for i in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == "hold_limit"
    assert problem["retryable"] is True
    assert (problem["live_holds"], problem["max_holds"]) == (2, 2)
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60
    assert "Confirm or cancel a hold" in problem["detail"]
    assert Booking.objects.filter(partner=agency).count() == 2
    night = today + timedelta(days=12)
    assert not Inventory.objects.filter(date=night, booked__gt=0).exists()


@pytest.mark.django_db(transaction=True)  # the tally is released at COMMIT
def test_a_confirmed_hold_makes_room_and_the_same_key_may_be_retried(
    api, agency, post, booking_body, today
):
    agency.max_live_holds = 1
    partner_update(partner=agency)
    first = post(api, LIST, stay_body(booking_body, today, offset=10)).json()
    key = str(uuid.uuid4())
    body = stay_body(booking_body, today, offset=20)
    assert post(api, LIST, body, key=key).status_code == 429

    api.post(
        f"{LIST}{first['reference']}/confirm/", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    retried = post(api, LIST, body, key=key)

    # A refusal that says "retry" leaves its Idempotency-Key free for the retry.
    assert retried.status_code == 201, retried.json()


def test_held_room_nights_are_capped_per_partner(
    api, agency, post, booking_body, today
):
    agency.max_held_room_nights = 5
    partner_update(partner=agency)

    assert (
        post(api, LIST, stay_body(booking_body, today, 10, nights=4)).status_code == 201
    )
    refused = post(api, LIST, stay_body(booking_body, today, 20, nights=2))
    too_big = post(api, LIST, stay_body(booking_body, today, 30, nights=3, rooms=2))

    assert refused.status_code == 429
    assert refused.json()["held_room_nights"] == 4
    assert too_big.status_code == 429
    assert too_big.json()["retryable"] is False
    assert "Retry-After" not in too_big


def test_a_partner_with_no_limit_is_not_counted(api, agency, post, booking_body, today):
    agency.unlimited_holds = True
    partner_update(partner=agency)

    answers = [
        post(api, LIST, stay_body(booking_body, today, offset=10 + i % 50))
        for i in range(55)
    ]

    assert {a.status_code for a in answers} == {201}
    assert not HoldTally.objects.exists()


def test_the_default_caps_of_the_settings_apply(
    settings, api, agency, post, booking_body, today
):
    settings.BOOKING_PARTNER_MAX_HOLDS = 1

    answers = [
        post(api, LIST, stay_body(booking_body, today, 10 + i)) for i in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 429]


def test_booking_posts_have_their_own_rate_per_partner(
    settings, agency, agency_key, post, booking_body, today
):
    settings.API_BOOKING_RATE_PER_MINUTE = 2
    second_key = partner_key_create(partner=agency, name="two", scopes=["booking"])[1]
    api, api2 = client_for(agency_key), client_for(second_key)

    answers = [
        post(api, LIST, stay_body(booking_body, today, 10)),
        post(api2, LIST, stay_body(booking_body, today, 11)),
        post(api, LIST, stay_body(booking_body, today, 12)),
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1]
    assert refused.json()["code"] == "throttled"
    assert "booking requests for this partner: 2 a minute" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Booking.objects.filter(partner=agency).count() == 2
    # Reads are not bookings: the key's general rate still lets them through.
    assert api.get(LIST).status_code == 200


def test_a_partners_own_booking_rate_overrides_the_default(
    settings, api, agency, post, booking_body, today
):
    settings.API_BOOKING_RATE_PER_MINUTE = 1
    agency.bookings_per_minute = 3
    partner_update(partner=agency)

    answers = [
        post(api, LIST, stay_body(booking_body, today, 10 + i)) for i in range(4)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]


def test_another_partner_is_not_slowed_by_one_at_its_rate(
    settings, api, other_api, post, booking_body, today
):
    settings.API_BOOKING_RATE_PER_MINUTE = 1
    assert post(api, LIST, stay_body(booking_body, today, 10)).status_code == 201
    assert post(api, LIST, stay_body(booking_body, today, 11)).status_code == 429

    assert post(other_api, LIST, stay_body(booking_body, today, 12)).status_code == 201


def test_a_channel_manager_is_never_counted_for_holds(channel):
    assert channel.kind == Partner.Kind.CHANNEL_MANAGER
    assert not HoldTally.objects.exists()
