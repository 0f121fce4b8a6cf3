"""The inventory app's scrape-time gauges: the last consistency check and channel drift."""

import math
from collections import Counter

from core import metrics
from core.clock import db_now

from .models import ChannelDrift, ConsistencyRun


def channel_drift_nights():
    """Yield, per channel, the room-type nights on which it disagrees with us.

    By channel only: a hotel label would be a series per hotel (docs/operations.md); the
    admin lists the hotels and nights.
    """
    nights = Counter(
        partner
        for partner, _, _ in ChannelDrift.objects.values_list(
            "partner__name", "room_type_id", "date"
        )
        .order_by()
        .distinct()
    )
    for partner, count in sorted(nights.items()):
        yield {"partner": partner}, count


def consistency_disagreements():
    """Yield the last check's counts: inventory nights, hold tallies, channel fields
    (zeros before the first run, whose age is then +Inf)."""
    run = ConsistencyRun.objects.order_by("-ran_at").first()
    yield {"kind": "inventory"}, run.inventory_disagreements if run else 0
    yield {"kind": "tally"}, run.tally_disagreements if run else 0
    yield {"kind": "channel"}, run.channel_drift if run else 0


def consistency_check_age():
    run = ConsistencyRun.objects.order_by("-ran_at").first()
    yield {}, (db_now() - run.ran_at).total_seconds() if run else math.inf


def register() -> None:
    metrics.register_scrape_gauge(
        "innkeep_channel_drift_nights",
        "Room-type nights on which a connected channel's last push or pull disagrees "
        "with the inventory, per channel (from the last consistency check).",
        ("partner",),
        channel_drift_nights,
    )
    metrics.register_scrape_gauge(
        "innkeep_consistency_disagreements",
        "What the last consistency check found: inventory nights whose count disagrees "
        "with the bookings, hold tallies, channel fields.",
        ("kind",),
        consistency_disagreements,
    )
    metrics.register_scrape_gauge(
        "innkeep_consistency_check_age_seconds",
        "Seconds since the consistency check (beat, every 15 minutes) last ran.",
        (),
        consistency_check_age,
    )
