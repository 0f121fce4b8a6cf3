"""A guest's bookings made signed out join their account once the e-mail is theirs."""

from django.db import transaction
from django.db.models import Q

from ..models import Booking, BookingSource


def bookings_attach_to_user(*, user, emails: list[str]) -> int:
    """Attach to `user` the bookings made with one of `emails` and no account yet.

    Call it only with addresses `user` has verified (allauth's EmailAddress.verified).
    The site's and the hotel's own bookings join; a partner's booking stays the
    partner's (its guest e-mail may be the agency's). Returns how many joined. Safe to
    repeat, and two calls at once attach each booking once (a booking with an account
    is never moved to another).
    """
    match = Q(pk__in=[])
    for email in {e.strip().lower() for e in emails if e and e.strip()}:
        match |= Q(guest_email__iexact=email)
    with transaction.atomic():
        return (
            Booking.objects.filter(match, user=None)
            .exclude(source=BookingSource.PARTNER)
            .update(user=user)
        )
