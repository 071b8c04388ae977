"""Staff login through the organisation's OpenID Connect provider (docs/oidc.md).

mozilla-django-oidc runs the authorization-code flow (with PKCE and a nonce); this module adds
what it leaves to its users: the issuer and audience of the ID token are checked, accounts are
matched on issuer and subject, roles come from the claim mappings, and the provider's second
factor counts only when the token's acr/amr says it was used. Everything is off unless
MAATWERK_OIDC_ISSUER is set.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import services
from .models import Organisation

logger = logging.getLogger(__name__)


class LocalPasswordBackend(ModelBackend):
    """Username and password, unless production switched the local login off
    (MAATWERK_LOCAL_LOGIN): then no form, the admin's included, accepts a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.MAATWERK_LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login: an unconfigured provider must not
        # break the password login.
        if settings.MAATWERK_OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not settings.MAATWERK_OIDC_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A forged or stray token, or a provider that does not answer: the person sees
            # the login page with a message, the log says why (no token contents in it).
            logger.warning("OIDC login refused: %s", type(error).__name__ + ": " + str(error))
            return None

    def retrieve_matching_jwk(self, token):
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        # A token without a key id (RFC 7515 allows it) is accepted only when the provider
        # publishes exactly one signing key: otherwise which key signed it is a guess.
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, verify=True, timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        keys = [k for k in response.json().get("keys", []) if k.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("ID token without a key id, and not one signing key")
        return jwt.PyJWK(keys[0])

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks signature, expiry and nonce; not who issued the token, nor for
        # whom: a token the provider made for another application must not log in here.
        if payload.get("iss", "").rstrip("/") != settings.MAATWERK_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else audience or []
        if settings.OIDC_RP_CLIENT_ID not in audience:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: userinfo of another subject must not be used.
            raise SuspiciousOperation("userinfo for another subject")
        # acr and amr are statements about this login: take them from the signed ID token.
        return {**info, "acr": payload.get("acr"), "amr": payload.get("amr")}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        organisation = Organisation.objects.filter(name=settings.MAATWERK_OIDC_ORGANISATION).first()
        if organisation is None:
            logger.error("MAATWERK_OIDC_ORGANISATION names no organisation")
            return None
        user = services.user_from_provider(settings.MAATWERK_OIDC_ISSUER, claims, organisation)
        if user is not None:
            user.second_factor_at_provider = services.second_factor_at_provider(claims)
        return user


class LoginStartView(OIDCAuthenticationRequestView):
    """ "Inloggen met uw organisatie": off to the provider."""

    def get(self, request):
        if not settings.MAATWERK_OIDC_ENABLED:
            # No provider configured (a stale link): the login page is the way in.
            return redirect("login")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.MAATWERK_OIDC_ENABLED:
            return redirect("login")
        return super().get(request)

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Logging in through your organisation did not succeed, or your account has no "
                "role in Open Maatwerk. Try again, or ask your functional administrator."
            ),
        )
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        if getattr(self.user, "second_factor_at_provider", False):
            services.trust_provider_second_factor(self.request)
        return response
