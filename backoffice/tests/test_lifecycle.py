"""The admin's Closures page: managers deactivate, reactivate, close and lift for their
own hotels only, see who each closure fell on, and read why a bad request is refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.services import booking_confirm
from core import outbox
from hotels.models import Hotel, HotelClosure
from hotels.tests.factories import HotelFactory, staff
from inventory.models import Inventory
from payments.models import Payment, Refund
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def page_url(hotel):
    return reverse("admin:hotels_hotel_lifecycle", args=[hotel.pk])


def errors_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) + str(
        response.context["closure_form"].errors
    )


@pytest.fixture
def manager_client(client, hotel):
    client.force_login(staff("manager", hotel, role="manager"))
    return client


def test_a_manager_deactivates_sees_the_checklist_and_reactivates(
    manager_client, settings, hotel, hold
):
    settings.BOOKING_EVENT_HANDLERS = ["notifications.tasks.on_booking_event"]
    confirmed = booking_confirm(booking_id=hold(offset=3).pk)
    held = hold(offset=6)
    outbox.drain()
    mail.outbox.clear()

    response = manager_client.post(
        page_url(hotel),
        {"action": "deactivate", "deactivate-reason": "The owners retire."},
        follow=True,
    )
    outbox.drain()

    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.INACTIVE
    assert "2 booking(s) told" in " ".join(str(m) for m in response.context["messages"])
    page = manager_client.get(page_url(hotel))
    [(closure, lines)] = page.context["closures"]
    assert closure.kind == HotelClosure.Kind.DEACTIVATION
    assert [(line.booking.pk, line.told, line.to_move) for line in lines] == [
        (confirmed.pk, True, True),
        (held.pk, True, True),
    ]
    assert confirmed.reference in page.content.decode()
    assert len(mail.outbox) == 2

    manager_client.post(page_url(hotel), {"action": "reactivate"})

    hotel.refresh_from_db()
    closure.refresh_from_db()
    assert hotel.status == Hotel.Status.ACTIVE and closure.lifted_at is not None
    assert not Inventory.objects.filter(room_type__hotel=hotel, closed=True).exists()
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD


def test_a_manager_closes_nights_and_lifts_the_closure(
    manager_client, hotel, room_type, today
):
    first, last = today + timedelta(days=5), today + timedelta(days=7)

    manager_client.post(
        page_url(hotel),
        {
            "action": "close",
            "closure-start": first.isoformat(),
            "closure-end": last.isoformat(),
            "closure-reason": "New carpets",
        },
    )

    closure = HotelClosure.objects.get()
    assert (closure.start, closure.end, closure.reason) == (first, last, "New carpets")
    closed = Inventory.objects.filter(room_type=room_type, closed=True)
    assert sorted(closed.values_list("date", flat=True)) == [
        first + timedelta(days=i) for i in range(3)
    ]

    manager_client.post(page_url(hotel), {"action": "lift", "closure": closure.pk})

    closure.refresh_from_db()
    assert closure.lifted_at is not None
    assert not closed.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 3, "The last night closed cannot be before the first."),
        (-2, 3, "Nights before today"),
        (None, 3, "This field is required."),
    ],
)
def test_bad_closure_dates_get_a_readable_error_and_change_nothing(
    manager_client, hotel, room_type, today, start, end, message
):
    def day(offset):
        return "" if offset is None else (today + timedelta(days=offset)).isoformat()

    response = manager_client.post(
        page_url(hotel),
        {
            "action": "close",
            "closure-start": day(start),
            "closure-end": day(end),
            "closure-reason": "Works",
        },
    )

    assert response.status_code == 400
    assert message in errors_of(response)
    assert message in response.content.decode()
    assert not HotelClosure.objects.exists()
    assert not Inventory.objects.filter(closed=True).exists()


def test_deactivating_without_a_reason_is_refused_readably(manager_client, hotel):
    response = manager_client.post(
        page_url(hotel), {"action": "deactivate", "deactivate-reason": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.ACTIVE


def test_a_manager_of_another_hotel_cannot_see_deactivate_close_or_lift(
    client, hotel, room_type, today
):
    owner = staff("owner", hotel, role="owner")
    client.force_login(owner)
    client.post(
        page_url(hotel),
        {
            "action": "close",
            "closure-start": (today + timedelta(days=2)).isoformat(),
            "closure-end": (today + timedelta(days=3)).isoformat(),
            "closure-reason": "Works",
        },
    )
    closure = HotelClosure.objects.get()
    other_hotel = HotelFactory()
    client.force_login(staff("intruder", other_hotel, role="manager"))

    assert client.get(page_url(hotel)).status_code == 404
    assert (
        client.post(
            page_url(hotel), {"action": "deactivate", "deactivate-reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            page_url(hotel), {"action": "lift", "closure": closure.pk}
        ).status_code
        == 404
    )
    # Its own page cannot reach another hotel's closure either.
    response = client.post(
        page_url(other_hotel), {"action": "lift", "closure": closure.pk}
    )
    assert response.status_code == 400
    closure.refresh_from_db()
    hotel.refresh_from_db()
    assert closure.lifted_at is None
    assert hotel.status == Hotel.Status.ACTIVE


def test_front_desk_sees_no_closures_page(client, hotel):
    client.force_login(staff("desk", hotel, role="front_desk"))

    assert client.get(page_url(hotel)).status_code == 403
    assert (
        client.post(
            page_url(hotel), {"action": "deactivate", "deactivate-reason": "x"}
        ).status_code
        == 403
    )
    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.ACTIVE


def test_a_manager_cancels_a_listed_booking_at_a_full_refund_once(
    manager_client, hotel, hold
):
    booking = booking_confirm(booking_id=hold(offset=1).pk)
    payment = PaymentFactory(booking=booking, resolution=Payment.Resolution.CONFIRMED)
    manager_client.post(
        page_url(hotel), {"action": "deactivate", "deactivate-reason": "Flood"}
    )
    closure = HotelClosure.objects.get()
    form = {"action": "cancel", "closure": closure.pk, "booking": booking.pk}

    manager_client.post(page_url(hotel), form)
    manager_client.post(page_url(hotel), form)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    [refund] = Refund.objects.filter(payment=payment)
    assert refund.amount == booking.total
    page = manager_client.get(page_url(hotel))
    [(_, [line])] = page.context["closures"]
    assert line.cancelled and not line.to_move


def test_the_full_refund_cancel_takes_only_bookings_the_closure_lists(
    manager_client, hotel, hold, today
):
    manager_client.post(
        page_url(hotel),
        {
            "action": "close",
            "closure-start": (today + timedelta(days=30)).isoformat(),
            "closure-end": (today + timedelta(days=31)).isoformat(),
            "closure-reason": "Works",
        },
    )
    closure = HotelClosure.objects.get()
    elsewhere = booking_confirm(booking_id=hold(offset=2).pk)

    response = manager_client.post(
        page_url(hotel),
        {"action": "cancel", "closure": closure.pk, "booking": elsewhere.pk},
    )

    assert response.status_code == 400
    assert "Choose a booking on this hotel&#x27;s closure list." in (
        response.content.decode()
    )
    elsewhere.refresh_from_db()
    assert elsewhere.status == BookingStatus.CONFIRMED


def test_the_hotel_form_cannot_deactivate_behind_the_services_back(
    manager_client, hotel
):
    page = manager_client.get(reverse("admin:hotels_hotel_change", args=[hotel.pk]))
    form = page.context["adminform"].form

    assert "status" not in form.fields
    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.ACTIVE
