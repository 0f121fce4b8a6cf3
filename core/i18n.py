"""Model and field names in the reader's language, without touching migrations.

Django derives a verbose name from a class or field name ("base price") when none is
given. Giving each one explicitly would write an AlterField per field into the
migrations for a text that never reaches the database; instead, at start-up, every
plain-text verbose name of the project's models becomes a lazy translation of itself.
Migrations read the names as declared (`Field._verbose_name`, `Options.original_attrs`),
so their state is unchanged. The translations are in locale/*/django.po.
"""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# The project's own apps (Django's and third parties' ship their own translations).
PROJECT_APPS = {
    "accounts",
    "api",
    "booking",
    "core",
    "hotels",
    "inventory",
    "notifications",
    "payments",
    "privacy",
    "reviews",
}


def _lazy(text):
    return text if isinstance(text, Promise) or not text else gettext_lazy(text)


def translate_model_names() -> None:
    """Make the project's app, model and field verbose names translatable (idempotent)."""
    for config in apps.get_app_configs():
        if config.label in PROJECT_APPS:
            config.verbose_name = _lazy(config.verbose_name)
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.app_label not in PROJECT_APPS:
            continue
        opts.verbose_name = _lazy(opts.verbose_name)
        if "verbose_name_plural" in opts.original_attrs:
            opts.verbose_name_plural = _lazy(opts.verbose_name_plural)
        else:
            # Django's derived plural is "<singular>s", formatted lazily from the
            # singular as declared: translate the English plural as a whole.
            with translation.override("en"):
                opts.verbose_name_plural = gettext_lazy(str(opts.verbose_name_plural))
        for field in opts.local_fields + opts.local_many_to_many:
            field.verbose_name = _lazy(field.verbose_name)
