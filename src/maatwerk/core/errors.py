"""Service errors with stable codes, and the one adapter that shows any service error on a form.

A service refuses with a Django `ValidationError` (bad input, per field) or, for a business
rule, with its app's subclass of `ServiceError`, which carries a stable machine-readable code
`<app>.<reason>` (``decisions.mandate``, ``plans.not_editable``) next to a message in the
interface language. Because `ServiceError` *is* a `ValidationError`, every caller that catches
`ValidationError` keeps working.

Pages show errors with `to_form` (or `as_text` for a flash message); the API shows them through
its central exception handler (`maatwerk.api.exceptions`), which answers problem+json and uses
`field_errors` below for the list of field errors. No view or API view converts errors itself.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

# Django's and DRF's keys for "not about one field".
NON_FIELD_KEYS = frozenset({NON_FIELD_ERRORS, "non_field_errors"})


class ServiceError(ValidationError):
    """A service refused because of a rule: a message for people and a stable code for machines.

    Each app subclasses it once and names itself (`app = "plans"`); an error raised with
    ``code="not_editable"`` then carries ``code == "plans.not_editable"``. The message may be a
    string or, when the refusal is about named fields, a dict of field → message(s). The API
    answers `status` (400 unless a subclass says otherwise).
    """

    app: str = ""
    default_code: str = "refused"
    status: int = 400

    def __init__(self, message, code: str | None = None, params=None):
        super().__init__(message, params=params)
        self.code = self.qualify(code or self.default_code)

    @classmethod
    def qualify(cls, code: str) -> str:
        """`not_editable` → `plans.not_editable`; a code with a dot is taken as it is."""
        return code if "." in code or not cls.app else f"{cls.app}.{code}"


def to_form(form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on `form`: field messages at their field when the form has it,
    everything else (and a refusal for lack of rights) above the form."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def as_text(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one sentence for a flash message."""
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def field_errors(detail, path: str = "", default_code: str = "invalid") -> list[dict]:
    """Flatten nested error details into `[{field, code, detail}]`, the API's `errors` list.

    `detail` is DRF's validation detail (dicts, lists, `ErrorDetail` strings with a `.code`)
    or a Django `ValidationError`. Nested fields are joined with dots (`residents.0.bsn`);
    an error about no field in particular (Django's `__all__`, DRF's `non_field_errors`) gets
    the path of what contains it, or `None` at the top. An error without a code of its own
    gets `default_code`.
    """
    if isinstance(detail, ValidationError):
        if hasattr(detail, "error_dict"):
            detail = dict(detail.error_dict)
        elif hasattr(detail, "message"):  # a single error
            code = detail.code or default_code
            return [{"field": path or None, "code": str(code), "detail": str(detail.messages[0])}]
        else:
            detail = detail.error_list
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            key = str(key)
            child = path if key in NON_FIELD_KEYS else (f"{path}.{key}" if path else key)
            rows.extend(field_errors(value, child, default_code))
        return rows
    if isinstance(detail, list | tuple):
        rows = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list | tuple):
                # A list of objects (`many=True`): each position is a step of the path.
                step = f"{path}.{index}" if path else str(index)
                rows.extend(field_errors(value, step, default_code))
            else:
                rows.extend(field_errors(value, path, default_code))
        return rows
    code = getattr(detail, "code", None) or default_code
    return [{"field": path or None, "code": str(code), "detail": str(detail)}]
