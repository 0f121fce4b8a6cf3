from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import ari as inventory_views
from . import bookings as booking_views
from . import hotels as hotel_views
from . import views

app_name = "api"

v1 = [
    path("v1/hotels/", hotel_views.HotelSearchView.as_view(), name="hotel-search"),
    path(
        "v1/hotels/<int:pk>/",
        hotel_views.HotelDetailView.as_view(),
        name="hotel-detail",
    ),
    path(
        "v1/hotels/<int:pk>/room-types/",
        hotel_views.RoomTypeListView.as_view(),
        name="hotel-room-types",
    ),
    path(
        "v1/hotels/<int:pk>/rate-plans/",
        hotel_views.RatePlanListView.as_view(),
        name="hotel-rate-plans",
    ),
    path(
        "v1/hotels/<int:pk>/availability/",
        hotel_views.AvailabilityView.as_view(),
        name="hotel-availability",
    ),
    path(
        "v1/hotels/<int:pk>/ari/",
        inventory_views.AriPushView.as_view(),
        name="ari-push",
    ),
    path(
        "v1/hotels/<int:pk>/ari/snapshot/",
        inventory_views.AriSnapshotView.as_view(),
        name="ari-snapshot",
    ),
    path(
        "v1/hotels/<int:pk>/inventory/",
        inventory_views.InventoryReadView.as_view(),
        name="inventory-read",
    ),
    path(
        "v1/bookings/", booking_views.BookingListCreateView.as_view(), name="bookings"
    ),
    path(
        "v1/bookings/<str:reference>/",
        booking_views.BookingDetailView.as_view(),
        name="booking-detail",
    ),
    path(
        "v1/bookings/<str:reference>/confirm/",
        booking_views.BookingConfirmView.as_view(),
        name="booking-confirm",
    ),
    path(
        "v1/bookings/<str:reference>/cancel/",
        booking_views.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
    path(
        "v1/bookings/<str:reference>/change/",
        booking_views.BookingChangeView.as_view(),
        name="booking-change",
    ),
    path("v1/webhooks/", views.WebhookEndpointListView.as_view(), name="webhooks"),
    path(
        "v1/webhooks/<int:pk>/",
        views.WebhookEndpointDetailView.as_view(),
        name="webhook-detail",
    ),
    path(
        "v1/webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    *v1,
    # The split view serves Swagger UI's setup script as a file, not inline (CSP); its
    # bundle sets style attributes as it renders, allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    re_path(r"^.*$", views.ApiNotFoundView.as_view(), name="not-found"),
]
