"""Confirming a pay-now hold in the admin needs its payment, or a manager's audited
override with a reason; bulk confirming is for owners and managers, never the front
desk."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from booking.models import Booking, BookingStatus
from core.errors import ValidationError
from hotels.models import HotelMembership
from hotels.tests.factories import HotelFactory, staff
from inventory.models import RatePlan
from inventory.tests.factories import RatePlanFactory
from payments.models import Payment
from payments.services import booking_confirm_by_staff
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

BookingHistory = apps.get_model("booking", "BookingEvent")
LIST = "admin:booking_booking_changelist"


@pytest.fixture
def desk_client(client, hotel):
    client.force_login(staff("desk", hotel, role="front_desk"))
    return client


@pytest.fixture
def manager(hotel):
    return staff("mina", hotel, role="manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def confirm(client, booking, action="confirm", **extra):
    return client.post(
        reverse(LIST),
        {"action": action, ACTION_CHECKBOX_NAME: [booking.pk], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def status_of(booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def test_a_manager_cannot_confirm_an_unpaid_pay_now_hold_without_the_override(
    manager_client, hold
):
    booking = hold()
    assert booking.payment_mode == RatePlan.PaymentMode.PAY_NOW

    response = confirm(manager_client, booking)

    assert (
        f"{booking.reference}: This booking is to be paid now and has no payment yet: "
        "ask the guest to pay, or a manager may confirm it without payment, giving a "
        "reason." in messages_of(response)
    )
    assert status_of(booking) == BookingStatus.HELD
    assert not BookingHistory.objects.filter(pgh_obj_id=booking.pk).exists()


def test_a_manager_confirms_a_paid_or_pay_at_hotel_hold(
    manager_client, hold, room_type
):
    paid = hold()
    PaymentFactory(booking=paid, kind=Payment.Kind.CHARGE)
    at_hotel = hold(
        offset=20,
        rate_plan_id=RatePlanFactory(
            room_type=room_type, payment_mode=RatePlan.PaymentMode.PAY_AT_HOTEL
        ).pk,
    )
    failed = hold(offset=30)
    PaymentFactory(booking=failed, status=Payment.Status.FAILED)

    for booking in (paid, at_hotel, failed):
        confirm(manager_client, booking)

    assert status_of(paid) == status_of(at_hotel) == BookingStatus.CONFIRMED
    assert status_of(failed) == BookingStatus.HELD  # a failed payment is no payment


def test_the_front_desk_is_offered_no_confirm_at_all_and_cannot_post_it(
    desk_client, hold
):
    booking = hold()
    PaymentFactory(booking=booking, kind=Payment.Kind.CHARGE)
    page = desk_client.get(reverse(LIST)).content.decode()
    assert 'value="confirm"' not in page
    assert "confirm_without_payment" not in page

    for action in ("confirm", "confirm_without_payment"):
        response = confirm(
            desk_client, booking, action, reason="Guest is a regular", apply="1"
        )
        assert "No action selected." in messages_of(response)
        assert status_of(booking) == BookingStatus.HELD


def test_a_manager_overrides_with_a_reason_and_the_audit_log_says_who_when_and_why(
    manager_client, manager, hotel, hold
):
    booking = hold()
    asked = manager_client.post(
        reverse(LIST),
        {"action": "confirm_without_payment", ACTION_CHECKBOX_NAME: [booking.pk]},
    )
    assert asked.status_code == 200
    assert "Why confirm without payment?" in asked.content.decode()
    assert status_of(booking) == BookingStatus.HELD

    response = confirm(
        manager_client,
        booking,
        "confirm_without_payment",
        reason="Paid by bank transfer, ref 4471",
        apply="1",
    )

    assert "1 booking(s) confirmed." in messages_of(response)
    confirmed = Booking.objects.get(pk=booking.pk)
    assert confirmed.status == BookingStatus.CONFIRMED
    assert confirmed.confirmation_override == "Paid by bank transfer, ref 4471"
    event = BookingHistory.objects.get(pgh_obj_id=booking.pk, pgh_label="update")
    assert event.pgh_context.metadata["user"] == manager.pk
    assert event.confirmation_override == "Paid by bank transfer, ref 4471"
    assert event.pgh_created_at >= confirmed.created_at
    audit = manager_client.get(reverse("admin:hotels_hotel_audit", args=[hotel.pk]))
    change = audit.context["changes"][0]
    assert (change.who, change.object_label) == ("mina", booking.reference)
    assert (
        "confirmed without payment because",
        "",
        "Paid by bank transfer, ref 4471",
    ) in change.diff
    assert ("status", "held", "confirmed") in change.diff


def test_an_override_without_a_reason_changes_nothing(manager_client, hold):
    booking = hold()

    response = confirm(
        manager_client, booking, "confirm_without_payment", reason="  ", apply="1"
    )

    assert response.status_code == 200
    assert "Please give the reason." in response.content.decode()
    assert status_of(booking) == BookingStatus.HELD


def test_a_manager_of_another_hotel_cannot_override_here(client, hotel, hold):
    # Front desk here, manager elsewhere: the override is checked per booking's hotel.
    elsewhere = staff("other", HotelFactory(), role="manager")
    HotelMembership.objects.create(hotel=hotel, user=elsewhere, role="front_desk")
    client.force_login(elsewhere)
    booking = hold()

    response = confirm(
        client, booking, "confirm_without_payment", reason="I say so", apply="1"
    )

    assert (
        "1 selected booking(s) are at hotels where you may not confirm without "
        "payment: left as they were." in messages_of(response)
    )
    assert status_of(booking) == BookingStatus.HELD
    # The rule is the service's, whatever the page offers.
    with pytest.raises(ValidationError, match="Only an owner or a manager"):
        booking_confirm_by_staff(
            booking_id=booking.pk, user=elsewhere, override_reason="I say so"
        )
    assert status_of(booking) == BookingStatus.HELD


def test_an_expired_hold_is_not_confirmed_even_by_an_override(manager_client, hold):
    booking = hold()
    Booking.objects.filter(pk=booking.pk).update(
        held_until=booking.created_at - timedelta(minutes=1)
    )

    response = confirm(
        manager_client, booking, "confirm_without_payment", reason="Late", apply="1"
    )

    assert f"{booking.reference}: The hold on these rooms has expired." in messages_of(
        response
    )
    assert status_of(booking) == BookingStatus.HELD
