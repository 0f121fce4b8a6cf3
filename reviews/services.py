"""Guests' reviews of their stays; the hotel's rating average and count follow them."""

from django.db import IntegrityError, connection, transaction

from booking.models import Booking, BookingStatus
from core.errors import ErrorCode, IllegalTransition, NotFound, ValidationError
from hotels.models import Hotel

from .models import Review

CATEGORIES = ("cleanliness", "comfort", "location", "service", "value")
MAX_TEXT = 5000


def _validate(ratings: dict, text: str) -> None:
    problems = {}
    for name, value in ratings.items():
        if value is None and name != "overall":
            continue  # category ratings are optional
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= 10
        ):
            problems[name] = "Give a rating from 1 to 10."
    if len(text) > MAX_TEXT:
        problems["text"] = f"Use at most {MAX_TEXT} characters."
    if problems:
        raise ValidationError(
            ErrorCode.INVALID_REVIEW, "Check the review.", fields=problems
        )


def review_create(
    *,
    booking_id: int,
    overall: int,
    cleanliness: int | None = None,
    comfort: int | None = None,
    location: int | None = None,
    service: int | None = None,
    value: int | None = None,
    text: str = "",
) -> Review:
    """Publish the guest's review of a checked-out stay, one per booking.

    Ratings are 1 to 10 (categories optional). The hotel's rating average and count
    include it when this returns. Raises ValidationError (INVALID_REVIEW), NotFound,
    IllegalTransition (REVIEW_NOT_ALLOWED before check-out, ALREADY_REVIEWED).
    """
    ratings = {
        "overall": overall,
        "cleanliness": cleanliness,
        "comfort": comfort,
        "location": location,
        "service": service,
        "value": value,
    }
    text = text.strip()
    _validate(ratings, text)
    booking = Booking.objects.filter(pk=booking_id).values("hotel_id").first()
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    hotel_id = booking["hotel_id"]
    with transaction.atomic(durable=True):
        # Reviews of one hotel take turns, so each average counts every committed review.
        Hotel.objects.select_for_update().filter(pk=hotel_id).values_list("pk").get()
        status = Booking.objects.values_list("status", flat=True).get(pk=booking_id)
        if status != BookingStatus.CHECKED_OUT:
            raise IllegalTransition(
                ErrorCode.REVIEW_NOT_ALLOWED,
                "Only a checked-out stay can be reviewed.",
                status=status,
            )
        if Review.objects.filter(booking_id=booking_id).exists():
            raise IllegalTransition(
                ErrorCode.ALREADY_REVIEWED, "This stay has been reviewed already."
            )
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    booking_id=booking_id, hotel_id=hotel_id, text=text, **ratings
                )
        except IntegrityError as error:  # a review of this booking won the race
            raise IllegalTransition(
                ErrorCode.ALREADY_REVIEWED, "This stay has been reviewed already."
            ) from error
        _recompute_hotel_rating(hotel_id)
    return review


_RECOMPUTE_SQL = """
UPDATE hotels_hotel SET rating_average = s.average, rating_count = s.count
FROM (
    SELECT ROUND(AVG(overall)::numeric, 2) AS average, COUNT(*) AS count
    FROM reviews_review WHERE hotel_id = %(hotel)s AND status = %(published)s
) s
WHERE hotels_hotel.id = %(hotel)s
"""


def _recompute_hotel_rating(hotel_id: int) -> None:
    """Set the hotel's rating average and count from its published reviews.

    Run under the hotel's row lock (review_create takes it), so the reviews it reads
    include every one committed before.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _RECOMPUTE_SQL, {"hotel": hotel_id, "published": Review.Status.PUBLISHED}
        )
