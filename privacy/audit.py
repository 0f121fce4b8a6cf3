"""Write the audit record of an export, an erasure or a retention pass."""

from .models import PrivacyRequest

BY = {
    PrivacyRequest.Channel.SITE: "the guest",
    PrivacyRequest.Channel.TASK: "retention policy",
}


def record(*, action, channel, actor=None, subject_user_id=None, bookings=(), counts):
    """Record one privacy request; call inside the request's transaction.

    Staff are kept by account and name; a guest acting on their own data is "the
    guest", so that no record points at an account an erasure deletes.
    """
    bookings = list(bookings)
    staff = channel == PrivacyRequest.Channel.ADMIN
    entry = PrivacyRequest.objects.create(
        action=action,
        channel=channel,
        actor=actor if staff else None,
        actor_name=actor.get_username() if staff else BY[channel],
        subject_user_id=subject_user_id,
        booking_references=sorted(b.reference for b in bookings),
        counts=counts,
    )
    entry.hotels.set({b.hotel_id for b in bookings})
    return entry
