"""Reading the API's error answers (RFC 9457 problem+json, see maatwerk.api.exceptions)."""

PROBLEM_JSON = "application/problem+json"


def problem(response, status: int, code: str | None = None) -> dict:
    """The problem body of `response`, after checking its status, content type and shape."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM_JSON, response["Content-Type"]
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "code", "errors"}, body
    assert body["status"] == status
    assert body["type"] == f"urn:maatwerk:problem:{body['code']}"
    assert isinstance(body["errors"], list)
    if code is not None:
        assert body["code"] == code, body
    return body


def field_errors(response) -> dict[str, list[str]]:
    """The messages per field (dotted path) of a problem answer."""
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors
