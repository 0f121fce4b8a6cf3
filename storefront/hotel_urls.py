from django.urls import path

from . import hotel_views as views

app_name = "hotels"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("hotels/<slug:slug>/", views.hotel_detail, name="detail"),
]
