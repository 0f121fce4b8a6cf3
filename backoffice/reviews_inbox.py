"""A hotel's reviews inbox: reviews awaiting a reply first, then replied, then hidden,
with the guest's ratings and text and a reply form inline (reviews.services)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.errors import DomainError, ValidationError
from reviews.models import Review
from reviews.services import MAX_REPLY, review_reply

# A review rated this or lower (out of 10) is a low rating.
LOW_RATING = 6
PER_PAGE = 20

PUBLISHED, HIDDEN = Review.Status.PUBLISHED, Review.Status.HIDDEN
AWAITING = Q(status=PUBLISHED, reply="")


def first_name(full_name: str) -> str:
    """Reviews show only a guest's first name."""
    return (full_name or "").split(" ")[0]


def category_labels() -> list[tuple[str, str]]:
    return [
        ("cleanliness", _("Cleanliness")),
        ("comfort", _("Comfort")),
        ("location", _("Location")),
        ("service", _("Service")),
        ("value", _("Value for money")),
    ]


def inbox_counts(hotel) -> dict[str, int]:
    """The inbox's counts, in one query."""
    return Review.objects.filter(hotel=hotel).aggregate(
        total=Count("pk"),
        awaiting=Count("pk", filter=AWAITING),
        low=Count("pk", filter=Q(overall__lte=LOW_RATING)),
        replied=Count("pk", filter=Q(status=PUBLISHED) & ~Q(reply="")),
        hidden=Count("pk", filter=Q(status=HIDDEN)),
    )


def inbox_reviews(hotel, *, unanswered: bool = False, low: bool = False):
    """The hotel's reviews, awaiting a reply first, then replied, then hidden; newest
    first within each."""
    reviews = Review.objects.filter(hotel=hotel).select_related("booking")
    if unanswered:
        reviews = reviews.filter(AWAITING)
    if low:
        reviews = reviews.filter(overall__lte=LOW_RATING)
    return reviews.annotate(
        inbox_group=Case(
            When(AWAITING, then=Value(0)),
            When(status=PUBLISHED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("inbox_group", "-created_at", "-pk")


def _inbox_url(hotel, query: dict, anchor: str = "") -> str:
    url = reverse("admin:hotels_hotel_reviews", args=[hotel.pk])
    kept = {key: value for key, value in query.items() if value}
    return (
        url + (f"?{urlencode(kept)}" if kept else "") + (f"#{anchor}" if anchor else "")
    )


def reviews_inbox_view(request, hotel, context):
    source = request.POST if request.method == "POST" else request.GET
    unanswered = source.get("unanswered") == "1"
    low = source.get("low") == "1"
    query = {
        "unanswered": "1" if unanswered else "",
        "low": "1" if low else "",
        "page": source.get("page", ""),
    }
    drafts: dict[int, str] = {}
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        raw = request.POST.get("review", "")
        review = (
            Review.objects.filter(pk=int(raw), hotel=hotel)
            .select_related("booking")
            .first()
            if raw.isdigit()
            else None
        )
        text = request.POST.get("reply", "")
        if review is None:
            messages.error(request, _("No such review at this hotel."))
            return redirect(_inbox_url(hotel, query))
        try:
            review_reply(review_id=review.pk, text=text)
        except ValidationError:
            # The page again, the text kept, the error beside the field.
            drafts[review.pk] = text
            errors[review.pk] = _(
                "A reply has at most %(max)d characters; this one has %(length)d."
            ) % {"max": MAX_REPLY, "length": len(text.strip())}
            messages.error(request, errors[review.pk])
            status = 400
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_inbox_url(hotel, query))
        else:
            if text.strip():
                messages.success(
                    request,
                    _("Your reply to %(guest)s is published.")
                    % {"guest": first_name(review.booking.guest_name)},
                )
            else:
                messages.success(request, _("The reply is removed."))
            return redirect(_inbox_url(hotel, query, f"review-{review.pk}"))

    page = Paginator(inbox_reviews(hotel, unanswered=unanswered, low=low), PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    categories = category_labels()
    for review in page:
        review.category_ratings = [
            (label, getattr(review, name))
            for name, label in categories
            if getattr(review, name) is not None
        ]
        review.draft = drafts.get(review.pk, review.reply)
        review.error = errors.get(review.pk, "")
        review.awaiting = review.inbox_group == 0
    context.update(
        reviews=page,
        counts=inbox_counts(hotel),
        unanswered=unanswered,
        low=low,
        LOW_RATING=LOW_RATING,
        MAX_REPLY=MAX_REPLY,
        filter_query=urlencode(
            {key: value for key, value in query.items() if value and key != "page"}
        ),
    )
    return TemplateResponse(
        request, "admin/backoffice/reviews.html", context, status=status
    )
