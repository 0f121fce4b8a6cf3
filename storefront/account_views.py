"""My account: download my data, erase my account (privacy/, docs/privacy.md).

The download is a POST with the CSRF token: a link cannot make a browser export (and
audit) anything. Erasure asks for the password and a tick, and is refused with a
clear message while a stay is booked or under way.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.errors import ErrorCode
from privacy.erasure import LIVE, ErasureRefused, guest_erase
from privacy.export import guest_data_export
from privacy.models import PrivacyRequest
from privacy.subjects import subject_of_user

from .account_forms import EraseAccountForm


def _refusal(error: ErasureRefused) -> str:
    if error.code == ErrorCode.ERASURE_LIVE_STAY:
        return _(
            "You have a stay that is booked or under way (%(references)s). Cancel it, "
            "or ask again after you have checked out: until then the hotel needs your "
            "name and a way to reach you."
        ) % {"references": ", ".join(error.params.get("references", []))}
    if error.code == ErrorCode.ERASURE_STAFF_ACCOUNT:
        return _(
            "This is a staff account. Ask an administrator to remove your staff "
            "access first."
        )
    return _("Your account could not be erased. Nothing was changed.")


@login_required
@require_GET
def my_account(request):
    return render(request, "account/privacy.html", {})


@login_required
@require_POST
def export_my_data(request):
    """Send the guest's data as a JSON file (and audit the export)."""
    data = guest_data_export(
        subject=subject_of_user(request.user),
        actor=request.user,
        channel=PrivacyRequest.Channel.SITE,
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"innkeep-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def erase_my_account(request):
    """Ask for the password and a tick, then erase the account and its data."""
    subject = subject_of_user(request.user)
    live = [b for b in subject.bookings() if b.status in LIVE]
    form = EraseAccountForm(
        request.user, request.POST if request.method == "POST" else None
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                guest_erase(
                    subject=subject,
                    actor=request.user,
                    channel=PrivacyRequest.Channel.SITE,
                )
            except ErasureRefused as error:
                form.add_error(None, _refusal(error))
                status = 409
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your account and your personal data have been erased."),
                )
                return redirect("hotels:home")
    context = {"form": form, "live": live}
    return render(request, "account/erase.html", context, status=status)
