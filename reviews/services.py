"""Hotel-side review use cases: reply, hide, publish again; the hotel's averages follow."""

from django.db import connection, transaction
from django.db.models.functions import Now

from core.errors import ErrorCode, NotFound, ValidationError

from .models import Review

MAX_REPLY = 4000
MAX_REASON = 200

# One statement, so concurrent moderations never leave a stale average behind: each
# recomputes from the committed reviews plus its own change.
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
    """Set the hotel's rating average and count from its published reviews."""
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
