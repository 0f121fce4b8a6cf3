from django.urls import path

from . import views

app_name = "booking"
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("find/", views.find_booking, name="find"),
    path("<str:reference>/", views.booking_detail, name="detail"),
]
