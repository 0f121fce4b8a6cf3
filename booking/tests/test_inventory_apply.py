from datetime import timedelta

import pytest

from booking.services import booking_hold
from booking.tests.factories import GUEST
from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.tests.factories import RoomTypeFactory
from inventory import hints
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import InventoryChange, inventory_apply

pytestmark = pytest.mark.django_db


def rows(room_type, start, days):
    return list(
        Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=start + timedelta(days=days)
        ).order_by("date")
    )


def test_a_year_for_several_room_types_in_one_call(hotel, room_type, today):
    others = [
        RoomTypeFactory(hotel=hotel, room_count=10, overbooking_percent=10)
        for _ in range(3)
    ]
    start = today + timedelta(days=1)
    changes = [
        InventoryChange(
            room_type_id=rt.pk,
            start=start,
            end=start + timedelta(days=365),
            rooms=8,
            price=90_000,
        )
        for rt in [room_type, *others]
    ] + [
        InventoryChange(
            room_type_id=room_type.pk,
            start=start,
            end=start + timedelta(days=365),
            weekdays=frozenset({5, 6}),
            price=120_000,
            min_stay=2,
        )
    ]

    written = inventory_apply(changes=changes, room_types=[room_type, *others])

    weekend = [r for r in rows(room_type, start, 365) if r.date.isoweekday() in (5, 6)]
    assert written == 4 * 365 + len(weekend)
    assert all(r.price == 120_000 and r.min_stay == 2 for r in weekend)
    weekday = [
        r for r in rows(room_type, start, 365) if r.date.isoweekday() not in (5, 6)
    ]
    assert all(r.price == 90_000 and r.min_stay == 1 and r.rooms == 8 for r in weekday)
    opened = rows(others[0], start, 365)  # nights past the fixture's 120 were opened
    assert len(opened) == 365
    assert {(r.rooms, r.overbooking) for r in opened} == {(8, 0)}


def test_rooms_below_booked_refuses_the_whole_request(
    hotel, rate_plan, room_type, today
):
    night = today + timedelta(days=10)
    for _ in range(2):
        booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(night, night + timedelta(days=1)),
            guest=GUEST,
            source="site",
        )
    before = [(r.rooms, r.price) for r in rows(room_type, today, 30)]

    with pytest.raises(Unavailable) as refused:
        inventory_apply(
            changes=[
                InventoryChange(
                    room_type_id=room_type.pk,
                    start=today,
                    end=today + timedelta(days=30),
                    price=1,
                ),
                InventoryChange(
                    room_type_id=room_type.pk,
                    start=today,
                    end=today + timedelta(days=30),
                    rooms=1,
                ),
            ],
            room_types=[room_type],
        )

    assert refused.value.code == ErrorCode.BELOW_BOOKED
    assert refused.value.params["nights"] == [
        {"room_type_id": room_type.pk, "date": str(night), "booked": 2, "rooms": 1}
    ]
    assert [(r.rooms, r.price) for r in rows(room_type, today, 30)] == before


def test_restrictions_set_in_bulk_are_honoured_by_holds(rate_plan, room_type, today):
    start = today + timedelta(days=5)
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=room_type.pk,
                start=start,
                end=start + timedelta(days=7),
                closed_to_arrival=True,
            )
        ],
        room_types=[room_type],
    )
    with pytest.raises(Unavailable) as refused:
        booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(start + timedelta(days=2), start + timedelta(days=4)),
            guest=GUEST,
            source="site",
        )
    assert refused.value.code == ErrorCode.CLOSED_TO_ARRIVAL


def test_a_room_type_the_caller_may_not_change_is_not_found(hotel, room_type, today):
    foreign = RoomTypeFactory()
    with pytest.raises(NotFound):
        inventory_apply(
            changes=[
                InventoryChange(
                    room_type_id=foreign.pk,
                    start=today,
                    end=today + timedelta(days=1),
                    rooms=0,
                )
            ],
            room_types=[room_type],
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"end_offset": 0, "rooms": 1},
        {"end_offset": 500, "rooms": 1},
        {"rooms": -1},
        {"price": -5},
        {"min_stay": 0},
        {"min_stay": 4, "max_stay": 2},
        {"weekdays": frozenset({0})},
        {},
    ],
)
def test_bad_changes_are_refused_and_change_nothing(room_type, today, fields):
    fields = dict(fields)
    end = today + timedelta(days=fields.pop("end_offset", 10))
    before = [(r.rooms, r.price, r.min_stay) for r in rows(room_type, today, 10)]
    with pytest.raises(ValidationError) as refused:
        inventory_apply(
            changes=[
                InventoryChange(
                    room_type_id=room_type.pk, start=today, end=end, **fields
                )
            ],
            room_types=[room_type],
        )
    assert refused.value.code == ErrorCode.INVALID_INVENTORY_CHANGE
    assert [
        (r.rooms, r.price, r.min_stay) for r in rows(room_type, today, 10)
    ] == before


def test_min_stay_above_an_existing_max_stay_is_refused(room_type, today):
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=room_type.pk,
                start=today,
                end=today + timedelta(days=5),
                max_stay=3,
            )
        ],
        room_types=[room_type],
    )
    with pytest.raises(ValidationError):
        inventory_apply(
            changes=[
                InventoryChange(
                    room_type_id=room_type.pk,
                    start=today,
                    end=today + timedelta(days=5),
                    min_stay=4,
                )
            ],
            room_types=[room_type],
        )
    assert {r.min_stay for r in rows(room_type, today, 5)} == {1}


def test_raising_rooms_forgets_sold_out_hints(
    rate_plan, room_type, today, django_capture_on_commit_callbacks
):
    night = today + timedelta(days=3)
    hints.remember_short(room_type.pk, {night: 0})
    with django_capture_on_commit_callbacks(execute=True):
        inventory_apply(
            changes=[
                InventoryChange(
                    room_type_id=room_type.pk,
                    start=night,
                    end=night + timedelta(days=1),
                    rooms=9,
                )
            ],
            room_types=[room_type],
        )
    assert not hints.known_short(room_type.pk, [night], 1)
