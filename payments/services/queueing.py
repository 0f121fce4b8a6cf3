"""Queue a payments task by its name (callers queue once their work has committed).

payments/tasks.py imports the services its tasks run, so a service cannot import the
task module back without a circle; it names the task instead. The names are wire
identifiers (queued messages carry them) and must match the `name=` in tasks.py.
"""

import logging

from celery import current_app

logger = logging.getLogger(__name__)

SUBMIT_REFUND = "payments.tasks.submit_refund"
SUBMIT_NO_SHOW_FEE = "payments.tasks.submit_no_show_fee"


def queue_task(task_name: str, object_id: int) -> None:
    """Queue the task called `task_name` for one object.

    Never raises: when the broker is down it logs, and the reconciliation sweep picks
    up the work.
    """
    try:
        current_app.tasks[task_name].delay(object_id)
    except Exception:  # the broker is down: the reconciliation sweep picks it up
        logger.exception("Could not queue %s(%s)", task_name, object_id)
