"""Models whose content django-modeltranslation translates (hotels/translation.py).

modeltranslation's descriptors read a translated field (`hotel.name`) in the active
language, and Django's save reads each field through them: a hotel saved while Korean
was active (a request in Korean, a test after one) wrote its Korean name into the
original `name` column, which the search's SQL, its indexes and the history triggers
read as the English text. These models save in the default language, so the original
column always gets the English value.
"""

from django.conf import settings
from django.utils import translation


class SavesInDefaultLanguage:
    def save(self, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().save(*args, **kwargs)
