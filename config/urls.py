from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# django-ratelimit (RATELIMIT_VIEW) and allauth's rate limits show the same page.
handler429 = "core.views.rate_limited"
# PostgreSQL out of reach is a 503 "back in a moment", any other failure the 500 page.
handler500 = "core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("storefront.account_urls")),
    path("bookings/", include("storefront.booking_urls")),
    path("api/", include("api.urls")),
    # The development inbox: a 404 unless DEV_INBOX (config/settings/local.py).
    path("dev/", include("storefront.dev_inbox_urls")),
    path("", include("storefront.hotel_urls")),
    path("", include("storefront.payment_urls")),
]

if (
    settings.SERVE_MEDIA
):  # development and the browser tests; production uses a CDN/proxy
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
