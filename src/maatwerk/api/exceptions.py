"""JSON errors for every API failure: field messages for 400, never an HTML page or a 500."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _lazy("The request body is too large.")
    default_code = "payload_too_large"


def _too_large(value) -> bool:
    try:
        return abs(int(value)) >= 2**63
    except (TypeError, ValueError):
        return False


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(_("JSON nested too deeply."))
    elif isinstance(exc, OverflowError):
        # A number beyond 64 bits, which SQLite cannot even compare: an id in the path names
        # no object (404); a number in the body or query is invalid input (400).
        if any(_too_large(v) for v in (context.get("kwargs") or {}).values()):
            exc = exceptions.NotFound()
        else:
            exc = exceptions.ValidationError({"detail": [_("A number is too large.")]})
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected error: log its type only (no request data), answer with JSON.
        logger.error("unhandled API error", extra={"object_type": type(exc).__name__})
        return Response(
            {"code": "server_error", "detail": _("An unexpected error occurred.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid", "detail": _("Invalid input."), "errors": response.data}
    elif isinstance(exc, (Http404, PermissionDenied, exceptions.APIException)):
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"code": code, "detail": str(detail or "")}
    return response
