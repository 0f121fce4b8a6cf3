from django.core.files.storage import default_storage
from django.shortcuts import render
from django.utils.translation import get_language, to_locale

from core.money import format_money

from .selectors import hotels_for_home


def home(request):
    locale = to_locale(get_language() or "en")
    hotels = list(hotels_for_home())
    for hotel in hotels:
        hotel.stars = "★" * hotel.star_rating
        hotel.cover_url = (
            default_storage.url(hotel.cover_image) if hotel.cover_image else ""
        )
        hotel.from_price_display = (
            format_money(hotel.from_price, hotel.currency, locale)
            if hotel.from_price is not None
            else ""
        )
    return render(request, "hotels/home.html", {"hotels": hotels})
