"""Every API failure as one shape: RFC 9457 problem+json, never an HTML page or a bare 500.

This is the one adapter from errors to API answers. API views let a service's refusal pass
(a `ValidationError`, a `core.errors.ServiceError` with its stable code, a `PermissionDenied`)
and this handler answers it, like DRF's own validation, permission, not-found, throttling and
parse errors::

    HTTP/1.1 400 Bad Request
    Content-Type: application/problem+json

    {"type": "urn:maatwerk:problem:decisions.mandate", "title": "Bad Request", "status": 400,
     "detail": "Dit bedrag gaat boven het mandaat …", "code": "decisions.mandate", "errors": []}

`errors` lists the field errors as `{"field", "code", "detail"}`; `field` is a dotted path
(`residents.0.bsn`) or null for an error about the request as a whole. See
docs/architecture.md, "The service/selector contract and the error shape".
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from maatwerk.core.errors import ServiceError, field_errors

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:maatwerk:problem:"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _lazy("The request body is too large.")
    default_code = "payload_too_large"


def problem(status_code: int, code: str, detail: str, errors: list | None = None) -> dict:
    """The body of an error answer (RFC 9457 with the extension members `code` and `errors`)."""
    return {
        "type": TYPE_PREFIX + code,
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": str(detail),
        "code": code,
        "errors": errors or [],
    }


def problem_response(status_code: int, code: str, detail: str) -> JsonResponse:
    """A problem answer outside DRF (the JSON 404 of unknown API paths)."""
    return JsonResponse(
        problem(status_code, code, detail), status=status_code, content_type=PROBLEM_JSON
    )


def _too_large(value) -> bool:
    try:
        return abs(int(value)) >= 2**63
    except (TypeError, ValueError):
        return False


def _translate(exc, context):
    """Errors DRF does not know, as the DRF exception that answers them."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, RecursionError):
        return exceptions.ParseError(_("JSON nested too deeply."))
    if isinstance(exc, OverflowError):
        # A number beyond 64 bits, which SQLite cannot even compare: an id in the path names
        # no object (404); a number in the body or query is invalid input (400).
        if any(_too_large(v) for v in (context.get("kwargs") or {}).values()):
            return exceptions.NotFound()
        return exceptions.ValidationError([_("A number is too large.")])
    return exc


def _service_problem(exc: ValidationError) -> tuple[int, dict]:
    """A service's refusal: a rule (ServiceError, its own code) or bad input (`invalid`)."""
    if isinstance(exc, ServiceError):
        code, status_code = exc.code, exc.status
    else:
        single = getattr(exc, "code", None) if not hasattr(exc, "error_dict") else None
        code, status_code = single or "invalid", status.HTTP_400_BAD_REQUEST
    errors = field_errors(exc, default_code=code)
    whole = [e["detail"] for e in errors if e["field"] is None]
    detail = " ".join(whole) if whole else _("Invalid input.")
    if isinstance(exc, ServiceError) and not whole:
        detail = " ".join(e["detail"] for e in errors)
    # Messages about no field in particular are already the detail; `errors` lists fields.
    return status_code, problem(status_code, code, detail, [e for e in errors if e["field"]])


def _invalid_problem(detail, status_code: int = 400) -> dict:
    """DRF's validation detail as a problem: the whole-request messages, then the fields."""
    errors = field_errors(detail)
    whole = [e["detail"] for e in errors if e["field"] is None]
    text = " ".join(whole) if whole else _("Invalid input.")
    return problem(status_code, "invalid", text, [e for e in errors if e["field"]])


def problem_of(exc: Exception) -> dict:
    """The problem body of one item's error in a batch answer (each item answers on its own):
    a DRF or Django validation error, or a service rule that refused it."""
    if isinstance(exc, ValidationError):
        return _service_problem(exc)[1]
    if isinstance(exc, exceptions.ValidationError):
        return _invalid_problem(exc.detail)
    raise TypeError(f"no problem for {type(exc).__name__}")


def exception_handler(exc, context):
    exc = _translate(exc, context)
    if isinstance(exc, ValidationError):
        status_code, body = _service_problem(exc)
        set_rollback()  # as DRF does for its own errors (ATOMIC_REQUESTS)
        return Response(body, status=status_code, content_type=PROBLEM_JSON)
    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected error: log its type only (no request data), answer with a problem.
        logger.error("unhandled API error", extra={"object_type": type(exc).__name__})
        body = problem(500, "server_error", _("An unexpected error occurred."))
        return Response(body, status=500, content_type=PROBLEM_JSON)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _invalid_problem(response.data, response.status_code)
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        if not isinstance(exc, (Http404, PermissionDenied, exceptions.APIException)):
            detail = None  # pragma: no cover - DRF answers only these
        code = getattr(detail, "code", None) or getattr(exc, "default_code", None) or "error"
        response.data = problem(response.status_code, str(code), str(detail or ""))
    response.content_type = PROBLEM_JSON
    return response
