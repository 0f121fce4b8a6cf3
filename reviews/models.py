import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

rating = [MinValueValidator(1), MaxValueValidator(10)]


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Review(models.Model):
    """One verified-stay review per checked-out booking."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    booking = models.OneToOneField(
        "booking.Booking", on_delete=models.CASCADE, related_name="review"
    )
    hotel = models.ForeignKey(
        "hotels.Hotel", on_delete=models.CASCADE, related_name="reviews"
    )
    overall = models.PositiveSmallIntegerField(validators=rating)
    cleanliness = models.PositiveSmallIntegerField(
        validators=rating, null=True, blank=True
    )
    comfort = models.PositiveSmallIntegerField(validators=rating, null=True, blank=True)
    location = models.PositiveSmallIntegerField(
        validators=rating, null=True, blank=True
    )
    service = models.PositiveSmallIntegerField(validators=rating, null=True, blank=True)
    value = models.PositiveSmallIntegerField(validators=rating, null=True, blank=True)
    text = models.TextField(blank=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    moderation_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=10),
                name="review_overall_range",
            )
        ]

    def __str__(self):
        return f"{self.hotel}: {self.overall}/10"
