"""Who may issue a staff enrolment code: a superuser for any staff member, an owner
for the staff of their own hotels. The codes themselves live in `accounts.enrolment`.
"""

from accounts.enrolment import enrolment_code_issue
from accounts.models import StaffEnrolmentCode
from core.errors import DomainError, ErrorCode

from .models import HotelMembership


def may_issue_enrolment_code(*, issuer, user) -> bool:
    """Return whether `issuer` may issue an enrolment code for `user`."""
    if not (issuer.is_active and issuer.is_staff and user.is_active and user.is_staff):
        return False
    if issuer.is_superuser:
        return True
    # An owner's code must not hand out a superuser's second factor: only a
    # superuser (or an operator, with the command) enrols one.
    if user.is_superuser:
        return False
    owned = HotelMembership.objects.filter(
        user=issuer, role=HotelMembership.Role.OWNER
    ).values("hotel_id")
    return HotelMembership.objects.filter(user=user, hotel_id__in=owned).exists()


def staff_enrolment_code_issue(*, issuer, user) -> tuple[StaffEnrolmentCode, str]:
    """Issue a one-time enrolment code for `user` on behalf of `issuer`.

    Return it and the plain code (shown once). Raises DomainError (PERMISSION_DENIED)
    unless `issuer` is a superuser, or an owner of a hotel where `user` is staff.
    """
    if not may_issue_enrolment_code(issuer=issuer, user=user):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            "Only a superuser, or an owner of a hotel this person works at, may "
            "issue their enrolment code.",
        )
    return enrolment_code_issue(user=user, issued_by=issuer)
