"""Names of the common amenities in the reader's language.

The site's catalogue names the common amenities; a name staff wrote (in English or as a
translation in the admin, hotels/translation.py) wins over it.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

NAMES = {
    "wifi": _("Free Wi-Fi"),
    "front-desk-24h": _("24-hour front desk"),
    "restaurant": _("Restaurant"),
    "bar": _("Bar"),
    "breakfast": _("Breakfast available"),
    "gym": _("Fitness centre"),
    "spa": _("Spa"),
    "pool": _("Swimming pool"),
    "concierge": _("Concierge"),
    "parking": _("Parking"),
    "airport-shuttle": _("Airport shuttle"),
    "laundry": _("Laundry service"),
    "rooftop-terrace": _("Rooftop terrace"),
    "beach-access": _("Beach access"),
    "hot-spring": _("Hot-spring baths"),
    "garden": _("Garden"),
    "pet-friendly": _("Pets allowed"),
    "ev-charging": _("EV charging"),
    "business-centre": _("Business centre"),
    "air-conditioning": _("Air conditioning"),
    "minibar": _("Minibar"),
    "safe": _("In-room safe"),
    "coffee-machine": _("Coffee machine"),
    "kettle": _("Kettle and tea"),
    "bathtub": _("Bathtub"),
    "balcony": _("Balcony"),
    "kitchenette": _("Kitchenette"),
    "workspace": _("Work desk"),
    "smart-tv": _("Smart TV"),
    "hairdryer": _("Hairdryer"),
    "ocean-view": _("Ocean view"),
    "city-view": _("City view"),
    "floor-heating": _("Heated floor"),
}


def translated_name(amenity) -> str:
    """Return the name of an Amenity (or a (code, name) pair) for the reader.

    `name` is the amenity's own text in the reader's language, else in English.
    """
    code, name = amenity if isinstance(amenity, tuple) else (amenity.code, amenity.name)
    known = NAMES.get(code)
    if known is None:
        return name
    with translation.override("en"):
        catalogue_english = str(known)
    if name and name != catalogue_english:
        return name
    return str(known)
