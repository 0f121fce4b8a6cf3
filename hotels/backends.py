"""Permissions from hotel roles: a membership's role grants the perms of its group."""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission

from .models import HotelMembership
from .scoping import ROLE_GROUPS


class HotelRoleBackend(BaseBackend):
    """Grant a staff member the permissions of the groups of the roles they hold.

    The permissions hold in some hotels only; the admin narrows them to those hotels
    (hotels.scoping). Authenticates nobody.
    """

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or not user_obj.is_staff or obj is not None:
            return set()
        cached = getattr(user_obj, "_hotel_role_perm_cache", None)
        if cached is None:
            roles = set(
                HotelMembership.objects.filter(user=user_obj).values_list(
                    "role", flat=True
                )
            )
            rows = (
                Permission.objects.filter(
                    group__name__in=[ROLE_GROUPS[role] for role in roles]
                )
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            cached = {f"{app_label}.{codename}" for app_label, codename in rows}
            user_obj._hotel_role_perm_cache = cached
        return cached

    def get_all_permissions(self, user_obj, obj=None):
        return self.get_group_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(
            perm.startswith(f"{app_label}.")
            for perm in self.get_all_permissions(user_obj)
        )
