"""Verified-stay reviews: one per checked-out booking; the hotel's average follows."""

from datetime import time
from decimal import Decimal

import pytest
from django.urls import reverse

from booking.services import (
    GuestDetails,
    booking_check_in,
    booking_check_out,
    booking_confirm,
)
from booking.tests.factories import browser_of
from core.errors import ErrorCode, IllegalTransition, ValidationError
from core.testing import run_together
from hotels.models import Hotel
from inventory.models import Inventory
from reviews.models import Review
from reviews.services import review_create


@pytest.fixture
def stayed(hold, hotel):
    """Make a booking that arrived today and checked out: one night, reviewable."""
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    count = iter(range(100))

    def make():
        n = next(count)
        booking = hold(
            offset=0,
            nights=1,
            guest=GuestDetails(name=f"Guest {n}", email=f"guest{n}@example.com"),
        )
        booking_confirm(booking_id=booking.pk)
        booking_check_in(booking_id=booking.pk)
        booking_check_out(booking_id=booking.pk)
        return booking

    return make


@pytest.mark.django_db
def test_a_checked_out_guest_reviews_once_and_the_hotel_average_follows(stayed):
    first, second = stayed(), stayed()

    review_create(booking_id=first.pk, overall=9, cleanliness=10, text=" Lovely. ")
    review_create(booking_id=second.pk, overall=6)

    hotel = Hotel.objects.get(pk=first.hotel_id)
    assert (hotel.rating_count, hotel.rating_average) == (2, Decimal("7.50"))
    review = Review.objects.get(booking=first)
    assert (review.text, review.cleanliness, review.comfort) == ("Lovely.", 10, None)
    assert review.status == Review.Status.PUBLISHED
    with pytest.raises(IllegalTransition) as again:
        review_create(booking_id=first.pk, overall=1)
    assert again.value.code == ErrorCode.ALREADY_REVIEWED
    assert Hotel.objects.get(pk=first.hotel_id).rating_count == 2


@pytest.mark.django_db
def test_only_a_checked_out_stay_can_be_reviewed(hold):
    booking = hold()
    booking_confirm(booking_id=booking.pk)

    with pytest.raises(IllegalTransition) as refused:
        review_create(booking_id=booking.pk, overall=10)

    assert refused.value.code == ErrorCode.REVIEW_NOT_ALLOWED
    assert not Review.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ratings",
    [{"overall": 0}, {"overall": 11}, {"overall": 8, "comfort": 0}, {"overall": True}],
)
def test_ratings_are_from_1_to_10(stayed, ratings):
    booking = stayed()

    with pytest.raises(ValidationError) as refused:
        review_create(booking_id=booking.pk, **ratings)

    assert refused.value.code == ErrorCode.INVALID_REVIEW
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_hidden_review_leaves_the_average(stayed):
    first, second = stayed(), stayed()
    review = review_create(booking_id=first.pk, overall=2)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.HIDDEN)

    review_create(booking_id=second.pk, overall=8)

    hotel = Hotel.objects.get(pk=first.hotel_id)
    assert (hotel.rating_count, hotel.rating_average) == (1, Decimal("8.00"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_reviews_written_at_once_all_count_in_the_average(stayed, room_type):
    Inventory.objects.filter(room_type=room_type).update(rooms=6)
    bookings = [stayed() for _ in range(6)]

    outcomes = run_together(
        6, lambda i: review_create(booking_id=bookings[i].pk, overall=i + 4)
    )

    assert [o.error for o in outcomes] == [None] * 6
    hotel = Hotel.objects.get(pk=bookings[0].hotel_id)
    assert hotel.rating_count == 6
    assert hotel.rating_average == Decimal("6.50")  # (4 + ... + 9) / 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_a_double_submitted_review_is_stored_once(stayed):
    booking = stayed()

    outcomes = run_together(
        3, lambda i: review_create(booking_id=booking.pk, overall=7)
    )

    assert sum(o.error is None for o in outcomes) == 1
    assert {o.error.code for o in outcomes if o.error} == {ErrorCode.ALREADY_REVIEWED}
    assert Review.objects.count() == 1
    assert Hotel.objects.get(pk=booking.hotel_id).rating_count == 1


@pytest.mark.django_db
def test_the_guest_writes_the_review_on_the_site_and_it_shows_with_the_reply(stayed):
    booking = stayed()
    browser = browser_of(booking)
    url = reverse("booking:review", args=[booking.reference])

    form = browser.get(url)
    bad = browser.post(url, {"overall": "", "text": "x"})
    sent = browser.post(
        url, {"overall": "9", "cleanliness": "8", "text": "Quiet and clean."}
    )
    again = browser.get(url)

    assert form.status_code == 200
    assert '<label for="id_overall">' in form.content.decode()
    assert bad.status_code == 400 and 'id="id_overall_error"' in bad.content.decode()
    assert sent.status_code == 302
    assert again.status_code == 409
    assert "You have already reviewed this stay." in again.content.decode()
    Review.objects.filter(booking=booking).update(reply="Thank you, come back soon!")
    hotel_page = browser.get(
        reverse("hotels:detail", args=[booking.hotel.slug])
    ).content.decode()
    review_at = hotel_page.index("Quiet and clean.")
    assert review_at < hotel_page.index("Thank you, come back soon!")
    assert "Guest" in hotel_page  # the first name only
    detail = browser.get(reverse("booking:detail", args=[booking.reference]))
    assert "Thank you, come back soon!" in detail.content.decode()


@pytest.mark.django_db
def test_the_review_page_waits_for_check_out(hold):
    booking = hold(offset=5)
    booking_confirm(booking_id=booking.pk)
    url = reverse("booking:review", args=[booking.reference])

    response = browser_of(booking).post(url, {"overall": "9"})

    assert response.status_code == 409
    assert "after you have checked out" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_the_hotel_page_lists_only_published_reviews(stayed):
    shown, hidden = stayed(), stayed()
    review_create(booking_id=shown.pk, overall=9, text="Shown to all.")
    secret = review_create(booking_id=hidden.pk, overall=1, text="Abusive text.")
    Review.objects.filter(pk=secret.pk).update(status=Review.Status.HIDDEN)

    html = (
        browser_of(shown)
        .get(reverse("hotels:detail", args=[shown.hotel.slug]))
        .content.decode()
    )

    assert "Shown to all." in html
    assert "Abusive text." not in html
