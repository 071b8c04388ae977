"""One error shape for the whole API (RFC 9457 problem+json, `maatwerk.api.exceptions`), stable
service error codes (`core.errors.ServiceError`) and the one form adapter (`core.errors.to_form`).
"""

import json

import pytest
import yaml
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.exceptions import ErrorDetail, Throttled
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.api.exceptions import exception_handler
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case
from maatwerk.core.errors import ServiceError, as_text, field_errors, to_form
from maatwerk.decisions.services import DecisionError
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan
from maatwerk.plans.services import PlanError

from ..factories import ResidentFactory, user_with_role
from ..problems import PROBLEM_JSON, problem

BSN = "999000019"


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world["users"][Role.WORKER])
    return client


def _case_body(team_id: int, **overrides) -> dict:
    body = {
        "team": team_id,
        "title": "Toeslag verrekend",
        "residents": [{"first_name": "Sanne", "last_name": "Smit", "bsn": BSN}],
    }
    return body | overrides


# --- every error status: problem+json with a code ------------------------------------------------


def _anonymous(world):
    return APIClient().get(reverse("case-list"))


def _no_case_role(world):
    client = APIClient()
    client.force_authenticate(world["users"][Role.POLICY_ANALYST])
    return client.get(reverse("case-list"))


def _worker(world):
    client = APIClient()
    client.force_authenticate(world["users"][Role.WORKER])
    return client


ERROR_CALLS = {
    "invalid": (400, lambda w: _worker(w).post(reverse("case-list"), {}, format="json")),
    "parse_error": (
        400,
        lambda w: _worker(w).post(reverse("case-list"), "{", content_type="application/json"),
    ),
    "not_authenticated": (401, _anonymous),
    "permission_denied": (403, _no_case_role),
    "not_found": (404, lambda w: _worker(w).get(reverse("case-detail", args=[999_999]))),
    "not_found_path": (404, lambda w: _worker(w).get("/api/v1/nothing-here/")),
    "not_found_other_team": (
        404,
        lambda w: _worker(w).get(reverse("case-detail", args=[w["case_b"].pk])),
    ),
    "method_not_allowed": (
        405,
        lambda w: _worker(w).delete(reverse("case-detail", args=[w["case_a"].pk])),
    ),
    "not_acceptable": (
        406,
        lambda w: _worker(w).get(reverse("case-list"), HTTP_ACCEPT="text/html"),
    ),
    "payload_too_large": (
        413,
        lambda w: _worker(w).post(
            reverse("api-calculations"),
            json.dumps({"label": "x" * 3_000_000}),
            content_type="application/json",
        ),
    ),
    "unsupported_media_type": (
        415,
        lambda w: _worker(w).post(reverse("case-list"), "title", content_type="text/plain"),
    ),
}


@pytest.mark.parametrize("name", ERROR_CALLS)
def test_every_api_error_status_is_problem_json_with_a_code(world, name):
    status, call = ERROR_CALLS[name]
    response = call(world)
    body = problem(response, status)
    assert body["code"] == name.removesuffix("_path").removesuffix("_other_team")
    assert body["title"] and body["detail"]
    assert world["case_b"].household.reference not in response.content.decode()


def test_throttling_is_a_problem_with_retry_after(db):
    response = exception_handler(Throttled(wait=7), {"view": None, "request": None})
    assert response.status_code == 429
    assert response.content_type == PROBLEM_JSON
    assert response["Retry-After"] == "7"
    assert response.data["code"] == "throttled"
    assert response.data["type"] == "urn:maatwerk:problem:throttled"
    assert response.data["status"] == 429 and response.data["errors"] == []


def test_an_unexpected_error_is_a_problem_too(db):
    response = exception_handler(KeyError("x"), {"view": None, "request": None})
    assert response.status_code == 500
    assert response.content_type == PROBLEM_JSON
    assert response.data["code"] == "server_error"
    assert "x" not in response.data["detail"]  # nothing of the request or the error leaks


# --- field errors list the field -----------------------------------------------------------------


def test_field_errors_name_each_field_with_its_code(api, world):
    body = _case_body(world["team_a"].pk, title="", residents=[{"first_name": "Sanne"}])
    response = api.post(reverse("case-list"), body, format="json")
    problem_ = problem(response, 400, "invalid")
    errors = {e["field"]: e for e in problem_["errors"]}
    assert errors["title"]["code"] == "blank"
    assert errors["residents.0.last_name"]["code"] == "required"
    assert errors["residents.0.last_name"]["detail"] == "Dit veld is verplicht."
    assert problem_["detail"] == "Ongeldige invoer."
    assert not Case.objects.filter(title="").exists()


def test_a_field_error_of_a_service_names_the_field(api, world):
    response = api.post(
        reverse("case-obstacles", args=[world["case_a"].pk]),
        {"effect": "Geen geld voor de huur."},
        format="json",
    )
    body = problem(response, 400, "invalid")
    assert [e["field"] for e in body["errors"]] == ["blocking_rule"]
    assert "regelbank" in body["errors"][0]["detail"]


# --- a service rule error keeps its stable code --------------------------------------------------


def test_a_known_household_elsewhere_is_refused_with_its_code(api, world):
    lead_b = user_with_role(Role.TEAM_LEAD, world["team_b"])
    case_services.create_household_with_case(
        actor=lead_b,
        team=world["team_b"],
        title="Elders bekend",
        residents=[{"first_name": "Sanne", "last_name": "Smit", "bsn": BSN}],
    )
    cases = Case.objects.count()
    response = api.post(reverse("case-list"), _case_body(world["team_a"].pk), format="json")
    body = problem(response, 400, "cases.known_elsewhere")
    assert [e["field"] for e in body["errors"]] == ["residents"]
    assert body["errors"][0]["code"] == "cases.known_elsewhere"
    assert "Wijkteam B" in body["detail"]
    assert BSN not in response.content.decode()
    assert Case.objects.count() == cases


def test_a_plan_rule_error_keeps_its_code_in_the_api(api, world):
    worker = world["users"][Role.WORKER]
    obstacle = case_services.add_obstacle(
        actor=worker,
        case=world["case_a"],
        description_new_rule="Kostendelersnorm bij inwonende zoon",
        applied_by="municipality",
        effect="Uitkering gekort.",
    )
    plan = plan_services.create_plan(worker, world["case_a"], [obstacle], solution="Iets")
    response = api.post(reverse("plan-close", args=[plan.pk]), {"reason": "Klaar"}, format="json")
    body = problem(response, 400, "plans.transition")
    assert body["errors"] == [] and body["detail"]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_service_errors_qualify_their_code_with_their_app():
    error = PlanError("Niet meer te wijzigen.", code="not_editable")
    assert isinstance(error, ValidationError)  # every `except ValidationError` still catches it
    assert error.code == "plans.not_editable"
    assert error.messages == ["Niet meer te wijzigen."]
    assert DecisionError("x", code="mandate").code == "decisions.mandate"
    assert DecisionError("x").code == "decisions.refused"
    assert ServiceError("x", code="other.code").code == "other.code"
    field_error = PlanError({"return": ["Voeg een regel toe."]}, code="incomplete")
    assert field_error.code == "plans.incomplete"
    assert field_error.message_dict == {"return": ["Voeg een regel toe."]}


def test_the_services_raise_the_codes_the_api_answers(world):
    worker = world["users"][Role.WORKER]
    case = world["case_a"]
    case_services.close_case(actor=worker, case=case, reason=Case.CloseReason.values[0])
    with pytest.raises(ValidationError) as refused:
        case_services.close_case(actor=worker, case=case, reason=Case.CloseReason.values[0])
    assert refused.value.code == "cases.already_closed"


# --- the adapters ---------------------------------------------------------------------------------


def test_field_errors_flatten_nested_details():
    detail = {
        "title": [ErrorDetail("Vereist.", code="required")],
        "residents": [{}, {"bsn": [ErrorDetail("Ongeldig.", code="invalid")]}],
        "life_domains": {"non_field_errors": [ErrorDetail("Te veel.", code="max_length")]},
        "non_field_errors": [ErrorDetail("Geheel.", code="invalid")],
    }
    assert field_errors(detail) == [
        {"field": "title", "code": "required", "detail": "Vereist."},
        {"field": "residents.1.bsn", "code": "invalid", "detail": "Ongeldig."},
        {"field": "life_domains", "code": "max_length", "detail": "Te veel."},
        {"field": None, "code": "invalid", "detail": "Geheel."},
    ]
    django_error = ValidationError({"reason": ValidationError("Geef een reden.", code="blank")})
    assert field_errors(django_error) == [
        {"field": "reason", "code": "blank", "detail": "Geef een reden."}
    ]


class _ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def test_to_form_puts_field_messages_at_their_field_and_the_rest_above():
    form = _ReasonForm({"reason": ""})
    assert form.is_valid()
    to_form(form, ValidationError({"reason": "Geef een reden.", "elsewhere": "Iets anders."}))
    assert form.errors["reason"] == ["Geef een reden."]
    assert form.non_field_errors() == ["Iets anders."]

    form = _ReasonForm({"reason": ""})
    form.is_valid()
    to_form(form, PlanError("Niet meer te wijzigen.", code="not_editable"))
    to_form(form, PermissionDenied("Niet jouw plan."))
    assert form.non_field_errors() == ["Niet meer te wijzigen.", "Niet jouw plan."]
    assert form.errors.as_data()["__all__"][0].code == "plans.not_editable"


def test_as_text_reads_any_refusal():
    assert as_text(ValidationError(["Een.", "Twee."])) == "Een. Twee."
    assert as_text(PermissionDenied("Nee.")) == "Nee."


# --- the schema describes the shape --------------------------------------------------------------


def test_the_schema_describes_problem_json(db):
    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    problem_ = schema["components"]["schemas"]["Problem"]
    assert set(problem_["required"]) == {"type", "title", "status", "detail", "code", "errors"}
    assert problem_["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldError"}
    field = schema["components"]["schemas"]["FieldError"]
    assert set(field["properties"]) == {"field", "code", "detail"}
    submit = schema["paths"]["/api/v1/plans/{id}/submit/"]["post"]["responses"]["400"]
    example = submit["content"]["application/problem+json"]["examples"]
    assert next(iter(example.values()))["value"]["code"] == "plans.incomplete"


# --- the case read: one service for the page and the API -----------------------------------------


def test_page_and_api_audit_a_full_bsn_read_through_one_service(client, api, world):
    resident = ResidentFactory(household=world["case_a"].household)
    resident.set_bsn(BSN)
    resident.save()
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    assert client.get(reverse("cases:detail", args=[world["case_a"].pk])).status_code == 200
    assert api.get(reverse("case-detail", args=[world["case_a"].pk])).status_code == 200
    reads = AuditEvent.objects.filter(
        actor=worker, object_type="cases.resident", object_id=str(resident.pk)
    )
    assert sorted(reads.values_list("reason", flat=True)) == [
        "BSN returned in full (api)",
        "BSN shown in full on the case page",
    ]


def test_the_case_read_service_audits_bsns_only_for_who_sees_them_in_full(world):
    resident = ResidentFactory(household=world["case_a"].household)
    resident.set_bsn(BSN)
    resident.save()
    residents = list(world["case_a"].household.residents.all())
    manager = world["users"][Role.MANAGER]
    shown = case_services.record_case_read(actor=manager, case=world["case_a"], residents=residents)
    assert shown is False
    assert not AuditEvent.objects.filter(actor=manager, object_type="cases.resident").exists()
    assert AuditEvent.objects.filter(actor=manager, object_type="cases.case").count() == 1
    worker = world["users"][Role.WORKER]
    full = case_services.record_case_read(
        actor=worker, case=world["case_a"], residents=residents, reason="api", via="api"
    )
    assert full is True
    assert AuditEvent.objects.filter(actor=worker, object_type="cases.resident").count() == 1
