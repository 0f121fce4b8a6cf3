from datetime import date

import factory
from django.contrib.auth import get_user_model

from core.clock import db_now
from hotels.models import (
    CancellationPolicy,
    CancellationRule,
    Hotel,
    HotelMembership,
    Room,
    RoomType,
)


class HotelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hotel

    name = factory.Sequence(lambda n: f"Hotel {n}")
    slug = factory.Sequence(lambda n: f"hotel-{n}")
    city = "Lisbon"
    country = "PT"
    time_zone = "Europe/Lisbon"
    currency = "EUR"


class RoomTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomType

    hotel = factory.SubFactory(HotelFactory)
    name = factory.Sequence(lambda n: f"Room type {n}")
    code = factory.Sequence(lambda n: f"rt-{n}")
    max_occupancy = 2
    room_count = 5
    base_price = 10_000


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    room_type = factory.SubFactory(RoomTypeFactory)
    hotel = factory.SelfAttribute("room_type.hotel")
    number = factory.Sequence(lambda n: str(100 + n))


class CancellationPolicyFactory(factory.django.DjangoModelFactory):
    """Flexible: 100% refund from 7 days before check-in, 50% from 2 days, then nothing."""

    class Meta:
        model = CancellationPolicy
        skip_postgeneration_save = True

    hotel = factory.SubFactory(HotelFactory)
    name = "Flexible"

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        for days_before, percent in (
            extracted if extracted is not None else [(7, 100), (2, 50)]
        ):
            CancellationRule.objects.create(
                policy=self, days_before=days_before, refund_percent=percent
            )


def hotel_today(hotel) -> date:
    """Return today's date in the hotel's time zone, by the database clock."""
    return db_now().astimezone(hotel.tz).date()


def staff(username: str, hotel: Hotel | None = None, role: str = "owner"):
    """Create a staff user with `role` at `hotel`."""
    user = get_user_model().objects.create_user(
        username=username, password="pw", is_staff=True
    )
    if hotel is not None:
        HotelMembership.objects.create(hotel=hotel, user=user, role=role)
    return user
