"""What every backoffice page shares: the hotel, the rights, the admin frame."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.clock import db_now
from hotels.models import Hotel
from hotels.scoping import scope_for

# The pages of a hotel, in menu order: (url name suffix, title, permission to view).
PAGES = [
    ("calendar", "Rates & availability", "inventory.view_inventory"),
    ("rates", "Rates", "inventory.view_inventory"),
    ("frontdesk", "Front desk", "booking.view_booking"),
    ("tapechart", "Tape chart", "booking.view_booking"),
    ("housekeeping", "Housekeeping", "hotels.view_room"),
    ("reviews", "Reviews", "reviews.view_review"),
    ("dashboard", "Dashboard", "hotels.view_hotel_dashboard"),
    ("audit", "Audit log", "hotels.view_hotel_dashboard"),
    ("lifecycle", "Closures", "hotels.view_hotel_dashboard"),
]


def hotel_page(model_admin, name: str, write_perm: str | None = None) -> Callable:
    """Wrap a view `view(request, hotel, context)` of one hotel's page.

    GET needs the page's view permission in that hotel, POST `write_perm`; a hotel the
    user does not work for does not exist for them (404).
    """
    view_perm = {page: perm for page, _, perm in PAGES}[name]
    title = {page: title for page, title, _ in PAGES}[name]

    def decorator(view):
        @wraps(view)
        def wrapped(request, hotel_id):
            scope = scope_for(request)
            hotel = Hotel.objects.filter(pk=hotel_id).first()
            if hotel is None or not (
                scope.is_superuser or scope.role(hotel.pk) is not None
            ):
                raise Http404("No such hotel.")
            needed = write_perm if request.method == "POST" else view_perm
            if not scope.has_perm(needed or view_perm, hotel.pk):
                raise PermissionDenied
            context = {
                **model_admin.admin_site.each_context(request),
                "opts": Hotel._meta,
                "hotel": hotel,
                "title": f"{title} · {hotel.name}",
                "page": name,
                "pages": [
                    (page, page_title)
                    for page, page_title, perm in PAGES
                    if scope.has_perm(perm, hotel.pk)
                ],
                "can_write": bool(write_perm) and scope.has_perm(write_perm, hotel.pk),
            }
            return view(request, hotel, context)

        return model_admin.admin_site.admin_view(wrapped)

    return decorator


def hotel_today(hotel: Hotel):
    """Return today's date in the hotel's time zone, by the database clock."""
    return db_now().astimezone(hotel.tz).date()
