from celery import shared_task

from core import heartbeat

from .events import dispatch_booking_event
from .services import consistency_check as consistency_check_service
from .services import expire_overdue_holds as expire_overdue_holds_service
from .services import purge_idle_tallies

# Defined beside publish() so that events import no task module; listed here so the
# worker's autodiscovery (which imports each app's tasks) registers it.
__all__ = ["check_consistency", "dispatch_booking_event", "expire_overdue_holds"]


@shared_task(name="booking.tasks.expire_overdue_holds", ignore_result=True)
def expire_overdue_holds() -> int:
    """Release every overdue hold; safe when two workers or a redelivery run it at once.

    Then forget the hold tallies of actors left holding nothing.
    """
    expired = expire_overdue_holds_service()
    purge_idle_tallies()
    # After the sweep: a heartbeat says the sweep ran, not only that it began.
    heartbeat.beat(heartbeat.HOLD_EXPIRY)
    return expired


@shared_task(name="booking.tasks.check_consistency", ignore_result=True)
def check_consistency() -> int:
    """check_inventory and the channel drift check, on beat's schedule."""
    return consistency_check_service().pk
