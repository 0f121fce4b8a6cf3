from django.urls import path

from storefront.review_views import write_review

from . import book_views, closure_views, manage_views
from . import booking_views as views

app_name = "booking"
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("find/", views.find_booking, name="find"),
    path("new/", book_views.new_booking, name="new"),
    path("<str:reference>/", views.booking_detail, name="detail"),
    path("<str:reference>/cancel/", manage_views.cancel_booking, name="cancel"),
    path("<str:reference>/change/", manage_views.change_booking, name="change"),
    path("<str:reference>/review/", write_review, name="review"),
    path("<str:reference>/calendar.ics", views.booking_calendar, name="calendar"),
    path("<str:reference>/open/<str:token>/", manage_views.open_booking, name="open"),
    path(
        "<str:reference>/closure/<int:closure_id>/<str:token>/",
        closure_views.closure_cancel,
        name="closure_cancel",
    ),
]
