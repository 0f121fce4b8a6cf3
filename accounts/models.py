import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class User(AbstractUser):
    """A person: a guest on the site, a hotel's staff in the admin, or both."""

    email = models.EmailField("email address", blank=True, db_index=True)
    preferred_language = models.CharField(max_length=10, blank=True)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Partner(models.Model):
    """An organisation using the partner API: an agency/OTA or a channel manager."""

    class Kind(models.TextChoices):
        DISTRIBUTION = "distribution", _("Agency / OTA")
        CHANNEL_MANAGER = "channel_manager", _("Channel manager / PMS")

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    hotels = models.ManyToManyField(
        "hotels.Hotel",
        blank=True,
        related_name="partners",
        help_text="Hotels a channel manager may update.",
    )
    # Hold caps and the booking rate (booking/caps.py, api/frontdoor.py): empty is the
    # default of the settings; `unlimited_holds` lifts the caps (and their cost) for a
    # high-volume partner under contract.
    max_live_holds = models.PositiveIntegerField(
        "live holds at most",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Bookings held (not yet confirmed) at once. Empty: the default.",
    )
    max_held_room_nights = models.PositiveIntegerField(
        "held room-nights at most",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Rooms × nights of those holds together. Empty: the default.",
    )
    unlimited_holds = models.BooleanField(
        "no hold limits",
        default=False,
        help_text="No cap on live holds or held room-nights (leave both empty).",
    )
    bookings_per_minute = models.PositiveIntegerField(
        "booking requests per minute",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="POST /bookings/ of all the partner's keys together. Empty: the "
        "default.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unlimited_holds=False)
                | Q(max_live_holds__isnull=True, max_held_room_nights__isnull=True),
                name="partner_unlimited_holds_has_no_caps",
                violation_error_message=(
                    "A partner with no hold limits has no caps: leave both empty."
                ),
            ),
        ]

    def __str__(self):
        return self.name


# A key's primary key is its prefix and its hash: the history keeps neither that nor
# the hash, and knows a key by its prefix (backoffice/audit.py). Its last use is not a
# change anyone made.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["id", "hashed_key", "last_used_at"],
    obj_field=None,
)
class PartnerAPIKey(AbstractAPIKey):
    """A partner's API key: only a prefix and a SHA-512 hash are stored.

    The full key is shown once, when it is made (`accounts.services.partner_key_create`).
    Scopes: `booking` (search and book) and `ari` (push availability, rates and
    restrictions for the partner's connected hotels).
    """

    class Scope(models.TextChoices):
        BOOKING = "booking", _("Search and book")
        ARI = "ari", _("Push availability, rates and restrictions")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="api_keys"
    )
    scopes = ArrayField(
        models.CharField(max_length=20, choices=Scope.choices),
        default=list,
        help_text="booking, ari, or both.",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(scopes__contained_by=["booking", "ari"])
                & Q(scopes__len__gte=1),
                name="partner_api_key_known_scopes",
            ),
        ]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


# A channel manager connected to a hotel, or disconnected: it may then change the
# hotel's rates and availability, or no longer.
pghistory.track(
    pghistory.InsertEvent("connect"),
    pghistory.DeleteEvent("disconnect"),
    obj_field=None,
    model_name="PartnerHotelEvent",
)(Partner.hotels.through)


class StaffEnrolmentCode(models.Model):
    """A one-time code that lets a staff member enrol their first authenticator app.

    Only a keyed hash of the code is stored (`accounts.enrolment`); the code is shown
    once, to whoever issued it. A user has at most one: a new code replaces the old.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="enrolment_code"
    )
    code_hash = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when issued from the command line.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff enrolment code")

    def __str__(self):
        return f"Enrolment code for {self.user}"
