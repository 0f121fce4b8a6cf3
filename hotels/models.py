import zoneinfo
from datetime import time
from functools import cached_property

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.translated import SavesInDefaultLanguage


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone.")


def validate_currency(value: str) -> None:
    if len(value) != 3 or not value.isalpha() or not value.isupper():
        raise ValidationError("Use a three-letter ISO 4217 code, e.g. EUR.")


# Callable defaults: Django's check framework warns (fields.W161) about a fixed time default
# during the ten seconds around that time of day, which made `check --deploy` fail then.
def default_check_in_time() -> time:
    return time(15, 0)


def default_check_out_time() -> time:
    return time(11, 0)


def default_same_day_cutoff() -> time:
    return time(22, 0)


class Amenity(SavesInDefaultLanguage, models.Model):
    class Scope(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        ROOM = "room", _("Room")

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.HOTEL)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("amenities")

    def __str__(self):
        return self.name


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["rating_average", "rating_count", "updated_at"],
)
class Hotel(SavesInDefaultLanguage, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    # How a guest reaches the hotel: on the confirmation, its e-mail and the .ics.
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    currency = models.CharField(max_length=3, validators=[validate_currency])
    star_rating = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="hotels")
    check_in_time = models.TimeField(default=default_check_in_time)
    check_out_time = models.TimeField(default=default_check_out_time)
    same_day_cutoff = models.TimeField(
        default=default_same_day_cutoff,
        help_text="Arrivals for today are sold until this hotel-local time.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="HotelMembership",
        related_name="managed_hotels",
    )
    # Kept by the reviews app when a review is published, hidden or removed.
    rating_average = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["city", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(star_rating__gte=0, star_rating__lte=5),
                name="hotel_star_rating_range",
            ),
        ]
        permissions = [
            ("view_hotel_dashboard", "Can see a hotel's occupancy and revenue"),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class HotelMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        FRONT_DESK = "front_desk", _("Front desk")
        # Cleaners: the housekeeping board of the hotel, and nothing else.
        HOUSEKEEPING = "housekeeping", _("Housekeeping")

    hotel = models.ForeignKey(
        Hotel, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hotel_memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hotel", "user"], name="one_membership_per_hotel_user"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.hotel} ({self.get_role_display()})"


class HotelPhoto(models.Model):
    hotel = models.ForeignKey(Hotel, on_delete=models.CASCADE, related_name="photos")
    room_type = models.ForeignKey(
        "RoomType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.ImageField(upload_to="hotels/%Y/")
    caption = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class CancellationPolicy(SavesInDefaultLanguage, models.Model):
    """Ordered rules: cancelled at least N days before check-in (hotel time) refunds P%.

    No rules means non-refundable.
    """

    hotel = models.ForeignKey(
        Hotel, on_delete=models.CASCADE, related_name="cancellation_policies"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = _("cancellation policies")

    def __str__(self):
        return self.name

    def snapshot(self) -> dict:
        """Return the policy as plain data, to be frozen onto a booking when it is made."""
        rules = sorted(self.rules.all(), key=lambda rule: -rule.days_before)
        return {
            "name": self.name,
            "rules": [
                {"days_before": r.days_before, "refund_percent": r.refund_percent}
                for r in rules
            ],
        }


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class CancellationRule(models.Model):
    policy = models.ForeignKey(
        CancellationPolicy, on_delete=models.CASCADE, related_name="rules"
    )
    days_before = models.PositiveSmallIntegerField(
        help_text="Applies when cancelled at least this many days before check-in."
    )
    refund_percent = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "days_before"], name="one_rule_per_day_count"
            ),
            models.CheckConstraint(
                condition=Q(refund_percent__lte=100), name="refund_percent_at_most_100"
            ),
        ]

    def __str__(self):
        return f"≥{self.days_before} days: {self.refund_percent}%"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class RoomType(SavesInDefaultLanguage, models.Model):
    hotel = models.ForeignKey(
        Hotel, on_delete=models.PROTECT, related_name="room_types"
    )
    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=50)
    description = models.TextField(blank=True)
    max_occupancy = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    bed_type = models.CharField(max_length=50, blank=True)
    size_sqm = models.PositiveSmallIntegerField(null=True, blank=True)
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="room_types")
    room_count = models.PositiveSmallIntegerField(
        help_text="Physical rooms of this type: the default rooms to sell each night."
    )
    overbooking_percent = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(25)],
        help_text="Extra rooms sold beyond rooms to sell, as a percentage (rounded down).",
    )
    base_price = models.PositiveIntegerField(
        help_text="Default nightly price in minor units of the hotel's currency."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["hotel", "base_price", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hotel", "code"], name="room_type_code_unique_per_hotel"
            ),
            models.CheckConstraint(
                condition=Q(overbooking_percent__lte=25),
                name="overbooking_percent_at_most_25",
            ),
            models.CheckConstraint(
                condition=Q(max_occupancy__gte=1), name="room_type_occupancy_positive"
            ),
        ]

    def __str__(self):
        return f"{self.hotel.name} – {self.name}"

    def overbooking_units(self, rooms: int) -> int:
        """Return how many rooms beyond `rooms` this type may sell in a night."""
        return rooms * self.overbooking_percent // 100


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Room(models.Model):
    class Housekeeping(models.TextChoices):
        CLEAN = "clean", _("Clean")
        DIRTY = "dirty", _("Dirty")
        INSPECTED = "inspected", _("Inspected")
        OUT_OF_ORDER = "out_of_order", _("Out of order")

    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="rooms")
    room_type = models.ForeignKey(
        RoomType, on_delete=models.PROTECT, related_name="rooms"
    )
    number = models.CharField(max_length=20)
    floor = models.SmallIntegerField(default=1)
    features = models.CharField(
        max_length=200, blank=True, help_text="e.g. sea view, quiet"
    )
    housekeeping_status = models.CharField(
        max_length=20, choices=Housekeeping.choices, default=Housekeeping.CLEAN
    )
    # While out of order: the last night it is out, and the nights whose rooms to sell
    # it took away (inventory/housekeeping.py gives them back).
    out_of_order_until = models.DateField(null=True, blank=True)
    out_of_order_nights = ArrayField(models.DateField(), default=list, blank=True)
    # The hotel's staff member who cleans this room (a member of the hotel), set on
    # the housekeeping board through inventory.housekeeping.rooms_assign_housekeeper.
    housekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="housekeeping_rooms",
    )

    class Meta:
        ordering = ["hotel", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["hotel", "number"], name="room_number_unique_per_hotel"
            )
        ]
        # The housekeeping board's write: every role, housekeeping included, which
        # may not edit the room itself (change_room).
        permissions = [
            ("change_housekeeping", "Can change a room's housekeeping status"),
        ]

    def __str__(self):
        return f"{self.number} ({self.room_type.name})"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class HotelClosure(models.Model):
    """Nights of a hotel taken off sale: a renovation, or the hotel's deactivation.

    A closure covers the nights `start` to `end`, both included; a deactivation has no
    `end` (every night from `start` on) until the hotel is reactivated. Its nights carry
    `Inventory.closed`, kept apart from the hotel's own stop-sell, so lifting the closure
    gives back exactly what the hotel had set. Live while `lifted_at` is empty.
    """

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Temporary closure")
        DEACTIVATION = "deactivation", _("Deactivation")

    hotel = models.ForeignKey(Hotel, on_delete=models.PROTECT, related_name="closures")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLOSURE)
    start = models.DateField("first night closed")
    end = models.DateField(
        "last night closed", null=True, blank=True, help_text="Empty: no end."
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="hotel_closure_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="closure") | Q(end__isnull=False),
                name="hotel_closure_has_end",
            ),
            # At most one live deactivation per hotel.
            models.UniqueConstraint(
                fields=["hotel"],
                condition=Q(kind="deactivation", lifted_at__isnull=True),
                name="one_live_deactivation_per_hotel",
            ),
        ]

    def __str__(self):
        if self.end is None:
            return f"{self.hotel.name}: {self.get_kind_display()} from {self.start}"
        return f"{self.hotel.name}: closed {self.start} – {self.end}"

    @property
    def is_live(self) -> bool:
        return self.lifted_at is None
