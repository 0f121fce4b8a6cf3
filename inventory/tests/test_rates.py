from datetime import timedelta

import pytest

from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.tests.factories import HotelFactory, RoomTypeFactory
from inventory.models import Inventory, RateChange, RatePlan
from inventory.rates import (
    PriceRule,
    RateChangeRequest,
    RuleKind,
    rate_change_apply,
    rate_change_preview,
    rate_change_undo,
)
from inventory.services import InventoryChange, inventory_apply

pytestmark = pytest.mark.django_db

PLUS_10 = PriceRule(RuleKind.PERCENT, 1_000)


def prices(room_type, start, days):
    return list(
        Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=start + timedelta(days=days)
        )
        .order_by("date")
        .values_list("price", flat=True)
    )


@pytest.fixture
def suite(hotel, today):
    return RoomTypeFactory(hotel=hotel, room_count=2, base_price=250_000)


def request_for(today, rules, days=7, offset=3, weekdays=None, plan_rules=None):
    start = today + timedelta(days=offset)
    return RateChangeRequest(
        start=start,
        end=start + timedelta(days=days),
        weekdays=weekdays,
        rules=rules,
        plan_rules=plan_rules or {},
    )


def test_relative_rules_per_room_type_in_one_change_on_chosen_weekdays(
    hotel, room_type, suite, today
):
    request = request_for(
        today,
        {
            room_type.pk: PLUS_10,
            suite.pk: PriceRule(RuleKind.AMOUNT, -20_000),
        },
        days=14,
        weekdays=frozenset({5, 6}),
    )

    record = rate_change_apply(hotel=hotel, request=request)

    rows = Inventory.objects.filter(
        room_type=room_type, date__gte=request.start, date__lt=request.end
    )
    for row in rows:
        weekend = row.date.isoweekday() in (5, 6)
        assert row.price == (110_000 if weekend else 100_000)
    # The suite's nights were not open yet: opened at its base price, then moved.
    suite_rows = Inventory.objects.filter(room_type=suite)
    assert {row.price for row in suite_rows} == {230_000}
    assert suite_rows.count() == 4
    assert len(record.nights) == 8
    assert record.nights[0]["before"] in (100_000, 250_000)


def test_set_to_a_price_and_a_percent_round_half_up_in_minor_units(
    hotel, room_type, today
):
    Inventory.objects.filter(room_type=room_type).update(price=99_995)
    rate_change_apply(
        hotel=hotel,
        request=request_for(
            today, {room_type.pk: PriceRule(RuleKind.PERCENT, -500)}, days=1
        ),
    )
    start = today + timedelta(days=3)
    assert prices(room_type, start, 1) == [94_995]  # 99_995 × 0.95 = 94_995.25

    rate_change_apply(
        hotel=hotel,
        request=request_for(today, {room_type.pk: PriceRule(RuleKind.SET, 120_000)}),
    )
    assert set(prices(room_type, start, 7)) == {120_000}


def test_the_preview_lists_each_night_old_and_new_and_writes_nothing(
    hotel, room_type, today
):
    request = request_for(today, {room_type.pk: PLUS_10}, days=3)

    preview = rate_change_preview(hotel=hotel, request=request)

    assert [(n.before, n.after) for n in preview.nights] == [(100_000, 110_000)] * 3
    assert (preview.changed, preview.unchanged) == (3, 0)
    assert set(prices(room_type, request.start, 3)) == {100_000}
    assert not RateChange.objects.exists()


def test_a_price_changed_after_the_preview_refuses_the_apply_whole(
    hotel, room_type, today
):
    request = request_for(today, {room_type.pk: PLUS_10}, days=3)
    preview = rate_change_preview(hotel=hotel, request=request)
    Inventory.objects.filter(room_type=room_type, date=request.start).update(
        price=90_000
    )

    with pytest.raises(Unavailable) as refused:
        rate_change_apply(hotel=hotel, request=request, expected=preview.digest)

    assert refused.value.code == ErrorCode.PRICE_CHANGED
    assert prices(room_type, request.start, 3) == [90_000, 100_000, 100_000]
    assert not RateChange.objects.exists()


@pytest.mark.parametrize(
    "rule",
    [
        PriceRule(RuleKind.AMOUNT, -100_001),
        PriceRule(RuleKind.PERCENT, -9_500),
        PriceRule(RuleKind.SET, -1),
    ],
)
def test_a_rule_that_would_go_below_zero_or_out_of_bounds_changes_nothing(
    hotel, room_type, today, rule
):
    with pytest.raises(ValidationError):
        rate_change_apply(hotel=hotel, request=request_for(today, {room_type.pk: rule}))

    assert set(prices(room_type, today, 30)) == {100_000}


def test_past_nights_and_other_hotels_room_types_are_refused(hotel, room_type, today):
    with pytest.raises(ValidationError):
        rate_change_apply(
            hotel=hotel, request=request_for(today, {room_type.pk: PLUS_10}, offset=-1)
        )
    stranger = RoomTypeFactory(hotel=HotelFactory())
    with pytest.raises(NotFound):
        rate_change_apply(
            hotel=hotel, request=request_for(today, {stranger.pk: PLUS_10})
        )
    assert set(prices(room_type, today - timedelta(days=1), 30)) == {100_000}


def test_plan_rules_change_in_the_same_transaction_and_the_preview_shows_them(
    hotel, room_type, rate_plan, today
):
    request = request_for(
        today, {room_type.pk: PLUS_10}, plan_rules={rate_plan.pk: -1_500}
    )

    preview = rate_change_preview(hotel=hotel, request=request)
    rate_change_apply(hotel=hotel, request=request, expected=preview.digest)

    assert [(p.before, p.after) for p in preview.plans] == [(0, -1_500)]
    rate_plan.refresh_from_db()
    assert rate_plan.price_adjustment_bp == -1_500
    assert rate_plan.nightly_price(110_000) == 93_500


def test_undo_restores_the_before_values_and_keeps_what_changed_since(
    hotel, room_type, rate_plan, today
):
    request = request_for(
        today, {room_type.pk: PLUS_10}, days=3, plan_rules={rate_plan.pk: -1_000}
    )
    record = rate_change_apply(hotel=hotel, request=request)
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=room_type.pk,
                start=request.start,
                end=request.start + timedelta(days=1),
                price=130_000,
            )
        ],
        room_types=[room_type],
    )

    result = rate_change_undo(hotel=hotel, change_id=record.pk)

    assert prices(room_type, request.start, 3) == [130_000, 100_000, 100_000]
    assert result.restored == 2 and result.plans_restored == 1
    assert [(k["date"], k["reason"], k["now"]) for k in result.kept] == [
        (request.start.isoformat(), "changed", 130_000)
    ]
    assert RatePlan.objects.get(pk=rate_plan.pk).price_adjustment_bp == 0
    record.refresh_from_db()
    assert record.undone_at is not None and record.undo_kept == result.kept

    with pytest.raises(ValidationError):
        rate_change_undo(hotel=hotel, change_id=record.pk)
    assert prices(room_type, request.start, 3) == [130_000, 100_000, 100_000]


def test_another_hotel_cannot_undo_a_change(hotel, room_type, today):
    record = rate_change_apply(
        hotel=hotel, request=request_for(today, {room_type.pk: PLUS_10}, days=1)
    )

    with pytest.raises(NotFound):
        rate_change_undo(hotel=HotelFactory(), change_id=record.pk)
    assert prices(room_type, today + timedelta(days=3), 1) == [110_000]
