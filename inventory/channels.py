"""What each connected channel manager believes of the inventory, and where it drifted.

A channel manager pushes availability, rates and restrictions (`inventory_apply` with
`channel_partner_id`) and may pull a full snapshot back (`channel_snapshot`). Both are
recorded per room-type night (`ChannelNight`): a push merges the fields it set, a pull
replaces them all. The consistency check (booking.services.consistency_check) compares
every future recorded night with the inventory as it is now (`channel_drift_refresh`):
a night a manager changed in the admin after the channel's push, a closure, a night
deleted, all show as disagreements until the channel pushes or pulls again.
"""

import json
from collections.abc import Sequence
from datetime import date, timedelta

from django.db import connection, transaction

from core.clock import db_now
from hotels.models import Hotel

from .models import CHANNEL_FIELDS, ChannelDrift, ChannelNight, Inventory

# Days a snapshot covers by default and at most (a year, as a push may set).
SNAPSHOT_DAYS = 365
SNAPSHOT_MAX_DAYS = 500

_UPSERT = """
INSERT INTO inventory_channelnight (partner_id, room_type_id, date, known, source, seen_at)
SELECT %(partner)s, t.room_type_id, t.night, t.known::jsonb, %(source)s, now()
FROM unnest(%(room_types)s::bigint[], %(nights)s::date[], %(known)s::text[])
     AS t(room_type_id, night, known)
ON CONFLICT (partner_id, room_type_id, date) DO UPDATE SET
    known = {merge},
    source = EXCLUDED.source,
    seen_at = EXCLUDED.seen_at
"""


def _record(partner_id: int, rows: dict, source: str) -> None:
    if not rows:
        return
    merge = (
        "inventory_channelnight.known || EXCLUDED.known"
        if source == ChannelNight.Source.PUSH
        else "EXCLUDED.known"
    )
    keys = sorted(rows)  # one order, so two recorders never deadlock
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(merge=merge),
            {
                "partner": partner_id,
                "source": source,
                "room_types": [room_type_id for room_type_id, _ in keys],
                "nights": [night for _, night in keys],
                "known": [json.dumps(rows[key], sort_keys=True) for key in keys],
            },
        )


def channel_record_push(*, partner_id: int, changes: Sequence) -> None:
    """Record the fields each pushed change set on its nights (in the push's transaction)."""
    rows: dict[tuple[int, date], dict] = {}
    for change in changes:
        fields = {
            name: getattr(change, name)
            for name in CHANNEL_FIELDS
            if getattr(change, name) is not None
        }
        if fields.get("max_stay") == 0:  # 0 removes the maximum stay
            fields["max_stay"] = None
        for night in change.nights():
            rows.setdefault((change.room_type_id, night), {}).update(fields)
    _record(partner_id, rows, ChannelNight.Source.PUSH)


def _as_channel_sees(row: Inventory) -> dict:
    known = {name: getattr(row, name) for name in CHANNEL_FIELDS}
    known["stop_sell"] = row.stop_sell or row.closed  # a closure is off sale too
    return known


def channel_snapshot(*, partner_id: int, hotel: Hotel, days: int = SNAPSHOT_DAYS):
    """Return (as_of, start, end, rows) of every night of the hotel's room types from
    the hotel's today for `days`, and record that the channel now knows them."""
    with transaction.atomic():
        as_of = db_now()
        start = as_of.astimezone(hotel.tz).date()
        end = start + timedelta(days=days)
        rows = list(
            Inventory.objects.filter(
                room_type__hotel=hotel, date__gte=start, date__lt=end
            ).order_by("room_type_id", "date")
        )
        _record(
            partner_id,
            {(row.room_type_id, row.date): _as_channel_sees(row) for row in rows},
            ChannelNight.Source.PULL,
        )
    return as_of, start, end, rows


_DRIFT_LOCK = 0x1D81F7  # an advisory lock key of its own
_DRIFT = """
INSERT INTO inventory_channeldrift
    (partner_id, hotel_id, room_type_id, date, field, ours, theirs, source, seen_at,
     found_at)
SELECT cn.partner_id, rt.hotel_id, cn.room_type_id, cn.date, f.field, f.ours,
       cn.known -> f.field, cn.source, cn.seen_at, now()
FROM inventory_channelnight cn
JOIN hotels_roomtype rt ON rt.id = cn.room_type_id
JOIN hotels_hotel h ON h.id = rt.hotel_id
-- Only channels still connected to the hotel.
JOIN accounts_partner_hotels ph
  ON ph.partner_id = cn.partner_id AND ph.hotel_id = rt.hotel_id
LEFT JOIN inventory_inventory i
  ON i.room_type_id = cn.room_type_id AND i.date = cn.date
CROSS JOIN LATERAL (VALUES
    ('rooms', to_jsonb(i.rooms)),
    ('price', to_jsonb(i.price)),
    ('stop_sell', to_jsonb(i.stop_sell OR i.closed)),
    ('min_stay', to_jsonb(i.min_stay)),
    ('max_stay', CASE WHEN i.id IS NULL THEN NULL
                      ELSE COALESCE(to_jsonb(i.max_stay), 'null'::jsonb) END),
    ('closed_to_arrival', to_jsonb(i.closed_to_arrival)),
    ('closed_to_departure', to_jsonb(i.closed_to_departure))
) AS f(field, ours)
WHERE cn.date >= (now() AT TIME ZONE h.time_zone)::date
  AND cn.known ? f.field
  AND f.ours IS DISTINCT FROM cn.known -> f.field
"""


def channel_drift_refresh() -> int:
    """Replace the recorded disagreements with the ones found now; return how many.

    Nights before yesterday (UTC) are forgotten: nobody sells them any more.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # Two runs at once take turns: each replaces the whole list.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DRIFT_LOCK])
        ChannelDrift.objects.all().delete()
        ChannelNight.objects.filter(
            date__lt=db_now().date() - timedelta(days=1)
        ).delete()
        cursor.execute(_DRIFT)
        return cursor.rowcount
