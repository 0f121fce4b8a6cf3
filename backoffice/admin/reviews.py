from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backoffice.admin_base import HotelScopedAdmin
from core.errors import DomainError
from hotels.models import HotelMembership
from reviews import services
from reviews.models import Review

Role = HotelMembership.Role


class ReviewModerationForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["reply", "status", "moderation_reason"]
        labels = {"moderation_reason": "Reason for hiding"}

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Review.Status.HIDDEN
            and not (data.get("moderation_reason") or "").strip()
        ):
            self.add_error(
                "moderation_reason", "Say why the review is hidden from guests."
            )
        return data


@admin.register(Review)
class ReviewAdmin(HotelScopedAdmin):
    """Reply to reviews and hide abusive ones; every change goes through a service."""

    hotel_lookup = "hotel"
    hotel_roles = {"change": (Role.OWNER, Role.MANAGER)}
    form = ReviewModerationForm
    list_display = ["hotel", "overall", "status", "has_reply", "created_at"]
    list_filter = ["status", "hotel"]
    search_fields = ["text", "reply", "booking__reference"]
    list_select_related = ["hotel"]
    readonly_fields = [
        "hotel",
        "booking",
        "hotel_rating",
        "overall",
        "cleanliness",
        "comfort",
        "location",
        "service",
        "value",
        "text",
        "replied_at",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["hotel", "hotel_rating", "booking", "created_at"]}),
        (
            "Ratings",
            {
                "fields": [
                    "overall",
                    "cleanliness",
                    "comfort",
                    "location",
                    "service",
                    "value",
                    "text",
                ]
            },
        ),
        ("Your reply", {"fields": ["reply", "replied_at"]}),
        ("Moderation", {"fields": ["status", "moderation_reason"]}),
    ]

    @admin.display(boolean=True, description=_("Replied"))
    def has_reply(self, review):
        return bool(review.reply)

    @admin.display(description=_("Hotel rating now"))
    def hotel_rating(self, review):
        hotel = review.hotel
        if not hotel.rating_count:
            return "No published reviews"
        return f"{hotel.rating_average}/10 from {hotel.rating_count} review(s)"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Not inside the admin's request-wide atomic block: the review services own
        # their (durable) transactions.
        return self._changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Apply the changed fields through the review services."""
        data = form.cleaned_data
        try:
            if "reply" in form.changed_data:
                services.review_reply(review_id=obj.pk, text=data["reply"])
            if data["status"] == Review.Status.HIDDEN and (
                {"status", "moderation_reason"} & set(form.changed_data)
            ):
                services.review_hide(review_id=obj.pk, reason=data["moderation_reason"])
            elif data["status"] == Review.Status.PUBLISHED and (
                "status" in form.changed_data
            ):
                services.review_publish(review_id=obj.pk)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        hotel = type(obj.hotel).objects.get(pk=obj.hotel_id)
        average = hotel.rating_average if hotel.rating_count else "–"
        self.message_user(
            request,
            f"{hotel.name}: average {average}/10 from {hotel.rating_count} "
            "published review(s).",
            messages.INFO,
        )

    def save_related(self, request, form, formsets, change):
        """Nothing related is edited here (the services saved the review)."""
