"""A deactivated or closed hotel, as a partner sees it: holds refused as problem+json,
and one webhook per affected booking of the partner's."""

from datetime import timedelta

import pytest

from api.models import WebhookDelivery
from booking.models import Booking
from booking.services import hotel_closure_create, hotel_deactivate
from core import outbox
from hotels.tests.factories import staff

from .test_webhooks import Receiver, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(hotel):
    return staff("manager", hotel, role="manager")


@pytest.fixture
def receiver():
    server = Receiver(failures=0)
    yield server
    server.close()


def test_a_hold_on_a_deactivated_hotel_is_a_problem_and_books_nothing(
    api, post, booking_body, hotel, manager
):
    hotel_deactivate(hotel=hotel, by=manager, reason="Closed for good")

    response = post(api, "/api/v1/bookings/", booking_body)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_bookable"
    assert not Booking.objects.exists()


def test_a_hold_on_closed_nights_is_a_problem_naming_them(
    api, post, booking_body, hotel, manager, today
):
    hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=today + timedelta(days=11),
        end=today + timedelta(days=11),
        reason="Boiler",
    )

    response = post(api, "/api/v1/bookings/", booking_body)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "hotel_closed"
    assert str(today + timedelta(days=11)) in str(body)
    assert not Booking.objects.exists()


def test_partners_get_a_webhook_for_each_of_their_affected_bookings(
    api,
    other_api,
    post,
    booking_body,
    hotel,
    manager,
    receiver,
    django_capture_on_commit_callbacks,
):
    register(api, post, receiver.url("/agency"))
    register(other_api, post, receiver.url("/other"))
    with django_capture_on_commit_callbacks(execute=True):
        mine = post(api, "/api/v1/bookings/", booking_body).json()["reference"]
        outbox.drain()
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = hotel_deactivate(hotel=hotel, by=manager, reason="Closed for good")
        outbox.drain()

    [delivery] = WebhookDelivery.objects.filter(event="hotel.deactivated")
    assert delivery.booking_reference == mine
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    data = delivery.payload["data"]
    assert data["booking"]["reference"] == mine
    assert data["closure_id"] == result.closure.pk
    assert data["reason"] == "Closed for good"
    assert [r[0] for r in receiver.requests] == ["/agency"]
    assert receiver.requests[0][1]["Innkeep-Event"] == "hotel.deactivated"
