"""Hotel content a guest reads, in every language of LANGUAGES (django-modeltranslation).

Each field gets one column per language on the same table (`name_en`, `name_zh_hant`,
`name_ko`), so reading a hotel in the reader's language costs no join. Reading `name`
gives the active language's text, else the English one.

The original column (`name`) keeps the English text: raw SQL (search, its indexes, the
benchmarks) and the history triggers read it, so every save copies the English column
into it.
"""

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save, pre_save
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import build_localized_fieldname

from hotels.models import Amenity, CancellationPolicy, Hotel, RoomType

DEFAULT_LANGUAGE = "en"


@register(Hotel)
class HotelTranslation(TranslationOptions):
    fields = ("name", "description", "address")


@register(RoomType)
class RoomTypeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Amenity)
class AmenityTranslation(TranslationOptions):
    fields = ("name",)


@register(CancellationPolicy)
class CancellationPolicyTranslation(TranslationOptions):
    fields = ("name", "description")


def every_language(path: str) -> list[str]:
    """Return the lookup `path` (e.g. "hotel__name") once per language's column.

    A lookup on a translated field reads the active language's column only, with no
    fallback: the admin's search looks in every language instead.
    """
    return [
        build_localized_fieldname(path, language)
        for language in settings.MODELTRANSLATION_LANGUAGES
    ]


def sync_original_columns(model, fields: tuple[str, ...]) -> None:
    """Keep `model`'s original columns equal to their English translations on save.

    A full save writes the original from the English column; a save of some fields
    that wrote an English column (the admin saves the fields it changed) copies it in
    SQL afterwards, as the saved instance cannot add fields to its own UPDATE.
    """
    english = {
        name: build_localized_fieldname(name, DEFAULT_LANGUAGE) for name in fields
    }

    def before_save(sender, instance, update_fields=None, **kwargs):
        for name, column in english.items():
            value = instance.__dict__.get(column)
            if value not in (None, ""):
                instance.__dict__[name] = value

    def after_save(sender, instance, created, update_fields=None, **kwargs):
        if created or update_fields is None:
            return
        stale = [
            n
            for n, c in english.items()
            if c in update_fields and n not in update_fields
        ]
        if not stale:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        assignments = ", ".join(
            f"{connection.ops.quote_name(n)} = {connection.ops.quote_name(english[n])}"
            for n in stale
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names)
                [instance.pk],
            )

    pre_save.connect(before_save, sender=model, weak=False)
    post_save.connect(after_save, sender=model, weak=False)


for _model, _options in (
    (Hotel, HotelTranslation),
    (RoomType, RoomTypeTranslation),
    (Amenity, AmenityTranslation),
    (CancellationPolicy, CancellationPolicyTranslation),
):
    sync_original_columns(_model, _options.fields)
