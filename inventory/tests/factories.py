import factory

from hotels.tests.factories import RoomTypeFactory
from inventory.models import Inventory, RatePlan


class RatePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatePlan

    room_type = factory.SubFactory(RoomTypeFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    code = factory.Sequence(lambda n: f"plan-{n}")
    cancellation_policy = None


def booked(room_type, day) -> int:
    """Return the rooms booked of `room_type` on the night `day`."""
    return Inventory.objects.get(room_type=room_type, date=day).booked
