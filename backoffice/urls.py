"""The backoffice pages as URLs of the hotel admin: /admin/hotels/hotel/<id>/<page>/."""

from functools import partial

from django.urls import path

from . import (
    audit,
    calendar,
    dashboard,
    enrolment,
    frontdesk,
    housekeeping,
    lifecycle,
    rates,
    reviews_inbox,
    tapechart,
)
from .base import hotel_page


def hotel_urls(model_admin) -> list:
    def page(name, view, write_perm=None):
        return path(
            f"<int:hotel_id>/{name}/",
            hotel_page(model_admin, name, write_perm)(view),
            name=f"hotels_hotel_{name}",
        )

    return [
        page("calendar", calendar.calendar_view, "inventory.change_inventory"),
        page("rates", rates.rates_view, "inventory.change_inventory"),
        page("frontdesk", frontdesk.frontdesk_view, "booking.change_booking"),
        page("tapechart", tapechart.tapechart_view, "booking.change_booking"),
        page(
            "housekeeping",
            housekeeping.housekeeping_view,
            "hotels.change_housekeeping",
        ),
        page("reviews", reviews_inbox.reviews_inbox_view, "reviews.change_review"),
        page("dashboard", dashboard.dashboard_view),
        page("audit", audit.audit_view),
        page("lifecycle", lifecycle.lifecycle_view, "hotels.change_hotel"),
        path(
            "<int:hotel_id>/staff/<int:membership_id>/enrolment-code/",
            model_admin.admin_site.admin_view(
                partial(enrolment.membership_code_view, model_admin)
            ),
            name="hotels_hotel_enrolment_code",
        ),
    ]
