import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.http import Http404
from django.test import RequestFactory

from accounts.models import User
from booking.access import can_view, get_booking_for, remember

pytestmark = pytest.mark.django_db


def request_as(user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


def test_the_guest_account_and_the_remembering_browser_see_the_booking(hold):
    owner = User.objects.create_user("owner", "owner@example.com", "x")
    booking = hold(user=owner)
    browser = request_as()
    remember(browser, booking)

    assert can_view(request_as(owner), booking)
    assert can_view(browser, booking)
    assert get_booking_for(browser, booking.reference.lower()).pk == booking.pk


def test_anyone_else_gets_a_404(hold):
    owner = User.objects.create_user("owner", "owner@example.com", "x")
    stranger = User.objects.create_user("stranger", "s@example.com", "x")
    booking = hold(user=owner)

    assert not can_view(request_as(stranger), booking)
    assert not can_view(request_as(), booking)
    with pytest.raises(Http404):
        get_booking_for(request_as(stranger), booking.reference)
    with pytest.raises(Http404):
        get_booking_for(request_as(), "NOSUCHREF0")
