import secrets

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Crockford's base32 without look-alikes: references are read over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 10  # 50 bits of randomness: not enumerable


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held (awaiting payment)")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    NO_SHOW = "no_show", _("No-show")


# Statuses whose rooms are counted in Inventory.booked (invariant 2). A checked-out stay
# keeps its nights so past occupancy stays true; an early departure shortens the stay.
LIVE_STATUSES = (
    BookingStatus.HELD,
    BookingStatus.CONFIRMED,
    BookingStatus.CHECKED_IN,
    BookingStatus.CHECKED_OUT,
)


class BookingSource(models.TextChoices):
    SITE = "site", _("Booking site")
    PARTNER = "partner", _("Partner API")
    ADMIN = "admin", _("Admin")


class BookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def overlapping(self, room_type_id: int, check_in, check_out):
        return self.filter(
            room_type_id=room_type_id, check_in__lt=check_out, check_out__gt=check_in
        )


# Changes only: a hold inserts no event (the row itself records how it was made); each
# update stores the old and the new row, so every change has its diff.
@pghistory.track(
    pghistory.UpdateEvent("before", row=pghistory.Old),
    pghistory.UpdateEvent("update"),
    pghistory.DeleteEvent(),
    exclude=["updated_at", "request_fingerprint", "hold_actors"],
)
class Booking(models.Model):
    reference = models.CharField(
        max_length=16, unique=True, default=new_reference, editable=False
    )
    hotel = models.ForeignKey(
        "hotels.Hotel", on_delete=models.PROTECT, related_name="bookings"
    )
    room_type = models.ForeignKey(
        "hotels.RoomType", on_delete=models.PROTECT, related_name="bookings"
    )
    rate_plan = models.ForeignKey(
        "inventory.RatePlan", on_delete=models.PROTECT, related_name="bookings"
    )
    check_in = models.DateField()
    check_out = models.DateField()
    rooms = models.PositiveSmallIntegerField(default=1)
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)

    guest_name = models.CharField(max_length=200)
    guest_email = models.EmailField()
    guest_phone = models.CharField(max_length=40, blank=True)
    special_requests = models.TextField(blank=True)

    status = models.CharField(
        max_length=20, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    # Price of one room for each night, in minor units, in stay order.
    nightly_prices = models.JSONField(default=list)
    total = models.PositiveIntegerField(help_text="Minor units: sum of nights × rooms.")
    currency = models.CharField(max_length=3)
    payment_mode = models.CharField(max_length=20)
    # The cancellation policy in force when the booking was made (invariant 5).
    policy = models.JSONField(default=dict)
    held_until = models.DateTimeField(null=True, blank=True)
    hold_extensions = models.PositiveSmallIntegerField(default=0)

    source = models.CharField(max_length=10, choices=BookingSource.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    partner = models.ForeignKey(
        "accounts.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    # Idempotency: a key is unique within its scope (a user, a partner, a site session).
    idempotency_scope = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    # The guest's language when booking (a LANGUAGES code; empty: the site's default):
    # the e-mails about the booking are written in it.
    language = models.CharField(max_length=10, blank=True, default="")
    # The hold tallies (HoldTally.actor) this hold counts in while it is held; the
    # trigger `hold_tally_release` takes it out of them when it ends.
    hold_actors = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, editable=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    # Why staff confirmed this pay-now booking without a payment (empty: they did not).
    confirmation_override = models.TextField(
        "confirmed without payment because", blank=True
    )
    refund_amount = models.PositiveIntegerField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=F("check_in")), name="booking_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(rooms__gte=1), name="booking_rooms_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.HELD) | Q(held_until__isnull=False),
                name="held_booking_has_deadline",
            ),
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_idempotency_key_unique",
            ),
        ]
        indexes = [
            # The expiry sweep and the "release overdue holds on these nights" check.
            models.Index(
                fields=["room_type", "held_until"],
                condition=Q(status=BookingStatus.HELD),
                name="booking_held_by_deadline",
            ),
            models.Index(
                fields=["room_type", "check_in", "check_out"],
                name="booking_room_type_stay",
            ),
            models.Index(fields=["hotel", "check_in"], name="booking_hotel_arrivals"),
            models.Index(fields=["user", "-created_at"], name="booking_user_recent"),
            models.Index(
                fields=["partner", "-created_at"], name="booking_partner_recent"
            ),
            models.Index(fields=["guest_email"], name="booking_guest_email"),
        ]
        permissions = [
            (
                "confirm_unpaid_booking",
                "Can confirm a pay-now booking that has no payment (with a reason)",
            ),
        ]
        triggers = [
            # At COMMIT, so that a tally row is always the last lock a transaction
            # takes (after the booking and its nights), as the hold itself takes it:
            # no two transactions can wait on each other for it.
            pgtrigger.Trigger(
                name="hold_tally_release",
                level=pgtrigger.Row,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                timing=pgtrigger.Deferred,
                condition=pgtrigger.Condition(
                    "OLD.status = 'held' AND cardinality(OLD.hold_actors) > 0"
                ),
                func="""
                DECLARE
                    gone int := CASE WHEN NEW.status = 'held' THEN 0 ELSE 1 END;
                    change int := CASE WHEN NEW.status = 'held'
                        THEN NEW.rooms * (NEW.check_out - NEW.check_in) ELSE 0 END
                        - OLD.rooms * (OLD.check_out - OLD.check_in);
                BEGIN
                    IF gone = 1 OR change <> 0 THEN
                        UPDATE booking_holdtally
                        SET holds = greatest(holds - gone, 0),
                            room_nights = greatest(room_nights + change, 0)
                        WHERE actor = ANY(OLD.hold_actors);
                    END IF;
                    RETURN NULL;
                END;
                """,
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def guests(self) -> int:
        return self.adults + self.children


class BookingChange(models.Model):
    """One change of a booking's stay: what it was, what it became, what it gives back.

    Written in the change's own transaction; `refund_amount` is the policy's share of
    what the stay got cheaper by, fixed at the change (hotel time), as a cancellation
    fixes its refund. payments refunds it once per change.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="changes"
    )
    old_check_in = models.DateField()
    old_check_out = models.DateField()
    old_rooms = models.PositiveSmallIntegerField()
    new_check_in = models.DateField()
    new_check_out = models.DateField()
    new_rooms = models.PositiveSmallIntegerField()
    old_total = models.PositiveIntegerField()
    new_total = models.PositiveIntegerField()
    refund_amount = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.old_total} -> {self.new_total}"

    @property
    def difference(self) -> int:
        return self.new_total - self.old_total


class HoldTally(models.Model):
    """One actor's live holds and their room-nights, for the hold caps (booking/caps.py).

    A hold adds itself in the statement that takes its nights, only while the actor
    stays within the caps it names (kept here as `max_*`, the last ones applied); the
    booking's trigger `hold_tally_release` takes it out when it stops being held.
    `check_inventory` compares every tally with the held bookings.
    """

    actor = models.CharField(max_length=100, primary_key=True)
    holds = models.IntegerField(default=0)
    room_nights = models.IntegerField(default=0)
    max_holds = models.IntegerField(null=True, blank=True)
    max_room_nights = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(holds__gte=0, room_nights__gte=0),
                name="hold_tally_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.actor}: {self.holds} holds, {self.room_nights} room-nights"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class RoomAssignment(models.Model):
    """A physical room serving a booking for some of its nights."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="assignments"
    )
    room = models.ForeignKey(
        "hotels.Room", on_delete=models.PROTECT, related_name="assignments"
    )
    # Nights as a half-open range [first night, departure): back-to-back stays do not overlap.
    stay = DateRangeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            ExclusionConstraint(
                name="room_never_double_assigned",
                expressions=[
                    ("room", RangeOperators.EQUAL),
                    ("stay", RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.room} for {self.booking} {self.stay}"


class BookingEmail(models.Model):
    """An e-mail sent about a booking, recorded once per (booking, key).

    The key names what the e-mail is about (an event, or an event occurrence for events
    that repeat), so a redelivered task finds the row and does not send it again.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="emails"
    )
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=30)
    to = models.EmailField()
    language = models.CharField(max_length=10, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "key"], name="booking_email_once_per_key"
            )
        ]

    def __str__(self):
        return f"{self.booking_id}: {self.kind}"


class ClosureBooking(models.Model):
    """A booking a hotel closure or deactivation fell on, as it stood when it was made.

    The managers' checklist: who was told (their BookingEmail for the closure), who
    cancelled, and what remains to move. A booking on this list may cancel with a full
    refund while its closure is live (booking.services.closures).
    """

    closure = models.ForeignKey(
        "hotels.HotelClosure", on_delete=models.CASCADE, related_name="bookings"
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="closures"
    )
    status_then = models.CharField(max_length=20, choices=BookingStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking__check_in", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "booking"], name="closure_booking_once"
            )
        ]

    def __str__(self):
        return f"{self.booking_id} in closure {self.closure_id}"
