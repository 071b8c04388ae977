from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header


class BearerTokenAuthentication(BaseAuthentication):
    """API clients send `Authorization: Bearer <token>` (the usual OAuth-style header).

    A token belongs to an API client (`api.ApiToken`), never to a person: `request.user` stays
    anonymous, so no role check, selector or audit call can mistake the client for a user.
    The client is `request.auth.client`; views let it in by naming scopes (api.permissions).
    """

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        from .services import authenticate  # models load after the app registry

        token = authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return (AnonymousUser(), token)

    def authenticate_header(self, request):
        return self.keyword
