import factory

from hotels.tests.factories import RoomTypeFactory
from inventory.models import RatePlan


class RatePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatePlan

    room_type = factory.SubFactory(RoomTypeFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    code = factory.Sequence(lambda n: f"plan-{n}")
    cancellation_policy = None
