from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import i18n, logs, metrics

        i18n.translate_model_names()

        logs.configure_structlog()
        logs.connect_celery_signals()
        metrics.register_scrape_gauge(
            "innkeep_outbox_lag_seconds",
            "Age of the oldest outbox event still to publish (0 when none).",
            (),
            _outbox_lag,
        )
        metrics.register_scrape_gauge(
            "innkeep_outbox_pending",
            "Outbox events still to publish.",
            (),
            _outbox_pending,
        )
        metrics.register_scrape_gauge(
            "innkeep_celery_queue_depth",
            "Messages waiting in each Celery queue of the broker.",
            ("queue",),
            _queue_depths,
        )
        metrics.register_scrape_gauge(
            "innkeep_beat_heartbeat_age_seconds",
            "Seconds since the hold-expiry task (run by beat every minute) last ran.",
            ("job",),
            _heartbeat_age,
        )


def _outbox_lag():
    from . import outbox

    yield {}, outbox.lag_seconds()


def _outbox_pending():
    from . import outbox

    yield {}, outbox.pending_count()


def _queue_depths():
    from . import broker

    for queue, depth in broker.queue_depths().items():
        yield {"queue": queue}, depth


def _heartbeat_age():
    from . import heartbeat

    age = heartbeat.age_seconds(heartbeat.HOLD_EXPIRY)
    # Never ran: infinitely old, so the stale-heartbeat alert fires.
    yield {"job": heartbeat.HOLD_EXPIRY}, float("inf") if age is None else age
