from datetime import date

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import apply_basis_points


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class RatePlan(models.Model):
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
