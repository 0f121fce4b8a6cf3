"""Who may call what: any valid key reads hotels; scopes guard booking and ARI."""

from rest_framework.permissions import BasePermission

from accounts.models import PartnerAPIKey


class IsPartner(BasePermission):
    message = "Send a valid API key in the X-Api-Key header."

    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerAPIKey)


class _HasScope(IsPartner):
    scope = ""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not request.auth.has_scope(self.scope):
            self.message = f"This API key lacks the '{self.scope}' scope."
            return False
        return True


class BookingScope(_HasScope):
    scope = PartnerAPIKey.Scope.BOOKING


class AriScope(_HasScope):
    scope = PartnerAPIKey.Scope.ARI
