from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """API clients send `Authorization: Bearer <token>` (the usual OAuth-style header)."""

    keyword = "Bearer"
