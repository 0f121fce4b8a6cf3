"""Rate plan names in every language of LANGUAGES (see hotels/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from hotels.translation import sync_original_columns
from inventory.models import RatePlan


@register(RatePlan)
class RatePlanTranslation(TranslationOptions):
    fields = ("name",)


sync_original_columns(RatePlan, RatePlanTranslation.fields)
