"""hold_race's checks: the invariants on what a race left behind, PASS or FAIL each.

Nothing oversold, every night on sale sold out, the held bookings exactly the holds the
workers were told about, no other error, `inventory_disagreements()` empty. Django and
the project are imported inside verify: only after setup_django().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from benchlib import Target
from hold_race_figures import RunResult


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


def verify(
    result: RunResult, targets: list[Target], first_night: date, outputs
) -> None:
    """Check the invariants on what the race left behind."""
    from django.db.models import Sum

    from booking.models import Booking, BookingStatus
    from booking.selectors import inventory_disagreements
    from inventory.models import Inventory

    ids = [t.room_type_id for t in targets]
    checks = result.checks
    fatal = [out["fatal"] for out in outputs if "fatal" in out]
    checks.append(
        Check(
            "every worker ran to the end", not fatal, fatal[0][-300:] if fatal else ""
        )
    )
    timed_out = sum(1 for out in outputs if out.get("timed_out"))
    checks.append(
        Check("no worker hit --timeout", not timed_out, f"{timed_out} timed out")
    )
    checks.append(
        Check(
            "every answer was a hold or SOLD_OUT (Busy retried)",
            result.errors == 0,
            "; ".join(result.error_samples[:3]),
        )
    )

    rows = list(Inventory.objects.filter(room_type_id__in=ids))
    over = [r for r in rows if not 0 <= r.booked <= r.rooms + r.overbooking]
    checks.append(
        Check(
            "no row oversold: 0 <= booked <= rooms + overbooking",
            not over,
            ", ".join(f"{r.room_type_id}/{r.date}: {r.booked}" for r in over[:5]),
        )
    )
    sale_nights = {first_night + timedelta(days=i) for i in range(result.nights)}
    sold = sum(r.booked for r in rows if r.date in sale_nights)
    result.room_nights = sold
    unsold = [
        r for r in rows if r.date in sale_nights and r.booked != r.rooms + r.overbooking
    ]
    expected_full = not fatal and not timed_out and result.errors == 0
    checks.append(
        Check(
            "every night on sale sold out (all workers ended on SOLD_OUT)",
            not unsold or not expected_full,
            f"{len(unsold)} rows not full" if unsold else "",
        )
    )
    outside = sum(r.booked for r in rows if r.date not in sale_nights)
    checks.append(
        Check("nothing booked outside the nights on sale", outside == 0, str(outside))
    )

    bookings = Booking.objects.filter(room_type_id__in=ids)
    held = bookings.filter(status=BookingStatus.HELD)
    held_count = held.count()
    other = bookings.exclude(status=BookingStatus.HELD).count()
    held_room_nights = sum(
        b.rooms * (b.check_out - b.check_in).days
        for b in held.only("rooms", "check_in", "check_out")
    )
    told = [pk for out in outputs for pk in out.get("booking_ids", [])]
    checks.append(
        Check(
            "held bookings == holds the workers were told about (distinct)",
            held_count == len(told) == len(set(told)) and other == 0,
            f"held {held_count}, told {len(told)} ({len(set(told))} distinct), other {other}",
        )
    )
    booked_total = Inventory.objects.filter(room_type_id__in=ids).aggregate(
        s=Sum("booked")
    )["s"]
    checks.append(
        Check(
            "room-nights held == rooms sold (sum of booked)",
            held_room_nights == (booked_total or 0),
            f"held {held_room_nights}, booked {booked_total}",
        )
    )
    if result.scenario == "hot":
        checks.append(
            Check(
                "held bookings == rooms sold on the hot night",
                held_count == sold,
                f"held {held_count}, sold {sold}",
            )
        )
    disagreements = inventory_disagreements(room_type_ids=ids)
    checks.append(
        Check(
            "inventory_disagreements(room_type_ids=...) is empty",
            not disagreements,
            ", ".join(map(str, disagreements[:3])),
        )
    )
