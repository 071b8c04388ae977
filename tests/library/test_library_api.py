"""The API lists approved examples for everyone, and a team's own drafts for that team."""

from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.library import services

from .world import approved_plan, other_org_worker, other_team_worker


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
