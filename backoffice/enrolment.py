"""Issuing staff enrolment codes from the admin: an owner for a member of their hotel
(a link on the hotel's staff memberships), a superuser for any staff member (an action
on the user list). The code is shown once, on the answer to the POST that made it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse

from core.errors import DomainError
from hotels.enrolment import may_issue_enrolment_code, staff_enrolment_code_issue
from hotels.models import HotelMembership
from hotels.scoping import scope_for

TEMPLATE = "admin/enrolment_code.html"


def membership_code_view(model_admin, request, hotel_id: int, membership_id: int):
    """Ask to confirm (GET), then issue and show the member's enrolment code (POST).

    A hotel the user does not work for, or a membership not of it, is a 404; a user
    who may not issue the code gets a 403.
    """
    scope = scope_for(request)
    membership = (
        HotelMembership.objects.select_related("user", "hotel")
        .filter(pk=membership_id, hotel_id=hotel_id)
        .first()
    )
    if membership is None or not (
        scope.is_superuser or scope.role(membership.hotel_id) is not None
    ):
        raise Http404("No such staff member.")
    member = membership.user
    if not may_issue_enrolment_code(issuer=request.user, user=member):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": membership.hotel._meta,
        "hotel": membership.hotel,
        "title": f"Enrolment code for {member}",
        "members": [member],
        "hours": settings.STAFF_ENROLMENT_CODE_HOURS,
    }
    if request.method == "POST":
        context["issued"] = issue(request, [member])
    return TemplateResponse(request, TEMPLATE, context)


def issue(request, users) -> list[tuple]:
    """Issue a code for each of `users`; return (user, code, expiry) for those issued."""
    issued = []
    for user in users:
        try:
            code, raw = staff_enrolment_code_issue(issuer=request.user, user=user)
        except DomainError:
            continue
        issued.append((user, raw, code.expires_at))
    return issued


def users_code_response(model_admin, request, queryset):
    """The user list's action: issue codes for the chosen staff members, shown once."""
    users = list(queryset.order_by("username"))
    issued = issue(request, users)
    skipped = [user for user in users if user not in {row[0] for row in issued}]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Enrolment codes",
        "issued": issued,
        "skipped": skipped,
        "hours": settings.STAFF_ENROLMENT_CODE_HOURS,
    }
    return TemplateResponse(request, TEMPLATE, context)
