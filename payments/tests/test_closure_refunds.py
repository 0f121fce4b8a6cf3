"""A hotel closure's cancellation: the whole total back through the normal refund
path, once, only for bookings the closure lists and only while it is live."""

from datetime import timedelta

import pytest

from booking.models import BookingStatus
from booking.selectors import closure_checklist, inventory_disagreements
from booking.services import (
    booking_confirm,
    hotel_closure_create,
    hotel_deactivate,
    hotel_reactivate,
)
from core.errors import ErrorCode, IllegalTransition
from core.models import OutboxEvent
from hotels.tests.factories import staff
from payments.models import Payment, Refund
from payments.services import cancel_booking_and_refund
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(hotel):
    return staff("manager", hotel, role="manager")


def test_reactivation_sells_again_and_ends_the_full_refund_links(hold, hotel, manager):
    booking = booking_confirm(booking_id=hold(offset=1).pk)
    PaymentFactory(booking=booking, resolution=Payment.Resolution.CONFIRMED)
    closure = hotel_deactivate(hotel=hotel, by=manager, reason="Flood").closure

    lifted = hotel_reactivate(hotel=hotel, by=manager)

    assert lifted == closure
    closure.refresh_from_db()
    assert closure.lifted_at is not None and closure.lifted_by == manager
    assert hold(offset=5).status == BookingStatus.HELD
    with pytest.raises(IllegalTransition) as refused:
        cancel_booking_and_refund(booking_id=booking.pk, closure_id=closure.pk)
    assert refused.value.code == ErrorCode.CLOSURE_LIFTED
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert OutboxEvent.objects.filter(
        event_type="hotel.reopened", aggregate_id=booking.pk
    ).exists()


def test_the_closure_cancellation_refunds_the_whole_total_once(hold, hotel, manager):
    # Check-in tomorrow: the policy alone would refund nothing.
    booking = booking_confirm(booking_id=hold(offset=1).pk)
    payment = PaymentFactory(booking=booking, resolution=Payment.Resolution.CONFIRMED)
    closure = hotel_deactivate(hotel=hotel, by=manager, reason="Fire").closure

    first = cancel_booking_and_refund(booking_id=booking.pk, closure_id=closure.pk)
    second = cancel_booking_and_refund(booking_id=booking.pk, closure_id=closure.pk)

    assert first.booking.status == BookingStatus.CANCELLED
    assert first.booking.refund_amount == booking.total
    assert first.refund.amount == booking.total == payment.amount
    assert second.refund == first.refund
    assert Refund.objects.filter(payment=payment).count() == 1
    assert not inventory_disagreements()
    [line] = closure_checklist(closure)
    assert line.cancelled and not line.to_move


def test_a_closure_link_does_not_refund_a_booking_it_never_listed(
    hold, hotel, manager, today
):
    closure = hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=today + timedelta(days=30),
        end=today + timedelta(days=31),
        reason="Paint",
    ).closure
    booking = booking_confirm(booking_id=hold(offset=1).pk)

    with pytest.raises(IllegalTransition) as refused:
        cancel_booking_and_refund(booking_id=booking.pk, closure_id=closure.pk)

    assert refused.value.code == ErrorCode.CLOSURE_LIFTED
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
