"""The retention policy: guest data of stays over GDPR_RETENTION_YEARS ago is anonymised.

Accounting keeps bookings and payments for that long; after it, a stay keeps its
dates, rooms and money but no longer names its guest. Each batch is one
transaction that skips rows another transaction holds, so a pass can run beside
the site, twice at once, or again after a crash.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from booking.models import Booking
from core.clock import db_now

from . import audit, scrub
from .models import PrivacyRequest


@dataclass
class RetentionResult:
    cutoff: date
    bookings: int = 0
    batches: int = 0


def retention_cutoff(today: date, years: int) -> date:
    """Return the first check-out date still kept `years` years after `today`."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_bookings(cutoff: date):
    """Return the bookings whose stay ended before `cutoff` and that name a guest.

    An anonymised booking has no e-mail address (a booking always has one before).
    """
    return Booking.objects.filter(check_out__lt=cutoff).exclude(guest_email="")


def retention_apply(
    *,
    years: int | None = None,
    batch_size: int = 200,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RetentionResult:
    """Anonymise every booking due under the policy; return what was done.

    `progress(done, total)` is called after each batch.
    """
    years = settings.GDPR_RETENTION_YEARS if years is None else years
    result = RetentionResult(cutoff=retention_cutoff(db_now().date(), years))
    total = due_bookings(result.cutoff).count()
    if dry_run or not total:
        result.bookings = 0 if not dry_run else total
        return result
    while True:
        with transaction.atomic(durable=True):
            bookings = list(
                due_bookings(result.cutoff)
                .order_by("pk")
                .select_for_update(of=("self",), skip_locked=True)[:batch_size]
            )
            if not bookings:
                break
            ids = [b.pk for b in bookings]
            counts = scrub.bookings_anonymise(ids, scrub.booking_needles(ids))
            audit.record(
                action=PrivacyRequest.Action.RETENTION,
                channel=PrivacyRequest.Channel.TASK,
                bookings=bookings,
                counts={**counts, "cutoff": result.cutoff.isoformat()},
            )
        result.bookings += len(bookings)
        result.batches += 1
        if progress is not None:
            progress(result.bookings, total)
    return result
