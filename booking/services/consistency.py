"""The consistency check on a schedule: counts against bookings, channels against us."""

import logging

from core.clock import db_now
from inventory.channels import channel_drift_refresh
from inventory.models import ConsistencyRun

from ..selectors import inventory_disagreements, tally_disagreements

log = logging.getLogger(__name__)
# Runs kept for the admin's history; older ones are deleted by the next run.
RUNS_KEPT = 200


def consistency_check() -> ConsistencyRun:
    """Run check_inventory's comparisons and the channel drift check; record the counts.

    Safe to run twice at once (each run replaces the drift list in its transaction).
    """
    inventory = inventory_disagreements()
    tallies = tally_disagreements()
    drift = channel_drift_refresh()
    run = ConsistencyRun.objects.create(
        ran_at=db_now(),
        inventory_disagreements=len(inventory),
        tally_disagreements=len(tallies),
        channel_drift=drift,
    )
    stale = ConsistencyRun.objects.order_by("-ran_at").values_list("pk", flat=True)[
        RUNS_KEPT:
    ]
    ConsistencyRun.objects.filter(pk__in=list(stale)).delete()
    if inventory or tallies:
        log.error(
            "inventory counts disagree with the bookings",
            extra={"nights": len(inventory), "tallies": len(tallies)},
        )
    if drift:
        log.warning("channels disagree with the inventory", extra={"fields": drift})
    return run
