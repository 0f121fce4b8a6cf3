"""Which hotels a staff member may do what in: memberships give roles, groups give rights.

A membership makes a user an owner, a manager, front desk or housekeeping of one
hotel. Each role's
rights are the permissions of the group named for it (`ROLE_GROUPS`), kept by
`hotels.staff.sync_staff_groups`. A permission counts only in the hotels where the user
holds a role whose group has it; superusers have every right everywhere.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group

from .models import HotelMembership

Role = HotelMembership.Role

ROLE_GROUPS: dict[str, str] = {
    Role.OWNER: "Hotel owner",
    Role.MANAGER: "Hotel manager",
    Role.FRONT_DESK: "Front desk",
    Role.HOUSEKEEPING: "Housekeeping",
}


class HotelScope:
    """A user's hotels and, per hotel, the permissions their role there grants."""

    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user.is_active and user.is_superuser)
        self._roles: dict[int, str] = {}
        self._role_perms: dict[str, frozenset[str]] = {}
        if self.is_superuser or not (user.is_active and user.is_staff):
            return
        self._roles = dict(
            HotelMembership.objects.filter(user=user).values_list("hotel_id", "role")
        )
        if not self._roles:
            return
        by_group = {name: role for role, name in ROLE_GROUPS.items()}
        perms: dict[str, set[str]] = {role: set() for role in ROLE_GROUPS}
        rows = Group.objects.filter(
            name__in=[ROLE_GROUPS[r] for r in set(self._roles.values())]
        ).values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        for name, app_label, codename in rows:
            if codename:
                perms[by_group[name]].add(f"{app_label}.{codename}")
        self._role_perms = {role: frozenset(p) for role, p in perms.items()}

    def hotel_ids(self, perm: str | None = None) -> set[int]:
        """Return the hotels of the user's memberships, or those where `perm` is granted.

        Not meaningful for superusers, who are not limited to hotels.
        """
        return {
            hotel_id
            for hotel_id, role in self._roles.items()
            if perm is None or perm in self._role_perms.get(role, ())
        }

    def role(self, hotel_id: int) -> str | None:
        return self._roles.get(hotel_id)

    def has_perm(self, perm: str, hotel_id: int | None = None) -> bool:
        """Return whether `perm` is granted in `hotel_id` (in any hotel when None)."""
        if self.is_superuser:
            return True
        if hotel_id is None:
            return bool(self.hotel_ids(perm))
        return hotel_id in self.hotel_ids(perm)

    def any_perm(self, perms: Iterable[str]) -> bool:
        return any(self.has_perm(perm) for perm in perms)


def scope_for(request) -> HotelScope:
    """Return the request user's scope, computed once per request (two queries)."""
    scope = getattr(request, "_hotel_scope", None)
    if scope is None or scope.user is not request.user:
        scope = HotelScope(request.user)
        request._hotel_scope = scope
    return scope
