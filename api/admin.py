from django.contrib import admin
from django.db import models
from rest_framework_api_key.models import APIKey

from .models import WebhookDelivery, WebhookEndpoint

# The library's own key model is unused (accounts.PartnerAPIKey carries partner and
# scopes); this app loads after the library's, so its admin is registered by now.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret"]
    # Webhook URLs are https; saying so also keeps Django 6's changed default quiet.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "booking_reference", "endpoint", "status", "attempts"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
