"""Whose data a request is about: a guest's account and bookings, and who may see them.

A guest acting on the site is their account, its bookings and the bookings made with
one of its verified e-mail addresses. Staff name a guest by e-mail address: a
superuser reaches every booking made with it or by the account that has it; a hotel's
owner or manager only the bookings of the hotels where their role grants the right
(`privacy.export_guest_data`, `privacy.erase_guest_data`).
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q

from booking.models import Booking
from core.errors import ErrorCode, NotFound
from hotels.scoping import HotelScope

EXPORT_PERM = "privacy.export_guest_data"
ERASE_PERM = "privacy.erase_guest_data"


@dataclass
class Subject:
    """A guest: their account (if any), e-mail addresses and bookings in reach.

    `hotel_ids` None: every hotel (the guest themselves, a superuser); else only the
    bookings of these hotels are in reach, and `beyond` says whether the guest has
    bookings elsewhere.
    """

    user: object | None
    emails: list[str]
    hotel_ids: set[int] | None = None
    beyond: bool = False
    booking_ids: list[int] = field(default_factory=list)

    def bookings(self):
        return Booking.objects.filter(pk__in=self.booking_ids).order_by(
            "check_in", "pk"
        )


def bookings_q(user, emails: list[str]) -> Q:
    """Return the filter of the bookings of `user` or made with one of `emails`."""
    match = Q(pk__in=[])
    if user is not None:
        match |= Q(user=user)
    for email in emails:
        match |= Q(guest_email__iexact=email)
    return match


def subject_of_user(user) -> Subject:
    """Return the signed-in guest `user` as a subject, with every booking of theirs."""
    emails = sorted(
        {
            e.lower()
            for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )
    ids = list(
        Booking.objects.filter(bookings_q(user, emails)).values_list("pk", flat=True)
    )
    return Subject(user=user, emails=emails, booking_ids=ids)


def subject_by_email(*, email: str, staff, perm: str) -> Subject:
    """Return the guest with this e-mail address, as far as `staff` may reach them.

    Raises NotFound when no booking or account in reach has that address (the same
    answer whether the guest does not exist or stayed only at other hotels).
    """
    email = email.strip().lower()
    user = (
        get_user_model()
        .objects.filter(
            Q(email__iexact=email)
            | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        )
        .distinct()
        .first()
    )
    emails = [email]
    if user is not None:
        emails = sorted({email, *(subject_of_user(user).emails)})
    everything = list(
        Booking.objects.filter(bookings_q(user, emails)).values_list("pk", "hotel_id")
    )
    scope = HotelScope(staff)
    if scope.is_superuser:
        if user is None and not everything:
            raise NotFound(ErrorCode.NOT_FOUND, "No guest has this e-mail address.")
        return Subject(
            user=user, emails=emails, booking_ids=[pk for pk, _ in everything]
        )
    hotels = scope.hotel_ids(perm)
    mine = [pk for pk, hotel_id in everything if hotel_id in hotels]
    if not mine:
        raise NotFound(
            ErrorCode.NOT_FOUND,
            "No guest with this e-mail address has bookings at your hotels.",
        )
    return Subject(
        user=user,
        emails=emails,
        hotel_ids=hotels,
        beyond=len(mine) < len(everything),
        booking_ids=mine,
    )
