"""The API of follow-ups: the same selectors (need-to-know) and the same record service as the
page; filters by plan, due and overdue; errors as problem+json; in the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup import rules
from maatwerk.followup import services as followup_services
from maatwerk.followup.models import ActionCarriedOut, FollowUp

from ..factories import TeamFactory, user_with_role
from .test_followup_services import approved, org  # noqa: F401

URL = "/api/v1/followups/"


@pytest.fixture
def api(client, settings):
    settings.REQUIRE_2FA = False

    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


def test_list_detail_filters_and_need_to_know(api, org):  # noqa: F811
    fresh = approved(org)
    old = approved(org, days_ago=40)
    client = api(org["worker"])
    # Not due while the action is neither marked carried out nor paid (end of the action).
    assert client.get(URL, {"due": "true"}).json()["results"] == []
    for plan in (fresh, old):  # carried out on the day of approval: the days stay
        day = FollowUp.objects.get(plan=plan, moment="end_of_action").due_on
        followup_services.mark_carried_out(org["worker"], plan, day)
    rows = client.get(URL).json()["results"]
    assert {r["plan"] for r in rows} == {fresh.pk, old.pk}
    assert len(rows) == 6
    mine = client.get(URL, {"plan": old.pk}).json()["results"]
    assert {r["plan"] for r in mine} == {old.pk} and len(mine) == 3
    due = client.get(URL, {"due": "true"}).json()["results"]
    assert {(r["plan"], r["moment"]) for r in due} == {
        (fresh.pk, "end_of_action"),
        (old.pk, "end_of_action"),
    }
    overdue = client.get(URL, {"overdue": "true"}).json()["results"]
    assert [(r["plan"], r["moment"], r["overdue"]) for r in overdue] == [
        (old.pk, "end_of_action", True)
    ]
    first = overdue[0]["id"]
    detail = client.get(f"{URL}{first}/").json()
    assert detail["case"] == old.case_id and detail["outcomes"] == []
    views = AuditEvent.objects.filter(
        actor=org["worker"], action="view", object_type="followup.followup"
    )
    assert views.count() == 6 + 3 + 2 + 1 + 1  # the empty list read nothing
    bad = client.get(URL, {"plan": "x"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert client.get(URL, {"due": "maybe"}).status_code == 400
    # A worker of another team sees nothing of it, not even that it exists.
    stranger = user_with_role(Role.WORKER, TeamFactory(organisation=org["team"].organisation))
    other = api(stranger)
    assert other.get(URL).json()["results"] == []
    assert other.get(f"{URL}{first}/").status_code == 404
    refused = other.post(f"{URL}{first}/record/", {}, content_type="application/json")
    assert refused.status_code == 404


def test_record_through_the_service_closes_the_plan_at_the_last(api, org):  # noqa: F811
    plan = approved(org, days_ago=400)
    client = api(org["worker"])
    today = timezone.localdate().isoformat()
    ids = list(FollowUp.objects.filter(plan=plan).order_by("due_on").values_list("pk", flat=True))
    measured = {"measured": "yes", "outcomes": [{"code": "still_in_work", "holds_since": today}]}
    answer = client.post(f"{URL}{ids[0]}/record/", measured, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "recorded" and body["measured"] == "yes"
    assert [o["code"] for o in body["outcomes"]] == ["still_in_work"]
    assert body["outcomes"][0]["holds"] is False
    assert AuditEvent.objects.filter(object_id=str(ids[0]), reason="recorded").count() == 1
    # Twice is refused by the service's rule, as problem+json with its stable code.
    again = client.post(f"{URL}{ids[0]}/record/", measured, content_type="application/json")
    assert again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"
    assert "followup.recorded" in again.content.decode()
    # Not measured without a reason: the service's field error, nothing recorded.
    no_reason = client.post(
        f"{URL}{ids[1]}/record/", {"measured": "not_measured"}, content_type="application/json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.content.decode()
    assert FollowUp.objects.get(pk=ids[1]).status == "scheduled"
    # A future day of measurement is refused by the serializer.
    future = client.post(
        f"{URL}{ids[1]}/record/",
        {"measured": "not_measured", "reason": "moved", "recorded_on": "2999-01-01"},
        content_type="application/json",
    )
    assert future.status_code == 400
    for pk in ids[1:]:
        done = client.post(
            f"{URL}{pk}/record/",
            {"measured": "not_measured", "reason": "moved"},
            content_type="application/json",
        )
        assert done.status_code == 200, done.content
    plan.refresh_from_db()
    assert plan.status == "closed"
    assert LedgerEntry.objects.filter(plan=plan, kind="release").exists()


def test_a_role_without_write_may_read_but_not_record(api, org):  # noqa: F811
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    client = api(org["users"][Role.MANAGER])
    assert client.get(f"{URL}{due.pk}/").status_code == 200
    answer = client.post(
        f"{URL}{due.pk}/record/",
        {"measured": "not_measured", "reason": "moved"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"


def test_schema_has_the_follow_up_paths_with_examples(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/followups/" in schema["paths"]
    post = schema["paths"]["/api/v1/followups/{id}/record/"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert {"InWork", "NotMeasured"} <= set(examples)


def test_carried_out_through_the_service_moves_the_follow_ups(api, org):  # noqa: F811
    plan = approved(org, days_ago=40)
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    url = f"{URL}{first.pk}/carried-out/"
    client = api(org["worker"])
    day = timezone.localdate() - timedelta(days=10)
    answer = client.post(url, {"carried_out_on": day.isoformat()}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["plan"] == plan.pk and body["carried_out_on"] == day.isoformat()
    moments = {f["moment"]: f["due_on"] for f in body["followups"]}
    assert moments == {
        "end_of_action": day.isoformat(),
        "plus_6": rules.add_months(day, 6).isoformat(),
        "plus_12": rules.add_months(day, 12).isoformat(),
    }
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day
    assert AuditEvent.objects.filter(
        object_type="followup.actioncarriedout", reason="carried out", action="create"
    ).exists()
    # Bad input: each a problem+json naming the field, the marking unchanged.
    for bad in (
        {},
        {"carried_out_on": "gisteren"},
        {"carried_out_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {"carried_out_on": (timezone.localdate() - timedelta(days=41)).isoformat()},
    ):
        refused = client.post(url, bad, content_type="application/json")
        assert refused.status_code == 400, (bad, refused.content)
        assert refused["Content-Type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == ["carried_out_on"], bad
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day
    # A role that reads but does not write: 403; a worker of another team: 404.
    manager = api(org["users"][Role.MANAGER])
    assert manager.post(url, {"carried_out_on": day.isoformat()}).status_code == 403
    stranger = user_with_role(Role.WORKER, TeamFactory(organisation=org["team"].organisation))
    assert api(stranger).post(url, {"carried_out_on": day.isoformat()}).status_code == 404
    # A closed plan (its last follow-up recorded): the service's rule with its stable code.
    old = approved(org, days_ago=400)
    for followup in FollowUp.objects.filter(plan=old).order_by("due_on"):
        followup_services.record(org["worker"], followup, measured="not_measured", reason="moved")
    closed = api(org["worker"]).post(
        f"{URL}{followup.pk}/carried-out/",
        {"carried_out_on": day.isoformat()},
        content_type="application/json",
    )
    assert closed.status_code == 400
    assert closed.json()["type"].endswith("followup.closed")


def test_schema_has_the_carried_out_path_with_its_example(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/v1/followups/{id}/carried-out/"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert examples["CarriedOut"]["value"] == {"carried_out_on": "2026-11-02"}
    assert "400" in post["responses"]


def test_record_measured_none_holds_and_refuse_contradictions(api, org):  # noqa: F811
    """ "Measured: none of the outcomes holds" through the API: the same service as the page;
    a contradiction answers 400 with the field and changes nothing."""
    plan = approved(org, days_ago=400)
    client = api(org["worker"])
    ids = list(FollowUp.objects.filter(plan=plan).order_by("due_on").values_list("pk", flat=True))
    today = timezone.localdate().isoformat()
    for body, field in [
        (
            {
                "measured": "yes",
                "none_holds": True,
                "outcomes": [{"code": "still_in_work", "holds_since": today}],
            },
            "outcomes",
        ),
        ({"measured": "not_measured", "reason": "moved", "none_holds": True}, "none_holds"),
        ({"measured": "yes", "none_holds": "perhaps"}, "none_holds"),
    ]:
        refused = client.post(f"{URL}{ids[0]}/record/", body, content_type="application/json")
        assert refused.status_code == 400, refused.content
        assert refused["Content-Type"] == "application/problem+json"
        assert field in [e["field"] for e in refused.json()["errors"]], refused.json()
    assert FollowUp.objects.get(pk=ids[0]).status == "scheduled"
    answer = client.post(
        f"{URL}{ids[0]}/record/",
        {"measured": "yes", "none_holds": True},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["measured"], body["none_holds"], body["outcomes"]) == (
        "recorded",
        "yes",
        True,
        [],
    )
    assert client.get(f"{URL}{ids[0]}/").json()["none_holds"] is True
    assert client.get(f"{URL}{ids[1]}/").json()["none_holds"] is False


def test_schema_has_the_none_holds_answer_with_its_example(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/v1/followups/{id}/record/"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    (name,) = [k for k in examples if "None" in k]
    assert examples[name]["value"] == {
        "measured": "yes",
        "none_holds": True,
        "recorded_on": "2026-11-27",
    }
    record = schema["components"]["schemas"]["RecordRequest"]["properties"]
    assert record["none_holds"]["type"] == "boolean" and record["none_holds"]["description"]
    assert "none_holds" in schema["components"]["schemas"]["FollowUp"]["properties"]
