"""What the audit triggers cost: bookings (hold + confirm) and a year-long calendar edit,
with the history triggers on and off. Run against a scratch database:

    DATABASE_URL=... python bench/audit_overhead.py [bookings]

It creates its own hotel and leaves it behind; the triggers are switched back on at the end.
"""

import os
import platform
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402

from booking.services import GuestDetails, booking_confirm, booking_hold  # noqa: E402
from core.clock import db_now  # noqa: E402
from hotels.models import Hotel, RoomType  # noqa: E402
from inventory.models import RatePlan  # noqa: E402
from inventory.rules import StayRequest  # noqa: E402
from inventory.services import InventoryChange, inventory_apply, inventory_open  # noqa: E402

TABLES = ["booking_booking", "inventory_inventory"]


def triggers(enabled: bool) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")


def setup(tag: str):
    hotel = Hotel.objects.create(
        name=f"Bench {tag}", slug=f"bench-{tag}-{time.time_ns()}", city="Lisbon",
        country="PT", time_zone="Europe/Lisbon", currency="EUR",
    )  # fmt: skip
    room_types = [
        RoomType.objects.create(
            hotel=hotel,
            name=f"Type {i}",
            code=f"t{i}",
            room_count=500,
            base_price=10_000,
        )
        for i in range(4)
    ]
    today = db_now().astimezone(hotel.tz).date()
    for room_type in room_types:
        inventory_open(
            room_type=room_type, start=today, end=today + timedelta(days=400)
        )
    plan = RatePlan.objects.create(room_type=room_types[0], name="Std", code="std")
    return today, room_types, plan


def run(tag: str, bookings: int) -> tuple[float, float]:
    today, room_types, plan = setup(tag)
    guest = GuestDetails(name="Bench", email="bench@example.com")
    started = time.perf_counter()
    for i in range(bookings):
        check_in = today + timedelta(days=1 + i % 300)
        booking = booking_hold(
            rate_plan_id=plan.pk,
            stay=StayRequest(check_in, check_in + timedelta(days=2)),
            guest=guest,
            source="site",
        )
        booking_confirm(booking_id=booking.pk)
    per_booking = (time.perf_counter() - started) / bookings * 1000
    started = time.perf_counter()
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=rt.pk,
                start=today,
                end=today + timedelta(days=365),
                price=12_000,
                min_stay=2,
            )
            for rt in room_types
        ],
        room_types=room_types,
    )
    calendar = (time.perf_counter() - started) * 1000
    return per_booking, calendar


def main() -> None:
    bookings = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results = {"off": [], "on": []}
    try:
        run("warm-up", max(bookings // 4, 10))
        for _ in range(2):  # alternate, so drift hits both sides alike
            for state in ("off", "on"):
                triggers(state == "on")
                results[state].append(run(state, bookings))
    finally:
        triggers(True)
    print(f"hold + confirm, one at a time, {bookings} bookings per run (2 runs each):")
    for state, runs in results.items():
        print(
            f"  triggers {state}: "
            + ", ".join(f"{r[0]:.2f}" for r in runs)
            + " ms/booking"
        )
    print(
        "calendar edit: 4 room types x 365 nights (price, min stay), one transaction:"
    )
    for state, runs in results.items():
        print(f"  triggers {state}: " + ", ".join(f"{r[1]:.0f}" for r in runs) + " ms")


if __name__ == "__main__":
    main()
