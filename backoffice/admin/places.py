"""The places guests search for and their other names: reference data for superusers."""

from django.contrib import admin

from search.models import Place, PlaceAlias


class PlaceAliasInline(admin.TabularInline):
    model = PlaceAlias
    fields = ["name", "language"]
    extra = 3


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    # No hotel_lookup: shared by every hotel, so only superusers see and edit it.
    list_display = ["name", "country", "alias_names"]
    search_fields = ["name", "aliases__name"]
    list_filter = ["country"]
    inlines = [PlaceAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Other names")
    def alias_names(self, place):
        return ", ".join(alias.name for alias in place.aliases.all())
