import logging
import re
import time
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .logging import request_id_var

logger = logging.getLogger("maatwerk.request")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (taken from X-Request-ID when sane) for logs and audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            # Path only: query strings may hold search terms such as names.
            logger.info(
                "request",
                extra={
                    "status": response.status_code,
                    "method": request.method,
                    "path": request.path,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(getattr(request, "user", None), "pk", None),
                },
            )
        finally:
            request_id_var.reset(token)
        return response


class ContentSecurityPolicyMiddleware:
    """Sets a strict CSP: scripts only from our own origin, never inline."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a worker with an
    English browser would get an English interface unasked; teams expect Dutch.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def browser_cache_allowed(view):
    """Opt a view out of `NoStoreMiddleware`: only for answers without personal data."""
    view.browser_cache_allowed = True
    return view


class NoStoreMiddleware:
    """No browser or proxy may keep what a logged-in user (session or token) was shown.

    Pages, API answers, plan PDFs and exports to a logged-in user can hold personal data, so
    every such response gets `Cache-Control: no-store, private` (and no-cache, max-age=0):
    nothing on a shared computer's disk or in a proxy cache, and the back button after logout
    shows nothing. Static files never reach this middleware (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The API authenticates inside the view; DRF copies the user onto this request then.
        user = getattr(request, "user", None)
        logged_in = bool(user and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if logged_in and not getattr(request, "browser_cache_allowed", False):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "browser_cache_allowed", False):
            request.browser_cache_allowed = True
