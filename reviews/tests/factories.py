"""Reviews for any app's tests, written straight to the table (no stay check)."""

import factory

from reviews.models import Review


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review of `booking`, at the booking's hotel; pass booking=..."""

    class Meta:
        model = Review

    hotel = factory.LazyAttribute(lambda review: review.booking.hotel)
    overall = 8
