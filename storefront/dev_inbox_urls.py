from django.urls import path

from . import dev_inbox_views as views

app_name = "dev"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<str:message_id>/html/", views.inbox_html, name="inbox-html"),
]
