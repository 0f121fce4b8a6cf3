from django.urls import path

from . import payment_views as views

app_name = "payments"
urlpatterns = [
    path("pay/<str:reference>/", views.pay, name="pay"),
    path("pay/<str:reference>/authenticate/", views.authenticate, name="authenticate"),
    path("pay/<str:reference>/done/", views.done, name="done"),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
