"""Helpers for tests that race real threads, each on its own database connection."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(
    count: int, work: Callable[[int], Any], timeout: float = 120
) -> list[Outcome]:
    """Run `work(i)` in `count` threads released at once by a barrier; return outcomes.

    Each thread connects before the barrier so that the race starts at the first query.
    """
    barrier = threading.Barrier(count)
    outcomes = [Outcome() for _ in range(count)]

    def runner(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=timeout)
            outcomes[index].value = work(index)
        except BaseException as error:  # reported to the test
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("a racing thread did not finish")
    return outcomes
