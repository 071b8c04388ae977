"""The API lists approved examples for everyone, and a team's own drafts for that team."""

from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.library import services

from .world import BSN, approved_plan, other_org_worker, other_team_worker


def _ids(user, path="/api/v1/voorbeelden/"):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    return {e["id"] for e in body.get("results", body)}


def test_api_visibility(org):
    plan = approved_plan(org)
    draft = services.propose_example(plan, org["worker"], "Concept", "Verhaal", "")
    shared_plan = approved_plan(org)  # one plan gives one example at a time
    shared = services.propose_example(shared_plan, org["worker"], "Gedeeld", "Verhaal", "")
    services.submit_example(shared, org["worker"])
    services.approve_example(shared, org["users"][Role.TEAM_LEAD])
    assert _ids(org["worker"]) == {draft.pk, shared.pk}
    assert _ids(other_team_worker(org)) == {shared.pk}
    assert _ids(other_org_worker()) == {shared.pk}
    api = APIClient()
    api.force_authenticate(other_org_worker())
    assert api.get(f"/api/v1/voorbeelden/{draft.pk}/").status_code == 404
    mine = APIClient()
    mine.force_authenticate(org["worker"])
    assert mine.get(f"/api/v1/voorbeelden/{shared.pk}/").json()["source_plan"] == shared_plan.pk
    assert APIClient().get("/api/v1/voorbeelden/").status_code in (401, 403)


def test_api_gives_the_cost_lines_as_structure_without_personal_data(org):
    """Issue 16: the API answers an example with its cost lines — description (de-identified),
    catalogue item, amounts rounded — and nothing of the household behind it."""
    from .test_library_cost_lines import approved_example, decided

    plan = decided(org, tailored_label="Opvang voor Fatima El Amrani, 06-12345678, BSN " + BSN)
    example = approved_example(org, plan)
    api = APIClient()
    api.force_authenticate(other_org_worker())
    response = api.get(f"/api/v1/voorbeelden/{example.pk}/")
    assert response.status_code == 200
    lines = response.json()["cost_lines"]
    assert [x["route"] for x in lines] == ["standard"] * (len(lines) - 1) + ["tailored"]
    assert set(lines[0]) == {
        "route", "position", "cost_item", "cost_item_name", "kind", "label", "amount", "unit",
        "bearer", "cost_type", "quantity", "start_month", "duration_months", "probability",
    }  # fmt: skip
    standard = plan.lines.filter(scenario="standard").order_by("position").first()
    assert lines[0]["cost_item"] == standard.cost_item.code and lines[0]["amount"] is None
    assert lines[0]["label"] == standard.label
    free = lines[-1]
    assert free["cost_item"] is None and free["amount"] == "2000.00"
    assert "[naam]" in free["label"]
    text = response.content.decode()
    for personal in ("Fatima", "Amrani", "12345678", BSN, "1985", "El Amrani"):
        assert personal not in text
    # The list carries the same lines, in a number of queries that does not grow with them.
    listed = api.get("/api/v1/voorbeelden/").json()
    (row,) = [e for e in listed.get("results", listed) if e["id"] == example.pk]
    assert row["cost_lines"] == lines


def test_the_openapi_schema_documents_the_cost_lines_with_an_example(db):
    import yaml

    schema = yaml.safe_load(APIClient().get("/api/v1/schema/").content)
    components = schema["components"]["schemas"]
    assert components["Example"]["properties"]["cost_lines"]["items"] == {
        "$ref": "#/components/schemas/ExampleCostLine"
    }
    fields = set(components["ExampleCostLine"]["properties"])
    answer = schema["paths"]["/api/v1/voorbeelden/{id}/"]["get"]["responses"]["200"]
    (example,) = answer["content"]["application/json"]["examples"].values()
    lines = example["value"]["cost_lines"]
    assert lines and all(set(line) == fields for line in lines)
    assert {line["cost_item"] is None for line in lines} == {True, False}
