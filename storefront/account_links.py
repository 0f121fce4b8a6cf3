"""Signal receivers: bookings made with an address join the account that verified it."""

from allauth.account.models import EmailAddress

from booking.services import bookings_attach_to_user


def on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None and email_address.verified:
        bookings_attach_to_user(user=email_address.user, emails=[email_address.email])


def on_login(sender, request=None, user=None, **kwargs):
    if user is None or user.is_staff:
        return
    emails = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    if emails:
        bookings_attach_to_user(user=user, emails=emails)
