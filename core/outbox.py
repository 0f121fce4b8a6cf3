"""The transactional outbox: an event is a row of its change's transaction, relayed later.

A change and its event commit together or not at all. `write()` inserts the event row
in the current transaction; `write_sql()` gives the same insert as a CTE, for a
statement that already runs under a row lock and must not pay another round trip.
Nothing here talks to the broker on the caller's path.

The relay (`relay()`, looped by `manage.py relay_outbox`, and run by beat as a safety
net) publishes committed rows to Celery, many to a message (`dispatch_batch`), where
each runs as the task `OUTBOX_TASKS` names for its topic, called
`task(aggregate_id, event_type, data, event_id=<row id>)`, and marks them published in
the transaction that locked them. `FOR UPDATE SKIP LOCKED` keeps two
relays off each other's rows. A relay that dies between publishing and committing
publishes those rows again: delivery is at least once, and every handler dedupes by
the event id.
"""

import json
import logging
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from celery import Celery, current_app, shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from kombu.exceptions import OperationalError as BrokerError

from . import logs
from .models import OutboxEvent

logger = logging.getLogger(__name__)

# request_id: the request that caused the event; its tasks log under it (core/logs.py).
_COLUMNS = "id, topic, aggregate_id, event_type, data, request_id"
_INSERT_SQL = (
    f"INSERT INTO core_outboxevent ({_COLUMNS}) "  # noqa: S608 (constant columns)
    "VALUES (%s, %s, %s, %s, %s::jsonb, %s)"
)


def _ensure_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("Outbox events must be written inside transaction.atomic().")


def _encode(data: dict | None) -> str:
    return json.dumps(data or {}, cls=DjangoJSONEncoder)


def write(
    *, topic: str, aggregate_id: int, event_type: str, data: dict | None = None
) -> str:
    """Record an event in the current transaction and return its id.

    Raises RuntimeError outside a transaction: the event must commit or roll back
    with the change it reports.
    """
    _ensure_transaction()
    event_id = str(uuid.uuid4())
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SQL,
            [
                event_id,
                topic,
                aggregate_id,
                event_type,
                _encode(data),
                logs.current_request_id(),
            ],
        )
    return event_id


def write_sql(
    *, source: str, topic: str, event_type: str, data: dict | None = None
) -> tuple[str, list, str]:
    """Return (sql, params, event id) that record an event for the row of a CTE.

    `source` names a CTE of the same statement that returns the aggregate's `id` (e.g.
    an `INSERT ... RETURNING id`); the SQL is a data-modifying statement to run as a
    further CTE, so the event is written with no round trip of its own.
    Raises RuntimeError outside a transaction, ValueError for a bad `source` name.
    """
    _ensure_transaction()
    if not source.isidentifier():
        raise ValueError(f"not a CTE name: {source!r}")
    event_id = str(uuid.uuid4())
    params = [event_id, topic, event_type, _encode(data), logs.current_request_id()]
    # `source` is a CTE name checked above, never input.
    sql = (
        f"INSERT INTO core_outboxevent ({_COLUMNS}) "  # noqa: S608
        f"SELECT %s, %s, id, %s, %s::jsonb, %s FROM {source}"
    )
    return sql, params, event_id


@dataclass
class RelayReport:
    """What one relay pass did: rows published, rows that failed, broker reachable."""

    published: int = 0
    failed: int = 0
    broker_down: bool = False


def backoff(attempts: int) -> float:
    """Seconds a row waits after its `attempts`-th failed publication (doubling, capped)."""
    return float(min(settings.OUTBOX_BACKOFF_MAX_SECONDS, 2 ** max(attempts - 1, 0)))


def relay(
    *, app: Celery | None = None, batch_size: int | None = None, min_age: float = 0
) -> RelayReport:
    """Publish one batch of due outbox rows to Celery and mark them published.

    `min_age` (seconds) leaves younger rows to another relay (beat's safety net waits
    for the relay process). A broker that cannot be reached stops the batch: its rows
    stay unpublished (attempts and last_error record it) for the next pass. Any other
    failure of one row is recorded on it and retried after `backoff()`. Never raises
    for a publication that failed.
    """
    app = app or current_app
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    report = RelayReport()
    with transaction.atomic():
        rows = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=Now()),
                published_at__isnull=True,
                created_at__lte=Now() - timedelta(seconds=min_age),
            )
            .order_by("created_at")[:batch_size]
        )
        if not rows:
            return report
        published: list[uuid.UUID] = []
        try:
            _publish_batch(app, rows, published, report)
        # Celery raises kombu's OperationalError for any connection trouble, whether
        # the pool hands out a connection or a publish fails.
        except BrokerError as error:
            logger.warning("outbox: broker unreachable: %s", error)
            report.broker_down = True
            _record_failure(rows[len(published) + report.failed :], error)
        OutboxEvent.objects.filter(pk__in=published).update(published_at=Now())
        report.published = len(published)
    return report


def drain(
    *, app: Celery | None = None, batch_size: int | None = None, min_age: float = 0
) -> int:
    """Relay batch after batch until nothing due is left or the broker is down.

    Return how many events were published.
    """
    total = 0
    while True:
        report = relay(app=app, batch_size=batch_size, min_age=min_age)
        total += report.published
        if report.broker_down or not report.published:
            return total


def _publish_batch(
    app: Celery, rows: list[OutboxEvent], published: list, report: RelayReport
) -> None:
    """Publish `rows` in order, adding each success to `published`.

    Up to OUTBOX_MESSAGE_EVENTS rows travel in one message (`dispatch_batch`): a rush
    of ten thousand holds is two hundred messages for the broker and the worker, not
    ten thousand. Eager (tests), each row's task runs here, on this connection, in a
    savepoint, so that a failing one is recorded on its own row.
    Raises BrokerError when the broker cannot be reached (the rest of the batch waits).
    """
    eager = app.conf.task_always_eager
    size = 1 if eager else max(settings.OUTBOX_MESSAGE_EVENTS, 1)
    with nullcontext() if eager else app.producer_or_acquire() as producer:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            try:
                if eager:
                    with (
                        logs.bound_contextvars(request_id=chunk[0].request_id),
                        transaction.atomic(),
                    ):
                        _task(app, chunk[0].topic).apply_async(
                            producer=None, retry=False, **_call(chunk[0])
                        )
                else:
                    for row in chunk:
                        _task(app, row.topic)  # a topic without a task fails here
                    app.tasks[dispatch_batch.name].apply_async(
                        args=([_event(row) for row in chunk],),
                        producer=producer,
                        retry=False,  # a broker outage is the next pass's business
                    )
            except BrokerError:
                raise
            except Exception as error:  # one bad row must not block the others
                logger.exception("outbox: could not publish %s", chunk[0].pk)
                report.failed += len(chunk)
                for row in chunk:
                    _record_failure([row], error, wait=backoff(row.attempts + 1))
            else:
                published.extend(row.pk for row in chunk)


def _task(app: Celery, topic: str):
    """Return the task OUTBOX_TASKS names for `topic`; raise LookupError if none."""
    task_name = settings.OUTBOX_TASKS.get(topic)
    if task_name is None:
        raise LookupError(f"no task in OUTBOX_TASKS for topic {topic!r}")
    task = app.tasks.get(task_name)
    if task is None:  # the task modules are not imported yet in this process
        app.loader.import_default_modules()
        task = app.tasks[task_name]
    return task


def _call(row: OutboxEvent) -> dict:
    return {
        "args": (row.aggregate_id, row.event_type, row.data),
        "kwargs": {"event_id": str(row.pk)},
        "task_id": str(row.pk),
        "headers": {logs.REQUEST_ID_HEADER: row.request_id},
    }


def _event(row: OutboxEvent) -> dict:
    return {
        "topic": row.topic,
        "aggregate_id": row.aggregate_id,
        "event_type": row.event_type,
        "data": row.data,
        "event_id": str(row.pk),
        "request_id": row.request_id,
    }


@shared_task(name="core.outbox.dispatch_batch", ignore_result=True, bind=True)
def dispatch_batch(self, events: list[dict]) -> int:
    """Run each event's topic task here, in order; return how many ran cleanly.

    An event whose task fails is published again as that task's own message (its id
    the event's), so it is retried and shown on its own, and the others go on.
    """
    ok = 0
    for event in events:
        task = _task(self.app, event["topic"])
        args = (event["aggregate_id"], event["event_type"], event["data"])
        # Each event logs under the request that caused it, and so does its retry.
        with logs.bound_contextvars(request_id=event.get("request_id") or None):
            try:
                task(*args, event_id=event["event_id"])
            except Exception:
                logger.exception(
                    "outbox: event %s failed in its batch", event["event_id"]
                )
                task.apply_async(
                    args=args,
                    kwargs={"event_id": event["event_id"]},
                    task_id=event["event_id"],
                )
            else:
                ok += 1
    return ok


def _record_failure(
    rows: list[OutboxEvent], error: Exception, *, wait: float | None = None
) -> None:
    """Count a failed attempt on `rows`; with `wait`, hold them back that many seconds."""
    OutboxEvent.objects.filter(pk__in=[row.pk for row in rows]).update(
        attempts=F("attempts") + 1,
        last_error=(str(error) or type(error).__name__)[:1000],
        next_attempt_at=None if wait is None else Now() + timedelta(seconds=wait),
    )


def purge_published(*, older_than: timedelta | None = None) -> int:
    """Delete rows published longer ago than `older_than`; return how many."""
    if older_than is None:
        older_than = timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboxEvent.objects.filter(
        published_at__lt=Now() - older_than
    ).delete()
    return deleted


def pending_count() -> int:
    """Return how many events are still to publish."""
    return OutboxEvent.objects.filter(published_at__isnull=True).count()


_LAG_SQL = (
    "SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)"
    " FROM core_outboxevent WHERE published_at IS NULL"
)


def lag_seconds() -> float:
    """Return the age in seconds of the oldest event still to publish (0 if none)."""
    with connection.cursor() as cursor:
        cursor.execute(_LAG_SQL)
        return float(cursor.fetchone()[0])
