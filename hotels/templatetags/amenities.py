"""Amenity names in the reader's language: `{% load amenities %}`."""

from django import template

from hotels.amenity_names import translated_name

register = template.Library()


@register.filter
def amenity_name(amenity):
    """Return an amenity's name in the reader's language when the site knows it."""
    return translated_name(amenity)


@register.filter
def amenity_name_choice(data):
    """Return the reader's name for a (code, name) choice of a CheckboxSelectMultiple."""
    return translated_name((str(data["value"]), data["label"]))
