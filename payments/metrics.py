"""The payments app's scrape-time gauges (core/metrics.py computes them per scrape)."""

from django.db.models import Count

from core import metrics

from .models import Payment, Refund

_OPEN = (Refund.Status.PENDING, Refund.Status.FAILED, Refund.Status.GAVE_UP)


def refunds_open():
    """Yield the refunds not yet paid back, by status (pending, failed, gave_up)."""
    counts = dict(
        Refund.objects.filter(status__in=_OPEN)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    for status in _OPEN:
        yield {"status": str(status)}, counts.get(status, 0)


def register() -> None:
    # Every outcome exported from the start, at zero (rate() needs a series).
    for status in Payment.Status.values:
        metrics.PAYMENTS.labels(status)
    metrics.register_scrape_gauge(
        "innkeep_refunds_open",
        "Refunds not yet paid back: pending, failed (retrying), gave_up (needs a person).",
        ("status",),
        refunds_open,
    )
