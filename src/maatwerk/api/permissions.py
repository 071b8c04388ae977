from django.conf import settings
from rest_framework.permissions import BasePermission

from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.accounts.selectors import has_role, sees_personal_data


def api_client(request):
    """The API client behind the request's bearer token, or None for a person's session."""
    from .models import ApiToken

    return request.auth.client if isinstance(request.auth, ApiToken) else None


class PersonOrScopedClient(BasePermission):
    """A logged-in person, or an API client holding every scope the view names.

    Views name scopes in `required_scopes`; a view without them is for people only. So a
    new endpoint is closed to clients until someone decides which scope opens it.
    """

    message = "This API client lacks the scope for this endpoint."

    def has_permission(self, request, view):
        client = api_client(request)
        if client is not None:
            required = getattr(view, "required_scopes", ())
            return client.has_scopes(required) and confined_client_may(client, required)
        return bool(request.user and request.user.is_authenticated)


def confined_client_may(client, required) -> bool:
    """A client with an exclusive scope (a partner's) reaches only views requiring one."""
    from .models import EXCLUSIVE_SCOPES

    exclusive = EXCLUSIVE_SCOPES & set(client.scopes or ())
    return not exclusive or bool(exclusive & set(required or ()))


class IsApiClient(BasePermission):
    message = "Only API clients (bearer token) use this endpoint."

    def has_permission(self, request, view):
        return api_client(request) is not None


class SecondFactorPassed(BasePermission):
    """Session users with access to personal data must have passed 2FA when it is required.

    A bearer token never stands in for the second factor: it authenticates an API client,
    which is no person and has no role (request.user stays anonymous).
    """

    message = "Two-factor login required."

    def has_permission(self, request, view):
        if not settings.REQUIRE_2FA:
            return True
        user = request.user
        return not sees_personal_data(user) or user.is_verified()


class WorksOnCases(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, *CASE_ROLES)
