"""Who may issue a staff enrolment code (hotels.enrolment)."""

import pytest
from django.contrib.auth import get_user_model

from accounts.enrolment import enrolment_code_check
from accounts.models import StaffEnrolmentCode
from core.errors import DomainError, ErrorCode
from hotels.enrolment import staff_enrolment_code_issue
from hotels.tests.factories import HotelFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hotels():
    here, there = HotelFactory(), HotelFactory()
    return {
        "owner": staff("owner", here, role="owner"),
        "manager": staff("manager", here, role="manager"),
        "desk": staff("desk", here, role="front_desk"),
        "elsewhere": staff("elsewhere", there, role="front_desk"),
    }


def test_an_owner_issues_a_code_for_their_hotels_staff(two_hotels):
    code, raw = staff_enrolment_code_issue(
        issuer=two_hotels["owner"], user=two_hotels["desk"]
    )

    assert code.issued_by == two_hotels["owner"]
    assert raw not in code.code_hash and code.code_hash
    assert enrolment_code_check(user=two_hotels["desk"], code=raw) == code


@pytest.mark.parametrize("issuer", ["manager", "desk"])
def test_a_manager_or_the_front_desk_cannot_issue(two_hotels, issuer):
    with pytest.raises(DomainError) as refused:
        staff_enrolment_code_issue(issuer=two_hotels[issuer], user=two_hotels["desk"])

    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not StaffEnrolmentCode.objects.exists()


def test_an_owner_cannot_issue_for_another_hotels_staff(two_hotels):
    with pytest.raises(DomainError):
        staff_enrolment_code_issue(
            issuer=two_hotels["owner"], user=two_hotels["elsewhere"]
        )
    assert not StaffEnrolmentCode.objects.exists()


def test_an_owner_cannot_issue_for_a_superuser_of_their_hotel(two_hotels):
    root = get_user_model().objects.create_user(
        username="root", is_staff=True, is_superuser=True
    )
    hotel = two_hotels["owner"].hotel_memberships.get().hotel
    hotel.memberships.create(user=root, role="manager")

    with pytest.raises(DomainError):
        staff_enrolment_code_issue(issuer=two_hotels["owner"], user=root)


def test_a_superuser_issues_for_any_staff_member_but_not_for_guests(two_hotels):
    root = get_user_model().objects.create_user(
        username="root", is_staff=True, is_superuser=True
    )
    guest = get_user_model().objects.create_user(username="guest")

    staff_enrolment_code_issue(issuer=root, user=two_hotels["elsewhere"])
    with pytest.raises(DomainError):
        staff_enrolment_code_issue(issuer=root, user=guest)
