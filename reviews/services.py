"""Reviews: guests write them, hotels reply to and moderate them; the averages follow."""

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Now

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
        review_recompute(hotel_id=hotel_id)
    return review


MAX_REPLY = 4000
MAX_REASON = 200

# Writers of one hotel's reviews take turns on the hotel row (review_recompute locks it),
# so each recomputation reads every review committed before it plus its own change.
_RECOMPUTE_SQL = """
UPDATE hotels_hotel h
SET rating_average = s.average, rating_count = s.count
FROM (
    SELECT ROUND(AVG(overall)::numeric, 2) AS average, COUNT(*) AS count
    FROM reviews_review WHERE hotel_id = %(hotel)s AND status = %(published)s
) s
WHERE h.id = %(hotel)s
"""


def review_recompute(*, hotel_id: int) -> None:
    """Set the hotel's rating average and count from its published reviews.

    Takes the hotel's row lock (inside the caller's transaction) first.
    """
    Hotel.objects.select_for_update().filter(pk=hotel_id).values_list("pk").get()
    with connection.cursor() as cursor:
        cursor.execute(
            _RECOMPUTE_SQL,
            {"hotel": hotel_id, "published": Review.Status.PUBLISHED},
        )


def _lock_review(review_id: int) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such review.")
    return review


def review_reply(*, review_id: int, text: str) -> Review:
    """Set (or, with empty text, remove) the hotel's public reply to a review.

    Raises NotFound or ValidationError (reply too long).
    """
    text = text.strip()
    if len(text) > MAX_REPLY:
        raise ValidationError(
            ErrorCode.INVALID_REVIEW_CHANGE,
            f"A reply has at most {MAX_REPLY} characters.",
            field="reply",
        )
    with transaction.atomic(durable=True):
        review = _lock_review(review_id)
        review.reply = text
        review.replied_at = Now() if text else None
        review.save(update_fields=["reply", "replied_at"])
    review.refresh_from_db(fields=["replied_at"])
    return review


def review_hide(*, review_id: int, reason: str) -> Review:
    """Hide an abusive review from guests, saying why; the hotel's average drops it.

    Raises NotFound or ValidationError (no reason given).
    """
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError(
            ErrorCode.INVALID_REVIEW_CHANGE,
            f"Say why the review is hidden (at most {MAX_REASON} characters).",
            field="moderation_reason",
        )
    with transaction.atomic(durable=True):
        review = _lock_review(review_id)
        review.status = Review.Status.HIDDEN
        review.moderation_reason = reason
        review.save(update_fields=["status", "moderation_reason"])
        review_recompute(hotel_id=review.hotel_id)
    return review


def review_publish(*, review_id: int) -> Review:
    """Show a hidden review again; the hotel's average counts it.

    Raises NotFound.
    """
    with transaction.atomic(durable=True):
        review = _lock_review(review_id)
        review.status = Review.Status.PUBLISHED
        review.moderation_reason = ""
        review.save(update_fields=["status", "moderation_reason"])
        review_recompute(hotel_id=review.hotel_id)
    return review
