from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.tests.world import build_hotel
from booking.models import Booking
from core.errors import ValidationError
from hotels.models import Hotel
from hotels.tests.factories import staff
from reviews.models import Review
from reviews.services import review_hide, review_publish, review_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_hotel("Alpha")


def add_review(world, overall):
    booking = Booking.objects.get(pk=world.objects["booking"].pk)
    booking.pk = None
    booking.reference = f"R{overall}X{Review.objects.count()}"
    booking.save()
    return Review.objects.create(booking=booking, hotel=world.hotel, overall=overall)


def averages(hotel):
    hotel = Hotel.objects.get(pk=hotel.pk)
    return hotel.rating_average, hotel.rating_count


def test_hiding_and_publishing_move_the_hotels_average(world):
    abusive = add_review(world, 1)
    add_review(world, 9)
    review_publish(review_id=world.objects["review"].pk)  # 8, 1, 9 published
    assert averages(world.hotel) == (Decimal("6.00"), 3)

    review_hide(review_id=abusive.pk, reason="Insults staff by name")

    abusive.refresh_from_db()
    assert abusive.status == Review.Status.HIDDEN
    assert abusive.moderation_reason == "Insults staff by name"
    assert averages(world.hotel) == (Decimal("8.50"), 2)

    review_publish(review_id=abusive.pk)
    assert averages(world.hotel) == (Decimal("6.00"), 3)


def test_hiding_needs_a_reason_and_changes_nothing_without_one(world):
    review = world.objects["review"]

    with pytest.raises(ValidationError):
        review_hide(review_id=review.pk, reason="  ")

    assert Review.objects.get(pk=review.pk).status == Review.Status.PUBLISHED


def test_reply_is_stamped_and_can_be_removed(world):
    review = review_reply(review_id=world.objects["review"].pk, text=" Thank you! ")
    assert (review.reply, review.replied_at is not None) == ("Thank you!", True)

    review = review_reply(review_id=review.pk, text="")
    assert (review.reply, review.replied_at) == ("", None)


def test_manager_replies_and_hides_in_the_admin_and_sees_the_average(client, world):
    client.force_login(staff("boss", world.hotel, role="manager"))
    review = world.objects["review"]
    url = reverse("admin:reviews_review_change", args=[review.pk])

    response = client.post(
        url,
        {"reply": "Thanks for staying", "status": "hidden", "moderation_reason": ""},
    )
    assert response.status_code == 200
    assert "Say why the review is hidden" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == Review.Status.PUBLISHED

    response = client.post(
        url,
        {
            "reply": "Thanks for staying",
            "status": "hidden",
            "moderation_reason": "Spam",
        },
        follow=True,
    )

    review.refresh_from_db()
    assert (review.reply, review.status, review.moderation_reason) == (
        "Thanks for staying",
        Review.Status.HIDDEN,
        "Spam",
    )
    assert averages(world.hotel) == (None, 0)
    assert "Alpha: average –/10 from 0 published review(s)." in [
        str(m) for m in response.context["messages"]
    ]
