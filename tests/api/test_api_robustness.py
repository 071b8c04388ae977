"""Inputs that used to give a 500 answer a 4xx (found by schemathesis), on SQLite and PostgreSQL."""

import json

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role

BEYOND_64_BITS = 2**70


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world["users"][Role.TEAM_LEAD])
    return client


@pytest.mark.parametrize("name", ["case-list", "plan-list", "provision-list"])
@pytest.mark.parametrize("limit", ["9" * 25, str(2**63), "1000000"])
def test_a_huge_limit_is_capped_not_a_database_error(api, name, limit):
    response = api.get(reverse(name), {"limit": limit, "offset": "1"})
    assert response.status_code == 200
    assert "limit=200" in (response.json()["previous"] or "")


def test_a_huge_offset_is_an_empty_page(api):
    response = api.get(reverse("provision-list"), {"offset": "9" * 30})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_page_number_far_beyond_the_end_is_a_page_not_a_500(client, world):
    client.force_login(world["users"][Role.WORKER])
    response = client.get(reverse("cases:list"), {"page": "400000000000000000"})
    assert response.status_code == 200


def test_a_body_over_the_upload_limit_is_413_with_a_problem_body(api):
    body = json.dumps({"standard": [], "tailored": [], "label": "x" * 3_000_000})
    response = api.post(reverse("api-calculations"), body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_deeply_nested_json_is_400(api):
    response = api.post(reverse("api-calculations"), "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("decision-decide", {"action": "approve", "reason": ""}),
        ("decision-consult", {"date": "2026-01-01", "question": "Wat nu?"}),
    ],
)
def test_an_id_beyond_64_bits_in_an_api_path_is_404(api, name, body):
    response = api.post(reverse(name, args=[BEYOND_64_BITS]), body, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("name", ["decisions:decide", "decisions:consult"])
def test_an_id_beyond_64_bits_in_a_page_path_is_404(client, world, name):
    client.force_login(world["users"][Role.TEAM_LEAD])
    assert client.get(reverse(name, args=[BEYOND_64_BITS])).status_code == 404


def test_a_number_beyond_64_bits_in_a_body_is_400(api):
    line = {"item": BEYOND_64_BITS, "quantity": "1", "start_month": 0, "probability": "1"}
    body = {"standard": [line], "tailored": [], "horizon_months": 12, "discount_rate": "0.02"}
    response = api.post(reverse("api-calculations"), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_an_unknown_api_path_is_a_json_404(api):
    for method in ("get", "post"):
        response = getattr(api, method)("/api/v1/decisions/null,null/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


# The schema says what each operation can answer.


@pytest.fixture
def schema(db):
    return yaml.safe_load(APIClient().get(reverse("api-schema")).content)


def test_every_operation_documents_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            label = f"{method.upper()} {path}: {sorted(codes)}"
            assert {"401", "403"} <= codes, label
            if "{" in path:
                assert "404" in codes, label
            if method in ("post", "put", "patch"):
                assert {"400", "413", "415"} <= codes, label
            for code in codes - {"200", "201", "204"}:
                content = operation["responses"][code]["content"]
                assert set(content) == {"application/problem+json"}, f"{label} {code}"
                problem = content["application/problem+json"]["schema"]
                assert problem == {"$ref": "#/components/schemas/Problem"}, f"{label} {code}"


def test_obstacles_are_documented_as_the_plain_list_they_are(schema, api, world):
    documented = schema["paths"]["/api/v1/cases/{id}/obstacles/"]["get"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"
    answer = api.get(reverse("case-obstacles", args=[world["case_a"].pk]))
    assert isinstance(answer.json(), list)
