"""Two hotels with one of everything each, and staff for them: the scoping tests' world.

Also the lookups those tests share: a model's hotel lookup, its admin URLs, its rows
of one hotel, one row as a dict.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import admin
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse

from accounts.tests.factories import PartnerFactory
from backoffice.admin_base import hotel_q
from booking.models import Booking, RoomAssignment
from booking.services import GuestDetails, booking_confirm, booking_hold
from hotels.models import CancellationRule, Hotel, HotelPhoto, Room
from hotels.tests.factories import (
    CancellationPolicyFactory,
    HotelFactory,
    RoomFactory,
    RoomTypeFactory,
    hotel_today,
)
from inventory.models import ChannelDrift
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory
from payments.models import GatewayEvent
from payments.tests.factories import PaymentFactory, RefundFactory
from privacy.models import PrivacyRequest
from reviews.tests.factories import ReviewFactory


@dataclass
class HotelWorld:
    hotel: Hotel
    objects: dict = field(default_factory=dict)


def build_hotel(name: str) -> HotelWorld:
    """Create a hotel with a room type, rooms, rates, a year of nights, a booking with an
    assigned room, a payment and refund, a review, a photo and a policy."""
    hotel = HotelFactory(name=name, slug=name.lower().replace(" ", "-"))
    room_type = RoomTypeFactory(hotel=hotel, name=f"{name} Double", room_count=4)
    rooms = [
        RoomFactory(room_type=room_type, number=f"{n}", features="quiet, sea view")
        for n in (101, 102, 103)
    ]
    policy = CancellationPolicyFactory(hotel=hotel, name=f"{name} Flexible")
    plan = RatePlanFactory(
        room_type=room_type, name=f"{name} Standard", cancellation_policy=policy
    )
    today = hotel_today(hotel)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=60))
    check_in = today + timedelta(days=5)
    booking = booking_hold(
        rate_plan_id=plan.pk,
        stay=StayRequest(check_in, check_in + timedelta(days=2)),
        guest=GuestDetails(name=f"Guest of {name}", email="guest@example.com"),
        source="site",
    )
    booking = booking_confirm(booking_id=booking.pk)
    assignment = RoomAssignment.objects.create(
        booking=booking,
        room=rooms[0],
        stay=DateRange(booking.check_in, booking.check_out, "[)"),
    )
    payment = PaymentFactory(booking=booking)
    refund = RefundFactory(payment=payment, amount=100)
    review = ReviewFactory(booking=booking, text=f"Lovely stay at {name}")
    photo = HotelPhoto.objects.create(hotel=hotel, image=f"hotels/{hotel.slug}.jpg")
    privacy_request = PrivacyRequest.objects.create(
        action="export", channel="site", booking_references=[booking.reference]
    )
    privacy_request.hotels.set([hotel])
    drift = ChannelDrift.objects.create(
        partner=PartnerFactory(kind="channel_manager"),
        hotel=hotel,
        room_type=room_type,
        date=today + timedelta(days=3),
        field="price",
        ours=12000,
        theirs=11000,
        source="push",
        seen_at=booking.created_at,
        found_at=booking.created_at,
    )
    return HotelWorld(
        hotel=hotel,
        objects={
            "room_type": room_type,
            "rooms": rooms,
            "policy": policy,
            "rule": CancellationRule.objects.filter(policy=policy).first(),
            "rate_plan": plan,
            "booking": Booking.objects.get(pk=booking.pk),
            "assignment": assignment,
            "payment": payment,
            "refund": refund,
            "review": review,
            "photo": photo,
            "privacy_request": privacy_request,
            "channel_drift": drift,
            "room": Room.objects.get(pk=rooms[0].pk),
        },
    )


def build_shared() -> None:
    """Create rows of the models that belong to no hotel."""
    GatewayEvent.objects.create(
        gateway="test", event_id="evt_1", type="payment.succeeded", payload={}
    )


def lookup_of(model):
    """Return the `hotel_lookup` of `model`'s admin (None: for superusers only)."""
    return getattr(admin.site._registry[model], "hotel_lookup", None)


def url(model, view, *args):
    """Return the address of `model`'s admin `view` (changelist, add, change, ...)."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def of_hotel(model, hotel):
    """Return the rows of `model` that belong to `hotel`, by its admin's lookup."""
    return model._default_manager.filter(hotel_q(lookup_of(model), [hotel.pk]))


def row(model, pk):
    """Return the row `pk` of `model` as a dict, to compare before and after."""
    return model._default_manager.filter(pk=pk).values().first()


def form_data(response) -> dict:
    """Return the POST data that submits an admin add or change page as it was shown.

    Every editable field of the form and of its inline formsets keeps the value the
    page showed; a test then changes the fields it is about.
    """
    data = {}

    def add(form):
        for name, form_field in form.fields.items():
            value = form_field.prepare_value(form[name].value())
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            add(form)
    return data
