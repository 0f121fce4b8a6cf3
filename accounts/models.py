from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person: a guest on the site, a hotel's staff in the admin, or both."""

    email = models.EmailField("email address", blank=True, db_index=True)
    preferred_language = models.CharField(max_length=10, blank=True)


class Partner(models.Model):
    """An organisation using the partner API: an agency/OTA or a channel manager."""

    class Kind(models.TextChoices):
        DISTRIBUTION = "distribution", "Agency / OTA"
        CHANNEL_MANAGER = "channel_manager", "Channel manager / PMS"

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
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
