from datetime import date

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import apply_basis_points
from core.translated import SavesInDefaultLanguage


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class RatePlan(SavesInDefaultLanguage, models.Model):
    """What a guest buys for a room type: meals, cancellation terms and a price rule."""

    class MealPlan(models.TextChoices):
        ROOM_ONLY = "room_only", _("Room only")
        BREAKFAST = "breakfast", _("Breakfast included")
        HALF_BOARD = "half_board", _("Half board")
        FULL_BOARD = "full_board", _("Full board")

    class PaymentMode(models.TextChoices):
        PAY_NOW = "pay_now", _("Pay now")
        PAY_AT_HOTEL = "pay_at_hotel", _("Pay at the hotel (card guarantee)")

    room_type = models.ForeignKey(
        "hotels.RoomType", on_delete=models.PROTECT, related_name="rate_plans"
    )
    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=50)
    meal_plan = models.CharField(
        max_length=20, choices=MealPlan.choices, default=MealPlan.ROOM_ONLY
    )
    cancellation_policy = models.ForeignKey(
        "hotels.CancellationPolicy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rate_plans",
        help_text="Empty means non-refundable.",
    )
    price_adjustment_bp = models.IntegerField(
        default=0,
        validators=[MinValueValidator(-9_000), MaxValueValidator(50_000)],
        help_text="Relative to the room type's nightly price, in basis points: -1500 = -15%.",
    )
    payment_mode = models.CharField(
        max_length=20, choices=PaymentMode.choices, default=PaymentMode.PAY_NOW
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["room_type", "price_adjustment_bp"]
        constraints = [
            models.UniqueConstraint(
                fields=["room_type", "code"], name="rate_plan_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(price_adjustment_bp__gte=-9_000),
                name="rate_plan_adjustment_floor",
            ),
        ]

    def __str__(self):
        return f"{self.room_type} – {self.name}"

    @property
    def is_refundable(self) -> bool:
        return self.cancellation_policy_id is not None

    def nightly_price(self, base_price: int) -> int:
        """Return this plan's price for a night whose room-type price is `base_price`."""
        return apply_basis_points(base_price, self.price_adjustment_bp)


class InventoryQuerySet(models.QuerySet):
    def for_stay(self, room_type_id: int, check_in: date, check_out: date):
        """Return the rows of the nights of a stay, check-in night to the last night."""
        return self.filter(
            room_type_id=room_type_id, date__gte=check_in, date__lt=check_out
        )


# Manager-set fields only: booking services move `booked` on the hot path untracked. The
# "before" snapshot (the old row) gives each change its diff without an insert event
# for every opened night.
_MANAGED = pghistory.AnyChange(
    "rooms",
    "overbooking",
    "price",
    "stop_sell",
    "min_stay",
    "max_stay",
    "closed_to_arrival",
    "closed_to_departure",
)


@pghistory.track(
    pghistory.UpdateEvent("before", row=pghistory.Old, condition=_MANAGED),
    pghistory.UpdateEvent("update", condition=_MANAGED),
    pghistory.DeleteEvent(),
    exclude=["updated_at"],
)
class Inventory(models.Model):
    """One room type for one night: what may be sold, what is sold, at what price."""

    room_type = models.ForeignKey(
        "hotels.RoomType", on_delete=models.PROTECT, related_name="inventory"
    )
    date = models.DateField()
    rooms = models.PositiveSmallIntegerField(help_text="Rooms to sell this night.")
    overbooking = models.PositiveSmallIntegerField(
        default=0, help_text="Rooms that may be sold beyond rooms to sell."
    )
    booked = models.PositiveSmallIntegerField(default=0)
    price = models.PositiveIntegerField(help_text="Nightly price in minor units.")
    stop_sell = models.BooleanField(default=False)
    min_stay = models.PositiveSmallIntegerField(default=1)
    max_stay = models.PositiveSmallIntegerField(null=True, blank=True)
    closed_to_arrival = models.BooleanField(default=False)
    closed_to_departure = models.BooleanField(default=False)
    # Off sale by a hotel closure or deactivation (hotels.HotelClosure), kept apart
    # from stop_sell so lifting the closure leaves the hotel's own stop-sell alone.
    closed = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InventoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("inventory")
        constraints = [
            # The index of this constraint also serves every stay lookup and lock.
            models.UniqueConstraint(
                fields=["room_type", "date"], name="one_inventory_row_per_night"
            ),
            models.CheckConstraint(
                condition=Q(booked__gte=0)
                & Q(booked__lte=F("rooms") + F("overbooking")),
                name="inventory_booked_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(min_stay__gte=1), name="inventory_min_stay_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_stay__isnull=True) | Q(max_stay__gte=F("min_stay")),
                name="inventory_max_stay_not_below_min",
            ),
        ]

    def __str__(self):
        return f"{self.room_type_id}@{self.date}: {self.booked}/{self.rooms}+{self.overbooking}"

    @property
    def free(self) -> int:
        return self.rooms + self.overbooking - self.booked


# What a channel manager believes -------------------------------------------------------

# The fields a channel manager sets and reads back, compared by the drift check.
CHANNEL_FIELDS = (
    "rooms",
    "price",
    "stop_sell",
    "min_stay",
    "max_stay",
    "closed_to_arrival",
    "closed_to_departure",
)


class ChannelNight(models.Model):
    """What a connected channel manager last knew of one room-type night.

    `known` holds the fields it last pushed (merged over earlier pushes) or all of them
    from the last snapshot it pulled (replacing what it knew): only those are compared.
    """

    class Source(models.TextChoices):
        PUSH = "push", "Push"
        PULL = "pull", "Snapshot pull"

    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.CASCADE, related_name="channel_nights"
    )
    room_type = models.ForeignKey(
        "hotels.RoomType", on_delete=models.CASCADE, related_name="channel_nights"
    )
    date = models.DateField()
    known = models.JSONField(default=dict)
    source = models.CharField(max_length=4, choices=Source.choices)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "room_type", "date"],
                name="one_channel_night_per_partner",
            )
        ]

    def __str__(self):
        return f"{self.partner_id}:{self.room_type_id}@{self.date}"


class ChannelDrift(models.Model):
    """One field of one night where Innkeep and a connected channel disagree.

    Written by the consistency check (booking.tasks.check_consistency), each run
    replacing the last; read by the admin and the `innkeep_channel_drift_nights` gauge.
    """

    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.CASCADE, related_name="+"
    )
    hotel = models.ForeignKey(
        "hotels.Hotel", on_delete=models.CASCADE, related_name="channel_drift"
    )
    room_type = models.ForeignKey(
        "hotels.RoomType", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    field = models.CharField(max_length=20)
    ours = models.JSONField(null=True)
    theirs = models.JSONField(null=True)
    source = models.CharField(max_length=4, choices=ChannelNight.Source.choices)
    seen_at = models.DateTimeField(
        help_text="When the channel last pushed or pulled it."
    )
    found_at = models.DateTimeField()

    class Meta:
        verbose_name = "channel disagreement"
        indexes = [models.Index(fields=["hotel", "date"], name="channel_drift_hotel")]

    def __str__(self):
        return f"{self.room_type_id}@{self.date} {self.field}: {self.ours} vs {self.theirs}"


class ConsistencyRun(models.Model):
    """One run of the consistency check: counts, for the admin and the metrics."""

    ran_at = models.DateTimeField()
    inventory_disagreements = models.PositiveIntegerField()
    tally_disagreements = models.PositiveIntegerField()
    channel_drift = models.PositiveIntegerField()

    class Meta:
        get_latest_by = "ran_at"

    def __str__(self):
        return (
            f"{self.ran_at:%Y-%m-%d %H:%M}: {self.inventory_disagreements} nights, "
            f"{self.tally_disagreements} tallies, {self.channel_drift} channel fields"
        )


class RateChange(models.Model):
    """A bulk price change of a hotel's nights (and plan rules), kept so it can be undone.

    `nights` holds each changed night's price before and after (minor units), `plans`
    each rate plan rule before and after (basis points). An undo puts back the "before"
    of every night and plan still at its "after", and keeps in `undo_kept` what had
    changed since (left as it was).
    """

    hotel = models.ForeignKey(
        "hotels.Hotel", on_delete=models.CASCADE, related_name="rate_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    start = models.DateField()
    last = models.DateField()
    weekdays = models.JSONField(default=list, help_text="ISO weekdays; empty: all.")
    rules = models.JSONField(
        default=dict, help_text="Per room type id: {kind, value} of the price rule."
    )
    nights = models.JSONField(default=list)
    plans = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undo_kept = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["hotel", "-created_at"])]

    def __str__(self):
        return f"Rate change {self.pk} of hotel {self.hotel_id} ({len(self.nights)} nights)"
