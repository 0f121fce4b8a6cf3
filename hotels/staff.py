"""The staff groups: what owners, managers, front desk and housekeeping may do, derived
from the admin.

Each ModelAdmin with a `hotel_lookup` may declare `hotel_roles`, the roles that may
"add", "change" or "delete" its objects (default: owners and managers); every role may
view them. Inline models follow their inline's `hotel_roles`, or their parent's.
`sync_staff_groups` writes these rights into one group per role; it runs after every
`migrate` and as `manage.py sync_staff_groups`.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from .models import HotelMembership
from .scoping import ROLE_GROUPS

Role = HotelMembership.Role
ALL_ROLES = (Role.OWNER, Role.MANAGER, Role.FRONT_DESK, Role.HOUSEKEEPING)
# The roles that view everything of their hotel; housekeeping sees only the rooms and
# their board (EXTRA_PERMISSIONS).
VIEW_ALL_ROLES = (Role.OWNER, Role.MANAGER, Role.FRONT_DESK)
DEFAULT_HOTEL_ROLES = {
    "add": (Role.OWNER, Role.MANAGER),
    "change": (Role.OWNER, Role.MANAGER),
    "delete": (Role.OWNER, Role.MANAGER),
}
# Permissions not tied to one model admin: (app_label, codename) -> roles.
EXTRA_PERMISSIONS = {
    ("hotels", "view_hotel_dashboard"): (Role.OWNER, Role.MANAGER),
    # Confirming a pay-now booking without its payment (payments/services/desk.py).
    ("booking", "confirm_unpaid_booking"): (Role.OWNER, Role.MANAGER),
    # A guest's data at the hotel: export it, erase it (privacy/, docs/privacy.md).
    ("privacy", "export_guest_data"): (Role.OWNER, Role.MANAGER),
    ("privacy", "erase_guest_data"): (Role.OWNER, Role.MANAGER),
    # The housekeeping board (backoffice/housekeeping.py): everyone at the hotel.
    ("hotels", "change_housekeeping"): ALL_ROLES,
    ("hotels", "view_room"): (Role.HOUSEKEEPING,),
    ("hotels", "view_hotel"): (Role.HOUSEKEEPING,),
}


def role_permissions(site=None) -> dict[str, set[tuple[str, str]]]:
    """Return, per role, the (app_label, codename) pairs it is granted."""
    if site is None:
        site = admin.site
    granted: dict[str, set[tuple[str, str]]] = {role: set() for role in ALL_ROLES}

    def grant(opts, roles_by_action):
        for role in VIEW_ALL_ROLES:
            granted[role].add((opts.app_label, f"view_{opts.model_name}"))
        for action in ("add", "change", "delete"):
            for role in roles_by_action.get(action, ()):
                if role not in VIEW_ALL_ROLES:
                    continue  # housekeeping writes nothing but the board
                granted[role].add((opts.app_label, f"{action}_{opts.model_name}"))

    for model, model_admin in site._registry.items():
        if getattr(model_admin, "hotel_lookup", None) is None:
            continue
        roles = getattr(model_admin, "hotel_roles", DEFAULT_HOTEL_ROLES)
        grant(model._meta, roles)
        for inline in model_admin.inlines:
            grant(inline.model._meta, getattr(inline, "hotel_roles", roles))
    for (app_label, codename), roles in EXTRA_PERMISSIONS.items():
        for role in roles:
            granted[role].add((app_label, codename))
    return granted


def sync_staff_groups(site=None) -> dict[str, int]:
    """Create or update one group per role with exactly its permissions.

    Return the number of permissions of each group.
    """

    counts = {}
    with transaction.atomic():
        for role, pairs in role_permissions(site).items():
            group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
            match = Q(pk__in=[])
            for app_label, codename in pairs:
                match |= Q(content_type__app_label=app_label, codename=codename)
            permissions = list(Permission.objects.filter(match))
            group.permissions.set(permissions)
            counts[group.name] = len(permissions)
    ContentType.objects.clear_cache()
    return counts


def sync_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """post_migrate receiver: make sure every app's permissions exist, then sync."""

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_staff_groups()
