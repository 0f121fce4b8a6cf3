"""Relative price changes over many nights, their preview, and their undo.

Rate plans have no nightly price of their own: a plan sells at the room type's price
adjusted by its rule (`RatePlan.price_adjustment_bp`). A change therefore moves room
types' nightly prices by a rule each (+10%, -€5, set to €120) and may set plan rules in
the same transaction; the preview shows what every plan then costs.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db import connection, transaction

from core.clock import db_now
from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from core.money import apply_basis_points
from hotels.models import Hotel, RoomType

from . import locking
from .models import Inventory, RateChange, RatePlan
from .services import MAX_CHANGE_NIGHTS, open_nights

PRICE_MAX = 2_147_483_647
PERCENT_MIN_BP, PERCENT_MAX_BP = -9_000, 50_000  # -90% .. +500%
PLAN_MIN_BP, PLAN_MAX_BP = -9_000, 50_000  # the RatePlan field's own bounds

_SET_PRICES_SQL = """
UPDATE inventory_inventory AS row SET price = new.price, updated_at = now()
FROM unnest(%s::bigint[], %s::integer[]) AS new(id, price)
WHERE row.id = new.id
"""


class RuleKind(StrEnum):
    PERCENT = "percent"  # value in basis points: 1000 = +10%
    AMOUNT = "amount"  # value in minor units, may be negative
    SET = "set"  # value in minor units


@dataclass(frozen=True)
class PriceRule:
    kind: RuleKind
    value: int

    def apply(self, price: int) -> int:
        if self.kind == RuleKind.PERCENT:
            return apply_basis_points(price, self.value)
        if self.kind == RuleKind.AMOUNT:
            return price + self.value
        return self.value


@dataclass(frozen=True)
class RateChangeRequest:
    """Nights [start, end) on `weekdays` (ISO numbers; None: all), a rule per room
    type id, and new plan rules (basis points) per rate plan id."""

    start: date
    end: date
    weekdays: frozenset[int] | None
    rules: Mapping[int, PriceRule]
    plan_rules: Mapping[int, int] = field(default_factory=dict)

    def nights(self) -> list[date]:
        return [
            night
            for night in (
                self.start + timedelta(days=i)
                for i in range((self.end - self.start).days)
            )
            if self.weekdays is None or night.isoweekday() in self.weekdays
        ]


@dataclass(frozen=True)
class NightChange:
    room_type_id: int
    date: date
    before: int
    after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class PlanChange:
    rate_plan_id: int
    room_type_id: int
    before: int
    after: int


@dataclass
class RatePreview:
    nights: list[NightChange]
    plans: list[PlanChange]
    digest: str

    @property
    def changed(self) -> int:
        return sum(1 for night in self.nights if night.changed)

    @property
    def unchanged(self) -> int:
        return len(self.nights) - self.changed


@dataclass
class UndoResult:
    change: RateChange
    restored: int
    plans_restored: int
    kept: list[dict]


def _refuse(message: str, **params):
    raise ValidationError(ErrorCode.INVALID_INVENTORY_CHANGE, message, **params)


def _validate(request: RateChangeRequest, room_types, plans) -> None:
    if request.end <= request.start:
        _refuse("The last night cannot be before the first.")
    if (request.end - request.start).days > MAX_CHANGE_NIGHTS:
        _refuse(f"Change at most {MAX_CHANGE_NIGHTS} nights at a time.")
    if request.weekdays is not None and (
        not request.weekdays or not request.weekdays <= set(range(1, 8))
    ):
        _refuse("Choose at least one weekday.")
    if not request.rules and not request.plan_rules:
        _refuse("Nothing to change: give a room type a price change or a plan a rule.")
    if request.rules and not request.nights():
        _refuse("None of those weekdays falls between the first and the last night.")
    for room_type_id, rule in request.rules.items():
        if room_type_id not in room_types:
            raise NotFound(
                ErrorCode.NOT_FOUND, f"No room type {room_type_id} to change."
            )
        if rule.kind == RuleKind.PERCENT and not (
            PERCENT_MIN_BP <= rule.value <= PERCENT_MAX_BP
        ):
            _refuse("A percentage change is between -90% and +500%.")
        if rule.kind == RuleKind.SET and not 0 <= rule.value <= PRICE_MAX:
            _refuse("A new price cannot be negative.")
        if abs(rule.value) > PRICE_MAX:
            _refuse("That amount is too large.")
    for plan_id, value in request.plan_rules.items():
        if plan_id not in plans:
            raise NotFound(ErrorCode.NOT_FOUND, f"No rate plan {plan_id} to change.")
        if not PLAN_MIN_BP <= value <= PLAN_MAX_BP:
            _refuse("A plan's rule is between -90% and +500% of the room type's price.")


def _digest(nights: Iterable[NightChange], plans: Iterable[PlanChange]) -> str:
    text = ";".join(
        [f"{n.room_type_id}:{n.date}:{n.before}:{n.after}" for n in nights]
        + [f"p{p.rate_plan_id}:{p.before}:{p.after}" for p in plans]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _compute(request, room_types, plans, prices) -> RatePreview:
    """Work out every night and plan of the request from `prices` (rt, date) -> price."""
    nights = [
        NightChange(
            room_type_id=room_type_id,
            date=night,
            before=(
                before := prices.get(
                    (room_type_id, night), room_types[room_type_id].base_price
                )
            ),
            after=rule.apply(before),
        )
        for room_type_id, rule in sorted(request.rules.items())
        for night in request.nights()
    ]
    plan_changes = [
        PlanChange(
            rate_plan_id=plan_id,
            room_type_id=plans[plan_id].room_type_id,
            before=plans[plan_id].price_adjustment_bp,
            after=value,
        )
        for plan_id, value in sorted(request.plan_rules.items())
        if plans[plan_id].price_adjustment_bp != value
    ]
    if not any(n.changed for n in nights) and not plan_changes:
        _refuse("Nothing would change: every chosen night already has that price.")
    below = [n for n in nights if n.after < 0]
    if below:
        _refuse(
            f"The price would go below zero on {len(below)} night(s), "
            f"e.g. {below[0].date.isoformat()}.",
            nights=[str(n.date) for n in below],
        )
    if any(n.after > PRICE_MAX for n in nights):
        _refuse("The price would be too large on some nights.")
    return RatePreview(
        nights=nights, plans=plan_changes, digest=_digest(nights, plan_changes)
    )


def _scope(hotel: Hotel):
    room_types = {rt.pk: rt for rt in RoomType.objects.filter(hotel=hotel)}
    plans = {p.pk: p for p in RatePlan.objects.filter(room_type__hotel=hotel)}
    return room_types, plans


def rate_change_preview(*, hotel: Hotel, request: RateChangeRequest) -> RatePreview:
    """Say what `request` would change, night by night, without writing anything.

    Raises ValidationError or NotFound (a room type or plan of another hotel).
    """
    room_types, plans = _scope(hotel)
    _validate(request, room_types, plans)
    today = db_now().astimezone(hotel.tz).date()
    if request.start < today:
        _refuse(
            f"Nights before today ({today.isoformat()}, hotel time) cannot change.",
            field="start",
        )
    prices = dict(
        (((rt, night), price))
        for rt, night, price in Inventory.objects.filter(
            room_type_id__in=list(request.rules),
            date__gte=request.start,
            date__lt=request.end,
        ).values_list("room_type_id", "date", "price")
    )
    return _compute(request, room_types, plans, prices)


def rate_change_apply(
    *, hotel: Hotel, request: RateChangeRequest, by=None, expected: str | None = None
) -> RateChange:
    """Apply a previewed price change: every night and plan of it, or nothing.

    Nights not yet open are opened at the room type's defaults first. The rows are
    locked in the global order, and the change is worked out again from the locked
    prices; when `expected` (the preview's digest) no longer matches, nothing is
    written. Return the record an undo starts from.
    Raises ValidationError (bad values, a past night, a negative price), NotFound,
    Unavailable (PRICE_CHANGED since the preview) or Busy.
    """

    room_types, plans = _scope(hotel)
    _validate(request, room_types, plans)
    nights = request.nights()
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        today = now.astimezone(hotel.tz).date()
        if request.start < today:
            _refuse(
                f"Nights before today ({today.isoformat()}, hotel time) cannot change.",
                field="start",
            )
        for room_type_id in sorted(request.rules):
            open_nights(room_types[room_type_id], nights)
        locked = locking.lock_room_types({rt: nights for rt in request.rules})
        locked_plans = {
            p.pk: p
            for p in RatePlan.objects.select_for_update()
            .filter(pk__in=list(request.plan_rules))
            .order_by("pk")
        }
        plans.update(locked_plans)
        prices = {
            (rt, night): row.price
            for rt, rows in locked.items()
            for night, row in rows.items()
        }
        preview = _compute(request, room_types, plans, prices)
        if expected is not None and preview.digest != expected:
            raise Unavailable(
                ErrorCode.PRICE_CHANGED,
                "Prices changed since the preview: check the new preview and apply again.",
            )
        changed = [n for n in preview.nights if n.changed]
        ids = [locked[n.room_type_id][n.date].id for n in changed]
        with connection.cursor() as cursor:
            cursor.execute(_SET_PRICES_SQL, [ids, [n.after for n in changed]])
        for plan in preview.plans:
            RatePlan.objects.filter(pk=plan.rate_plan_id).update(
                price_adjustment_bp=plan.after
            )
        record = RateChange.objects.create(
            hotel=hotel,
            created_by=by,
            start=request.start,
            last=request.end - timedelta(days=1),
            weekdays=sorted(request.weekdays or []),
            rules={
                str(rt): {"kind": str(rule.kind), "value": rule.value}
                for rt, rule in request.rules.items()
            },
            nights=[_night_json(n) for n in changed],
            plans=[_plan_json(p) for p in preview.plans],
        )
    return record


def _night_json(night: NightChange) -> dict:
    return {
        "room_type_id": night.room_type_id,
        "date": night.date.isoformat(),
        "before": night.before,
        "after": night.after,
    }


def _plan_json(plan: PlanChange) -> dict:
    return {
        "rate_plan_id": plan.rate_plan_id,
        "room_type_id": plan.room_type_id,
        "before": plan.before,
        "after": plan.after,
    }


def rate_change_undo(*, hotel: Hotel, change_id: int, by=None) -> UndoResult:
    """Put back the prices and plan rules a rate change replaced.

    A night or plan changed again since keeps its current value and is listed in the
    result (`kept`, with the reason), as is a night already past (hotel time).
    Raises NotFound, ValidationError (already undone) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        change = (
            RateChange.objects.select_for_update()
            .filter(pk=change_id, hotel=hotel)
            .first()
        )
        if change is None:
            raise NotFound(ErrorCode.NOT_FOUND, "No such rate change at this hotel.")
        if change.undone_at is not None:
            raise ValidationError(
                ErrorCode.NOTHING_TO_CHANGE, "This change was already undone."
            )
        today = now.astimezone(hotel.tz).date()
        wanted: dict[int, list[date]] = {}
        kept = []
        for night in change.nights:
            day = date.fromisoformat(night["date"])
            if day < today:
                kept.append({**night, "reason": "past"})
            else:
                wanted.setdefault(night["room_type_id"], []).append(day)
        locked = locking.lock_room_types(wanted)
        ids, prices = [], []
        for night in change.nights:
            day = date.fromisoformat(night["date"])
            if day < today:
                continue
            row = locked.get(night["room_type_id"], {}).get(day)
            if row is None or row.price != night["after"]:
                kept.append(
                    {
                        **night,
                        "reason": "changed",
                        "now": None if row is None else row.price,
                    }
                )
                continue
            ids.append(row.id)
            prices.append(night["before"])
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(_SET_PRICES_SQL, [ids, prices])
        plans_restored = 0
        current = {
            p.pk: p
            for p in RatePlan.objects.select_for_update()
            .filter(pk__in=[p["rate_plan_id"] for p in change.plans])
            .order_by("pk")
        }
        for plan in change.plans:
            row = current.get(plan["rate_plan_id"])
            if row is None or row.price_adjustment_bp != plan["after"]:
                kept.append(
                    {
                        **plan,
                        "reason": "changed",
                        "now": None if row is None else row.price_adjustment_bp,
                    }
                )
                continue
            RatePlan.objects.filter(pk=row.pk).update(
                price_adjustment_bp=plan["before"]
            )
            plans_restored += 1
        change.undone_at = now
        change.undone_by = by
        change.undo_kept = kept
        change.save(update_fields=["undone_at", "undone_by", "undo_kept"])
    return UndoResult(
        change=change, restored=len(ids), plans_restored=plans_restored, kept=kept
    )
