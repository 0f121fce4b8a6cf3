"""profile_hold's py-spy summary: a racing worker's wall time by phase and by state.

Reads the raw (collapsed) stacks that `hold_race.py --py-spy FILE` records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

# Phases of a hold, by the innermost of these frames on a sampled stack (py-spy frame names
# are "function (file:line)"); the first match from the end of the stack wins.
PHASES = [
    (
        "load_rate_plan (booking/services/common.py",
        "load_rate_plan: plan, type, hotel, rules",
    ),
    ("_replay (booking/services/holds.py", "_replay: idempotency SELECT"),
    ("known_short (inventory/hints.py", "hint check (Redis MGET)"),
    ("remember_short (inventory/hints.py", "hint store (Redis SET)"),
    (
        "release_overdue_holds (booking/services/expiry.py",
        "release_overdue_holds (sold out)",
    ),
    ("validate_guest (booking/services/common.py", "validate_guest"),
    ("request_fingerprint (booking/services/common.py", "request_fingerprint"),
    ("begin_locked_section (inventory/locking.py", "BEGIN + set_config/now()"),
    ("lock_nights (inventory/locking.py", "lock query (incl. lock wait)"),
    ("take (inventory/locking.py", "UPDATE booked (lock held)"),
    ("take_and_insert (inventory/locking.py", "UPDATE + INSERT (lock held)"),
    ("Model.save (django/db/models/base.py", "INSERT booking (lock held)"),
    ("Atomic.__exit__ (django/db/transaction.py", "COMMIT (lock held)"),
    ("_hold_once (booking/services/holds.py", "rest of _hold_once (lock held)"),
    ("booking_hold (booking/services/holds.py", "rest of booking_hold"),
]


STATES = ("waiting on PostgreSQL", "sending to PostgreSQL", "Redis I/O", "Python CPU")


def _state(leaf: str) -> str:
    if leaf.startswith("Connection.wait (psycopg/"):
        return "waiting on PostgreSQL"
    if leaf.startswith("ClientCursorMixin._execute_send (psycopg/"):
        return "sending to PostgreSQL"
    if "(redis/" in leaf or "(django_redis/" in leaf:
        return "Redis I/O"
    return "Python CPU"


def collapsed(path: str, top: int, out: Callable[..., None]):
    """Summarise py-spy raw ("collapsed") stacks of a racing worker by phase and state."""
    table: dict[str, Counter] = {}
    leaf = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf[frames[-1]] += n
        phase = "outside booking_hold (bench loop, startup)"
        for frame in reversed(frames):
            match = next(
                (name for prefix, name in PHASES if frame.startswith(prefix)), None
            )
            if match:
                phase = match
                break
        table.setdefault(phase, Counter())[_state(frames[-1])] += n
    out(
        f"\n== py-spy of one racing worker ({Path(path).name}): {total} samples of wall time"
    )
    out(
        "  'sending' is libpq's send: on 2 busy cores the sender is often preempted right after "
        "it wakes its PostgreSQL backend."
    )
    header = f"  {'phase':45} {'share':>6}  " + "  ".join(
        f"{s[:22]:>22}" for s in STATES
    )
    out(header)
    for phase, counts in sorted(table.items(), key=lambda item: -sum(item[1].values())):
        row = f"  {phase:45} {sum(counts.values()) / total:6.1%}  "
        row += "  ".join(f"{counts[s] / total:22.1%}" for s in STATES)
        out(row)
    totals = Counter()
    for counts in table.values():
        totals.update(counts)
    out(
        f"  {'all':45} {1:6.1%}  "
        + "  ".join(f"{totals[s] / total:22.1%}" for s in STATES)
    )
    out(f"  top {top} leaf frames:")
    for frame, n in leaf.most_common(top):
        out(f"    {n / total:6.1%}  {frame[:150] or '(no Python frame)'}")
