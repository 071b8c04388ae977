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


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(_("JSON nested too deeply."))
    elif isinstance(exc, OverflowError):
        # An id beyond 64 bits (SQLite cannot even compare it): no such object.
        exc = exceptions.NotFound()
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
