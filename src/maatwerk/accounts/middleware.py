from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import has_confirmed_device, sees_personal_data

# Paths a half-logged-in user (password yes, second factor not yet) may still reach.
_OPEN_PREFIXES = ("/static/", "/health/", "/i18n/", "/api/")


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA on, roles that see personal data must pass a TOTP check first.

    The API is left to its own authentication: people use it through a verified session
    (see api.permissions) and partner clients with a token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_2FA and self._needs_second_factor(request):
            has_device = has_confirmed_device(request.user)
            # With a confirmed device the only way on is that device: set-up stays closed, or
            # a password alone would mint a fresh second factor.
            target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
            allowed = {target, reverse("logout")}
            if request.path not in allowed and not request.path.startswith(_OPEN_PREFIXES):
                return redirect(f"{target}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request) -> bool:
        user = request.user
        return user.is_authenticated and not user.is_verified() and sees_personal_data(user)
