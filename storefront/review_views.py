"""A guest reviews a checked-out stay from the booking's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from booking import access
from booking.models import BookingStatus
from core.errors import DomainError, ErrorCode
from core.messages import message_for
from reviews.models import Review
from reviews.services import review_create

from .review_forms import ReviewForm


@require_http_methods(["GET", "POST"])
def write_review(request, reference):
    """One review per checked-out booking, for its guest only (anyone else: 404)."""
    booking = access.get_booking_for(request, reference)
    review = Review.objects.filter(booking=booking).first()
    context = {"booking": booking, "review": review}
    if review is not None or booking.status != BookingStatus.CHECKED_OUT:
        return render(request, "reviews/write.html", context, status=409)
    form = ReviewForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            review_create(booking_id=booking.pk, **form.cleaned_data)
        except DomainError as error:
            if error.code == ErrorCode.INVALID_REVIEW:
                for field, message in error.params.get("fields", {}).items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, message_for(error))
        else:
            messages.success(request, _("Thank you! Your review is published."))
            return redirect("booking:detail", reference=booking.reference)
    status = 400 if form.errors else 200
    return render(request, "reviews/write.html", context, status=status)
