"""The demo logins: a superuser, a guest, and staff of the first demo hotels."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from hotels.models import Hotel, HotelMembership

# (username, e-mail, password, other fields); the command's report lists the logins.
DEMO_USERS = [
    ("admin", "admin@example.com", "admin", {"is_staff": True, "is_superuser": True}),
    ("guest@example.com", "guest@example.com", "guest",
     {"first_name": "Grace", "last_name": "Guest"}),
    ("manager", "manager@example.com", "manager",
     {"is_staff": True, "first_name": "Mina", "last_name": "Park"}),
    ("frontdesk", "frontdesk@example.com", "frontdesk",
     {"is_staff": True, "first_name": "Felix", "last_name": "Desk"}),
    ("housekeeping", "housekeeping@example.com", "housekeeping",
     {"is_staff": True, "first_name": "Hana", "last_name": "Kim"}),
]  # fmt: skip


def seed_users(hotels: list[Hotel]) -> None:
    """Create the demo users with verified e-mails; the manager manages the first two
    hotels, front desk and housekeeping the first."""
    user_model = get_user_model()
    users = {}
    for username, email, password, extra in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, email=email, **extra)
            user.set_password(password)  # only on creation: a re-run changes nothing
            user.save()
        users[username] = user
        # Sign-in needs a verified e-mail (ACCOUNT_EMAIL_VERIFICATION = "mandatory"):
        # the README's demo logins work at once, with no confirmation mail to follow.
        EmailAddress.objects.get_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
    for hotel in hotels[:2]:
        HotelMembership.objects.get_or_create(
            hotel=hotel, user=users["manager"],
            defaults={"role": HotelMembership.Role.MANAGER},
        )  # fmt: skip
    if hotels:
        HotelMembership.objects.get_or_create(
            hotel=hotels[0], user=users["frontdesk"],
            defaults={"role": HotelMembership.Role.FRONT_DESK},
        )  # fmt: skip
        # The cleaner of the first hotel, who cleans its lowest floor.
        HotelMembership.objects.get_or_create(
            hotel=hotels[0], user=users["housekeeping"],
            defaults={"role": HotelMembership.Role.HOUSEKEEPING},
        )  # fmt: skip
        floors = hotels[0].rooms.order_by("floor").values_list("floor", flat=True)
        if floors:
            hotels[0].rooms.filter(floor=floors[0], housekeeper=None).update(
                housekeeper=users["housekeeping"]
            )
