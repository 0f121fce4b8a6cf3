"""Hold caps per actor (invariant 11): counted in the hold's transaction, kept by every
end of a hold, and unbeatable by a race of real threads started together."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.tests.factories import PartnerFactory, UserFactory
from booking.caps import Visitor, hold_caps
from booking.models import Booking, BookingStatus, HoldTally
from booking.selectors import inventory_disagreements, tally_disagreements
from booking.services import (
    GuestDetails,
    booking_cancel,
    booking_change,
    booking_confirm,
    booking_hold,
    booking_reinstate,
    expire_overdue_holds,
    purge_idle_tallies,
)
from booking.tests.factories import make_overdue
from core.errors import ErrorCode, LimitReached
from core.testing import run_together
from inventory.models import Inventory
from inventory.rules import StayRequest

pytestmark = pytest.mark.django_db(transaction=True)


def guest(i: int = 0) -> GuestDetails:
    return GuestDetails(name=f"Guest {i}", email=f"guest{i}@example.com")


@pytest.fixture
def big_type(room_type):
    """The room type with room for every hold of these tests."""
    Inventory.objects.filter(room_type=room_type).update(rooms=200)
    return room_type


@pytest.fixture
def partner():
    return PartnerFactory(kind="distribution", max_live_holds=3, max_held_room_nights=8)


@pytest.fixture
def hold_for(rate_plan, today, big_type):
    def make(offset=10, nights=1, rooms=1, i=0, **actors):
        check_in = today + timedelta(days=offset)
        return booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(check_in, check_in + timedelta(days=nights), rooms, rooms),
            guest=guest(i),
            source="partner" if "partner" in actors else "site",
            **actors,
        )

    return make


def tally(actor: str) -> tuple[int, int] | None:
    row = HoldTally.objects.filter(actor=actor).first()
    return None if row is None else (row.holds, row.room_nights)


def booked(room_type) -> int:
    return sum(
        Inventory.objects.filter(room_type=room_type).values_list("booked", flat=True)
    )


def test_a_partner_at_its_hold_cap_is_refused_and_nothing_is_taken(
    hold_for, partner, big_type
):
    for i in range(3):
        hold_for(i=i, partner=partner)
    before = booked(big_type), Booking.objects.count()

    with pytest.raises(LimitReached) as refused:
        hold_for(i=9, partner=partner)

    error = refused.value
    assert error.code == ErrorCode.HOLD_LIMIT
    assert error.params["actor"] == "partner"
    assert (error.params["live_holds"], error.params["max_holds"]) == (3, 3)
    # Until the oldest hold ends: the hold time, give or take the test's own seconds.
    assert 14 * 60 < error.params["retry_after"] <= 15 * 60
    assert error.retryable
    assert (booked(big_type), Booking.objects.count()) == before
    assert tally(f"partner:{partner.pk}") == (3, 3)
    assert tally_disagreements() == []


def test_held_room_nights_are_capped_too(hold_for, partner):
    hold_for(nights=3, rooms=2, partner=partner)  # 6 of 8 room-nights

    with pytest.raises(LimitReached) as refused:
        hold_for(nights=3, partner=partner, i=1)  # 3 more: 9 > 8

    assert refused.value.params["held_room_nights"] == 6
    assert "room-night" in refused.value.message
    hold_for(nights=2, partner=partner, i=2)  # exactly 8 fits
    assert tally(f"partner:{partner.pk}") == (2, 8)


def test_one_hold_larger_than_the_cap_is_refused_before_any_sql(hold_for, partner):
    with pytest.raises(LimitReached) as refused:
        hold_for(nights=3, rooms=3, partner=partner)  # 9 > 8

    assert not refused.value.retryable  # waiting cannot make it fit
    assert HoldTally.objects.count() == 0


def test_the_defaults_come_from_the_settings_and_a_partner_may_have_no_limit(
    settings, hold_for
):
    settings.BOOKING_PARTNER_MAX_HOLDS = 2
    capped = PartnerFactory(kind="distribution")
    free = PartnerFactory(kind="distribution", unlimited_holds=True)
    hold_for(partner=capped)
    hold_for(partner=capped, i=1)
    with pytest.raises(LimitReached):
        hold_for(partner=capped, i=2)

    made = [hold_for(partner=free, i=10 + i) for i in range(5)]

    # No limit costs nothing: no tally row, no actor on the bookings.
    assert {tuple(b.hold_actors) for b in made} == {()}
    assert not HoldTally.objects.filter(actor=f"partner:{free.pk}").exists()


def test_fifty_threads_racing_cannot_pass_a_partner_cap(rate_plan, today, big_type):
    partner = PartnerFactory(kind="distribution", max_live_holds=7)
    night = today + timedelta(days=5)

    outcomes = run_together(
        50,
        lambda i: booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(night, night + timedelta(days=1)),
            guest=guest(i),
            source="partner",
            partner=partner,
        ),
    )

    errors = [o.error for o in outcomes if o.error is not None]
    assert sum(o.error is None for o in outcomes) == 7
    assert {(type(e), e.code) for e in errors} == {(LimitReached, ErrorCode.HOLD_LIMIT)}
    assert (
        Booking.objects.filter(partner=partner, status=BookingStatus.HELD).count() == 7
    )
    assert Inventory.objects.get(room_type=big_type, date=night).booked == 7
    assert tally(f"partner:{partner.pk}") == (7, 7)
    assert tally_disagreements() == []
    assert inventory_disagreements(room_type_ids=[big_type.pk]) == []


def test_fifty_threads_racing_cannot_pass_a_room_night_cap(rate_plan, today, big_type):
    partner = PartnerFactory(kind="distribution", max_held_room_nights=20)
    start = today + timedelta(days=5)

    outcomes = run_together(
        50,
        lambda i: booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(start, start + timedelta(days=1 + i % 3)),
            guest=guest(i),
            source="partner",
            partner=partner,
        ),
    )

    held = sum(
        b.rooms * b.nights
        for b in Booking.objects.filter(partner=partner, status=BookingStatus.HELD)
    )
    assert 18 <= held <= 20  # full to within one stay of up to 3 nights
    assert tally(f"partner:{partner.pk}")[1] == held
    assert all(
        isinstance(o.error, LimitReached) for o in outcomes if o.error is not None
    )
    assert tally_disagreements() == []
    assert inventory_disagreements(room_type_ids=[big_type.pk]) == []


def test_every_end_of_a_hold_gives_its_place_back(hold_for, partner, rate_plan):
    actor = f"partner:{partner.pk}"
    confirmed = hold_for(partner=partner, i=1)
    cancelled = hold_for(partner=partner, i=2)
    overdue = hold_for(partner=partner, i=3)
    assert tally(actor) == (3, 3)

    booking_confirm(booking_id=confirmed.pk)
    assert tally(actor) == (2, 2)
    booking_cancel(booking_id=cancelled.pk)
    assert tally(actor) == (1, 1)
    make_overdue(overdue)
    assert tally(actor) == (1, 1)  # overdue is still held until it is expired
    assert expire_overdue_holds() == 1
    assert tally(actor) == (0, 0)
    # A late payment re-takes an expired booking's rooms: it is no hold any more.
    booking_reinstate(booking_id=overdue.pk)
    assert tally(actor) == (0, 0)
    assert tally_disagreements() == []


def test_a_live_hold_that_changes_is_recounted_and_may_not_grow_past_its_cap(
    hold_for, partner
):
    actor = f"partner:{partner.pk}"
    booking = hold_for(nights=2, partner=partner)
    hold_for(nights=2, partner=partner, i=1)

    booking_change(
        booking_id=booking.pk, check_out=booking.check_out + timedelta(days=2)
    )
    assert tally(actor) == (2, 6)

    with pytest.raises(LimitReached):
        booking_change(booking_id=booking.pk, rooms=2, adults=2)  # 8 + 2 > 8
    assert tally(actor) == (2, 6)
    assert Booking.objects.get(pk=booking.pk).rooms == 1

    booking_change(
        booking_id=booking.pk, check_out=booking.check_in + timedelta(days=1)
    )
    assert tally(actor) == (2, 3)
    assert tally_disagreements() == []


def test_an_actor_at_its_cap_first_frees_its_own_overdue_holds(hold_for, partner):
    holds = [hold_for(partner=partner, i=i) for i in range(3)]
    make_overdue(holds[0])  # beat has not run: the hold still counts

    fresh = hold_for(partner=partner, i=7)

    assert fresh.status == BookingStatus.HELD
    assert Booking.objects.get(pk=holds[0].pk).status == BookingStatus.EXPIRED
    assert tally(f"partner:{partner.pk}") == (3, 3)


def test_a_site_visitor_is_capped_by_session_and_by_address(settings, hold_for):
    settings.BOOKING_ADDRESS_MAX_HOLDS = 4
    one = Visitor(session_key="s1", address="203.0.113.7")
    for i in range(3):
        hold_for(visitor=one, i=i)
    with pytest.raises(LimitReached) as refused:
        hold_for(visitor=one, i=3)
    assert refused.value.params["actor"] == "session"

    # A new session (cookies dropped) from the same address gets one more, no more.
    hold_for(visitor=Visitor(session_key="s2", address="203.0.113.7"), i=4)
    with pytest.raises(LimitReached) as refused:
        hold_for(visitor=Visitor(session_key="s3", address="203.0.113.7"), i=5)
    assert refused.value.params["actor"] == "address"

    # Nothing readable is kept: digests, not the session key or the address.
    actors = [a for b in Booking.objects.all() for a in b.hold_actors]
    assert not any("s1" in a.partition(":")[2] or "203.0" in a for a in actors)


def test_a_signed_in_account_is_capped_across_its_sessions(hold_for):
    user = UserFactory()
    for i in range(3):
        hold_for(user=user, visitor=Visitor(session_key=f"s{i}"), i=i)

    with pytest.raises(LimitReached) as refused:
        hold_for(user=user, visitor=Visitor(session_key="new"), i=3)

    assert refused.value.params["actor"] == "account"
    assert [c.kind for c in hold_caps(user=user, visitor=Visitor("k", "::1"))] == [
        "account",
        "address",
    ]


def test_check_inventory_reports_a_tally_that_drifted(hold_for, partner):
    hold_for(partner=partner)
    HoldTally.objects.filter(actor=f"partner:{partner.pk}").update(holds=2)
    out = StringIO()

    with pytest.raises(CommandError, match="1 hold tally"):
        call_command("check_inventory", stdout=out)

    assert f"hold tally partner:{partner.pk}: holds=2 room_nights=1" in out.getvalue()


def test_holds_and_their_ends_racing_for_one_actor_never_deadlock(
    rate_plan, today, big_type
):
    # Holds lock nights then the tally; a cancel, a confirm or an expiry locks the
    # booking, its nights, and the tally at COMMIT: one order, no deadlock.
    partner = PartnerFactory(kind="distribution", max_live_holds=40)
    night = today + timedelta(days=4)
    stay = StayRequest(night, night + timedelta(days=2))
    early = [
        booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=stay,
            guest=guest(i),
            source="partner",
            partner=partner,
        )
        for i in range(20)
    ]
    for booking in early[10:]:
        make_overdue(booking)

    def work(i):
        if i < 5:
            return booking_cancel(booking_id=early[i].pk)
        if i < 10:
            return booking_confirm(booking_id=early[i].pk)
        if i == 10:
            return expire_overdue_holds()
        return booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=stay,
            guest=guest(100 + i),
            source="partner",
            partner=partner,
        )

    outcomes = run_together(40, work)

    assert [o.error for o in outcomes if o.error is not None] == []
    live = Booking.objects.filter(partner=partner, status=BookingStatus.HELD).count()
    assert live == 29  # 20 - 5 cancelled - 5 confirmed - 10 expired + 29 new
    assert tally(f"partner:{partner.pk}") == (29, 58)
    assert tally_disagreements() == []
    assert inventory_disagreements(room_type_ids=[big_type.pk]) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM booking_holdtally WHERE holds < 0")
        assert cursor.fetchone()[0] == 0


def test_the_sweep_forgets_the_tallies_of_actors_holding_nothing(hold_for, partner):
    idle = hold_for(visitor=Visitor(session_key="gone", address="192.0.2.1"))
    hold_for(partner=partner, i=1)
    booking_cancel(booking_id=idle.pk)

    assert purge_idle_tallies() == 2  # the session's and the address's

    assert list(HoldTally.objects.values_list("actor", flat=True)) == [
        f"partner:{partner.pk}"
    ]
    hold_for(visitor=Visitor(session_key="gone", address="192.0.2.1"), i=2)
    assert tally_disagreements() == []
