"""The domain's Prometheus metrics, in one place (docs/operations.md lists them).

On the hot path a metric is a counter increment or a histogram observation in process
memory: no query, no network. What is only known from a table or the broker (outbox
lag, queue depth, open refunds, the beat heartbeat) is computed when /metrics is
scraped, by `ScrapeCollector`, from gauges the owning apps register with
`register_scrape_gauge()` (an app below cannot import the one above).

Under gunicorn or a prefork Celery worker, PROMETHEUS_MULTIPROC_DIR makes every
process write its samples to that directory, and one scrape sums them
(prometheus_client's multiprocess mode; core/ops.py and core/worker_metrics.py).
"""

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

log = logging.getLogger(__name__)

# In multiprocess mode every metric opens its file there when created, at import.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

HOLDS_TAKEN = Counter(
    "innkeep_holds_taken", "Holds taken (rooms held for a stay).", ["source"]
)
SOLD_OUT = Counter(
    "innkeep_sold_out_answers",
    "Sold-out answers: from the Redis hint (no lock) or found under lock.",
    ["where"],
)
BUSY = Counter(
    "innkeep_busy_answers", "Busy answers: a lock wait ran past lock_timeout."
)
_LOCK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
LOCK_WAIT = Histogram(
    "innkeep_lock_wait_seconds",
    "Seconds a hold waited to lock its inventory nights.",
    buckets=_LOCK_BUCKETS,
)
LOCK_HELD = Histogram(
    "innkeep_lock_held_seconds",
    "Seconds a hold kept its inventory nights locked, until commit or rollback.",
    buckets=_LOCK_BUCKETS,
)
HOLDS_EXPIRED = Counter("innkeep_holds_expired", "Holds expired and released.")
PAYMENTS = Counter(
    "innkeep_payments", "Payments that reached a new status, by it.", ["outcome"]
)
REFUNDS_GIVEN_UP = Counter(
    "innkeep_refunds_given_up", "Refunds left for a person (refused or out of tries)."
)
WEBHOOK_DELIVERIES = Counter(
    "innkeep_webhook_deliveries",
    "Partner webhook delivery attempts: succeeded, retrying, given_up.",
    ["outcome"],
)
SEARCH_SERVED = Counter(
    "innkeep_search_served", "Hotel searches by the backend that answered.", ["backend"]
)

# Labels known in advance are exported at zero, so a rate() has a series from the start
# and the alert rules need no `or vector(0)`.
for _where in ("hint", "lock"):
    SOLD_OUT.labels(_where)
for _outcome in ("succeeded", "retrying", "given_up"):
    WEBHOOK_DELIVERIES.labels(_outcome)
for _backend in ("cache", "postgres"):
    SEARCH_SERVED.labels(_backend)


@contextmanager
def lock_timer() -> Iterator[Callable[[], None]]:
    """Time a locked section: call the yielded `locked()` once the locks are taken.

    The wait (entry to `locked()`) and the hold (`locked()` to exit) go to their
    histograms; a section that never took its locks records only nothing.
    """
    start = time.perf_counter()
    taken: list[float] = []

    def locked() -> None:
        taken.append(time.perf_counter())

    try:
        yield locked
    finally:
        if taken:
            LOCK_WAIT.observe(taken[0] - start)
            LOCK_HELD.observe(time.perf_counter() - taken[0])


# Scrape-time gauges ---------------------------------------------------------------------

ScrapeFunc = Callable[[], Iterable[tuple[dict[str, str], float]]]
_SCRAPE_GAUGES: dict[str, tuple[str, tuple[str, ...], ScrapeFunc]] = {}


def register_scrape_gauge(
    name: str, documentation: str, labels: Iterable[str], func: ScrapeFunc
) -> None:
    """Export gauge `name`, whose samples `func()` yields as (labels, value) per scrape.

    Registering a name again replaces it (an app's ready() may run twice in tests).
    """
    _SCRAPE_GAUGES[name] = (documentation, tuple(labels), func)


def scrape_gauge_names() -> list[str]:
    return sorted(_SCRAPE_GAUGES)


class ScrapeCollector(Collector):
    """Compute the registered scrape-time gauges; one that fails is left out, logged."""

    def collect(self):
        for name, (documentation, labels, func) in sorted(_SCRAPE_GAUGES.items()):
            family = GaugeMetricFamily(name, documentation, labels=list(labels))
            try:
                for label_values, value in func():
                    family.add_metric([label_values[k] for k in labels], value)
            except Exception:  # a down dependency must not break the whole scrape
                log.warning("metrics: gauge %s could not be computed", name)
                continue
            yield family


def scrape_registry() -> CollectorRegistry:
    """Return the registry one scrape reads: this process's, or every process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        # No auto_describe: it would collect (and query) once more per registration.
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(ScrapeCollector())
    return registry


class _Forward(Collector):
    """The process's default registry, seen from another registry."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()
