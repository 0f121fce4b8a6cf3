"""What every backoffice page shares: the hotel, the rights, the admin frame."""

from collections.abc import Callable
from dataclasses import dataclass
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


def hotel_page(
    model_admin, name: str, write_perm: str | dict[str, str] | None = None
) -> Callable:
    """Wrap a view `view(request, hotel, context)` of one hotel's page.

    GET needs the page's view permission in that hotel (PAGES). `write_perm` declares
    the page's POST operations: one permission for a page with one form, or, for a
    page whose forms post an `action`, a permission per action; an action not declared
    is refused to everyone (fail closed), and a page that declares none takes no POST.
    A hotel the user does not work for does not exist for them (404).

    The wrapped view carries `hotel_page` (a `PageRules`), so the role tests find every
    page and its operations through the URL resolver.
    """
    view_perm = {page: perm for page, _, perm in PAGES}[name]
    title = {page: title for page, title, _ in PAGES}[name]
    rules = PageRules(name, view_perm, write_perm)

    def decorator(view):
        @wraps(view)
        def wrapped(request, hotel_id):
            scope = scope_for(request)
            hotel = Hotel.objects.filter(pk=hotel_id).first()
            if hotel is None or not (
                scope.is_superuser or scope.role(hotel.pk) is not None
            ):
                raise Http404("No such hotel.")
            if request.method == "POST":
                needed = rules.operation_perm(request.POST.get("action", ""))
            else:
                needed = view_perm
            if needed is None or not scope.has_perm(needed, hotel.pk):
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
                "can_write": any(
                    scope.has_perm(perm, hotel.pk) for perm in rules.operations.values()
                ),
                "may": {
                    operation: scope.has_perm(perm, hotel.pk)
                    for operation, perm in rules.operations.items()
                },
            }
            return view(request, hotel, context)

        admin_view = model_admin.admin_site.admin_view(wrapped)
        admin_view.hotel_page = rules
        return admin_view

    return decorator


@dataclass(frozen=True)
class PageRules:
    """Who may open a hotel page (`view_perm`) and run each of its POST operations."""

    name: str
    view_perm: str
    write_perm: str | dict[str, str] | None

    @property
    def operations(self) -> dict[str, str]:
        """Return {action posted ("" for the page's one form): permission needed}."""
        if self.write_perm is None:
            return {}
        if isinstance(self.write_perm, str):
            return {"": self.write_perm}
        return dict(self.write_perm)

    def operation_perm(self, action: str) -> str | None:
        if isinstance(self.write_perm, str):
            return self.write_perm
        return self.operations.get(action)


def hotel_today(hotel: Hotel):
    """Return today's date in the hotel's time zone, by the database clock."""
    return db_now().astimezone(hotel.tz).date()
