from django.conf import settings
from rest_framework.permissions import BasePermission

from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.accounts.selectors import has_role, sees_personal_data


class SecondFactorPassed(BasePermission):
    """Session users with access to personal data must have passed 2FA when it is required.

    Token clients (partners) have no second factor; their tokens are issued by an admin.
    """

    message = "Two-factor login required."

    def has_permission(self, request, view):
        if not settings.REQUIRE_2FA or request.auth is not None:
            return True
        user = request.user
        return not sees_personal_data(user) or user.is_verified()


class WorksOnCases(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, *CASE_ROLES)
