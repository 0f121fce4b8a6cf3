"""Redis really stopped: partners keep booking; keys are read from PostgreSQL."""

import pytest

from booking.models import Booking

pytestmark = pytest.mark.django_db


def test_a_partner_books_while_redis_is_down(own_redis, api, post, booking_body):
    assert post(api, "/api/v1/bookings/", booking_body).status_code == 201
    own_redis.stop()

    response = post(api, "/api/v1/bookings/", booking_body)

    assert response.status_code == 201, response.json()
    assert Booking.objects.count() == 2
