"""OpenAPI: the bearer scheme of API clients, and the error answers of every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "maatwerk.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token of an API client, issued by the functional administrator.",
        }


class FieldErrorSerializer(serializers.Serializer):
    """One field error of a problem."""

    field = serializers.CharField(
        allow_null=True,
        help_text="The field, nested with dots (`residents.0.bsn`, `standard.2.amount`).",
    )
    code = serializers.CharField(
        help_text="Why: `required`, `invalid`, `max_length`, `null`, … or the code of the "
        "service rule that refused it."
    )
    detail = serializers.CharField(help_text="A sentence in the interface language.")


class ProblemSerializer(serializers.Serializer):
    """The body of every error answer (RFC 9457, `application/problem+json`; api.exceptions)."""

    type = serializers.CharField(
        help_text="`urn:maatwerk:problem:` followed by `code`: the problem type, stable."
    )
    title = serializers.CharField(help_text="The HTTP status phrase (`Bad Request`, …).")
    status = serializers.IntegerField(help_text="The HTTP status code of this answer.")
    detail = serializers.CharField(help_text="What went wrong, in the interface language.")
    code = serializers.CharField(
        help_text="Machine-readable and stable. HTTP-level: `invalid` (field errors in "
        "`errors`), `parse_error`, `not_authenticated`, `authentication_failed`, "
        "`permission_denied`, `not_found`, `method_not_allowed`, `not_acceptable`, "
        "`payload_too_large`, `unsupported_media_type`, `throttled`. A service rule that "
        "refused: `<app>.<reason>`, e.g. `decisions.mandate`, `decisions.budget_insufficient`, "
        "`plans.not_editable`, `plans.incomplete`, `cases.already_closed`."
    )
    errors = FieldErrorSerializer(
        many=True, help_text="The field errors (empty when the problem is not about fields)."
    )


PROBLEM_MEDIA_TYPES = ["application/problem+json"]

# Answers every operation can give besides its own, and when.
_ALWAYS = {
    "401": "Not logged in, or an invalid, expired or revoked token.",
    "403": "Your role, your team or the scopes of your API client do not allow this.",
}
_WITH_PATH_ID = {"404": "No such object, or not one you may see."}
_WITH_INPUT = {"400": "Invalid input: `errors` says what, per field."}
_WITH_BODY = {
    "413": "The request body is larger than 2.5 MB.",
    "415": "The body is not JSON (or form data).",
}


class AutoSchema(SpectacularAutoSchema):
    """Documents the error answers (4xx with a problem body) next to each operation's own."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(_ALWAYS)
        if "{" in self.path:
            errors.update(_WITH_PATH_ID)
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if has_body or has_query:
            errors.update(_WITH_INPUT)
        if has_body:
            errors.update(_WITH_BODY)
        for code, description in errors.items():
            declared = responses.get(code)
            if declared is None or _is_free_form(declared):
                body = self._get_response_for_code(
                    ProblemSerializer, code, PROBLEM_MEDIA_TYPES, direction=direction
                )
                body["description"] = description
                _keep_examples(declared, body)
                responses[code] = body
        return dict(sorted(responses.items()))


def _is_free_form(response: dict) -> bool:
    schemas = [c.get("schema", {}) for c in response.get("content", {}).values()]
    return all(s.get("type") == "object" and "properties" not in s for s in schemas)


def _keep_examples(declared: dict | None, body: dict) -> None:
    """Examples an operation gave for its free-form error answer stay, on the problem body."""
    examples = {}
    for content in (declared or {}).get("content", {}).values():
        examples.update(content.get("examples", {}))
    if examples:
        for content in body.get("content", {}).values():
            content["examples"] = examples
