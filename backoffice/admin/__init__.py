"""Every domain model's admin, registered on the scoped admin site (admin_site.py).

Django's admin autodiscovery imports this package (the backoffice app's `admin`
module); importing each area's module registers its ModelAdmins.
"""

from . import (  # noqa: F401
    accounts,
    booking,
    channels,
    hotels,
    inventory,
    payments,
    places,
    privacy,
    reviews,
    rooms,
)
