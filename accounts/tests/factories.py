import factory

from accounts.models import Partner, User


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.DISTRIBUTION


class UserFactory(factory.django.DjangoModelFactory):
    """A guest with an account on the site."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"guest{n}")
    email = factory.Sequence(lambda n: f"guest{n}@example.com")
