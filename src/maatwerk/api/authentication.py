from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import roles


class BearerTokenAuthentication(TokenAuthentication):
    """API clients send `Authorization: Bearer <token>` (the usual OAuth-style header)."""

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        # Tokens are for API clients only: a person's token would skip the second factor.
        if roles(user) != {Role.PARTNER_CLIENT}:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, token
