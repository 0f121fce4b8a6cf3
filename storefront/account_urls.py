from django.urls import path

from . import account_views as views

app_name = "account"
urlpatterns = [
    path("", views.my_account, name="mine"),
    path("my-data/", views.export_my_data, name="export"),
    path("erase/", views.erase_my_account, name="erase"),
]
