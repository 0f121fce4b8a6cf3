"""Cancellation policies applied in the hotel's time zone (invariant 5 and 9)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.money import percent_of


@dataclass(frozen=True, slots=True)
class RefundStep:
    """Cancelling up to `until` (an aware hotel-local instant) refunds `percent`."""

    until: datetime
    percent: int


def _rules(policy: dict) -> list[dict]:
    return sorted(policy.get("rules", []), key=lambda rule: -rule["days_before"])


def refund_percent(policy: dict, *, check_in: date, at: datetime, tz: ZoneInfo) -> int:
    """Return the percentage refunded when cancelling at instant `at`.

    A rule "at least N days before check-in" holds while the hotel-local date of `at` is
    check-in minus N days or earlier; the most generous holding rule wins.
    """
    days_before = (check_in - at.astimezone(tz).date()).days
    return max(
        (
            rule["refund_percent"]
            for rule in _rules(policy)
            if days_before >= rule["days_before"]
        ),
        default=0,
    )


def refund_amount(
    policy: dict, *, total: int, check_in: date, at: datetime, tz: ZoneInfo
) -> int:
    """Return the minor units refunded of `total` when cancelling at `at`."""
    return percent_of(total, refund_percent(policy, check_in=check_in, at=at, tz=tz))


def refund_schedule(
    policy: dict, *, check_in: date, tz: ZoneInfo, at: datetime | None = None
) -> list[RefundStep]:
    """Return each deadline and its refund, latest deadline last, for showing to a guest.

    With `at` (now), only the deadlines still ahead: a guest is never shown a refund
    that cancelling can no longer give.
    """
    steps = []
    for rule in _rules(policy):
        last_day = check_in - timedelta(days=rule["days_before"])
        until = datetime.combine(last_day, time(23, 59, 59), tzinfo=tz)
        if at is None or until >= at:
            steps.append(RefundStep(until=until, percent=rule["refund_percent"]))
    return steps


def free_cancellation_until(
    policy: dict, *, check_in: date, tz: ZoneInfo, at: datetime | None = None
) -> datetime | None:
    """Return the last hotel-local instant with a full refund, or None if there is none.

    With `at` (now), None once that instant has passed.
    """
    full = [
        step.until
        for step in refund_schedule(policy, check_in=check_in, tz=tz, at=at)
        if step.percent == 100
    ]
    return max(full, default=None)
