"""Places guests search for, and the other names they know them by (台北 = Taipei).

A Place is a city as hotels spell it (`Hotel.city`, `Hotel.country`); its aliases are
native scripts, romanisations and common spellings. The search matches an alias's
normalised key and expands it to the place's hotels in the same SQL statement, so
adding a name is a row in the admin, not a change of code.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Normalize(models.Func):
    """PostgreSQL's normalize(text, NFKC): full-width letters and compatibility forms
    become their plain equivalents (ＴＡＩＰＥＩ = TAIPEI)."""

    template = "normalize(%(expressions)s, NFKC)"
    output_field = models.CharField()


def place_key_expression(expression):
    """Return lower(normalize(expression, NFKC)), an alias's key.

    search.hotels.PLACE_ALIAS_CITIES writes the same SQL around what a guest typed.
    """
    return Lower(Normalize(expression))


class Place(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The city exactly as the hotels' addresses name it."),
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="search_place_unique_city"
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.country}"


class PlaceAlias(models.Model):
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("place")
    )
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(
        _("shown in language"),
        max_length=15,
        blank=True,
        help_text=_(
            "A language code (zh-hant, ko) whose readers see the place by this name; "
            "blank for a spelling that is only searched."
        ),
    )
    key = models.GeneratedField(
        expression=place_key_expression(models.F("name")),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        ordering = ["place", "language", "name"]
        constraints = [
            models.UniqueConstraint(
                "place", place_key_expression("name"), name="search_alias_unique_name"
            ),
        ]
        indexes = [
            # Exact names (台北, 서울): the btree; misspelt ones (Taibeii): the trigrams.
            models.Index("key", name="search_alias_key"),
            GinIndex(OpClass("key", name="gin_trgm_ops"), name="search_alias_key_trgm"),
        ]

    def __str__(self):
        return self.name
