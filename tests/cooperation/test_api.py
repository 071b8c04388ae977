"""The API of requests: the same services and access rules, errors as problem+json."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import services
from maatwerk.cooperation.models import Contact, CooperationRequest

URL = "/api/v1/cooperation-requests/"


@pytest.fixture
def api(client, settings):
    settings.REQUIRE_2FA = False

    def login(user):
        client.force_login(user)
        return client

    return login


def test_list_and_detail_are_audited_and_scoped(api, worker, coop, other_worker):
    client = api(worker)
    rows = client.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [coop.pk]
    detail = client.get(f"{URL}{coop.pk}/").json()
    assert detail["organisation_name"] == "Belastingdienst/Toeslagen"
    assert detail["overdue"] is False
    assert (
        AuditEvent.objects.filter(
            actor=worker, action="view", object_type="cooperation.cooperationrequest"
        ).count()
        == 2
    )
    client.logout()
    assert api(other_worker).get(f"{URL}{coop.pk}/").status_code == 404
    assert api(other_worker).get(URL).json()["results"] == []


def test_create_send_contacts_answer(api, worker, world, toeslagen):
    client = api(worker)
    today = timezone.localdate().isoformat()
    response = client.post(
        URL,
        {
            "case": world["case_a"].pk,
            "organisation": toeslagen.pk,
            "question": "Stop de verrekening.",
            "consent_on": today,
            "consent_scope": "Naam",
            "send": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "sent"
    for minutes in (20, 15):
        r = client.post(
            f"{URL}{pk}/contacts/",
            {"channel": "phone", "minutes": minutes},
            content_type="application/json",
        )
        assert r.status_code == 201
    assert len(client.get(f"{URL}{pk}/contacts/").json()) == 2
    r = client.post(f"{URL}{pk}/answer/", {"answer": "agreed"}, content_type="application/json")
    assert r.status_code == 200
    assert (r.json()["answer"], r.json()["minutes_spent"]) == ("agreed", 35)


def test_rule_refusals_are_problem_json(api, worker, world, toeslagen):
    client = api(worker)
    response = client.post(
        URL,
        {
            "case": world["case_a"].pk,
            "organisation": toeslagen.pk,
            "question": "Iets",
            "send": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "cooperation.no_consent"
    assert not CooperationRequest.objects.exists()


def test_zero_minutes_refused(api, worker, coop):
    r = api(worker).post(
        f"{URL}{coop.pk}/contacts/",
        {"channel": "phone", "minutes": 0},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "minutes"
    assert not Contact.objects.exists()


def test_refused_answer_needs_reason(api, worker, coop):
    services.send_request(worker, coop)
    r = api(worker).post(
        f"{URL}{coop.pk}/answer/", {"answer": "refused"}, content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["code"] == "cooperation.reason"


def test_manager_reads_but_cannot_write(api, world, coop):
    client = api(world["users"][Role.MANAGER])
    assert client.get(f"{URL}{coop.pk}/").status_code == 200
    r = client.post(
        f"{URL}{coop.pk}/contacts/",
        {"channel": "phone", "minutes": 5},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert r["Content-Type"].startswith("application/problem+json")


def test_policy_analyst_gets_no_requests(api, world, coop):
    assert api(world["users"][Role.POLICY_ANALYST]).get(URL).status_code == 403


def test_overdue_flag(api, worker, world, toeslagen):
    sent_on = timezone.localdate() - timedelta(days=15)
    coop = services.create_request(
        worker, case=world["case_a"], organisation=toeslagen, question="Stop",
        consent_on=sent_on, consent_scope="Naam", send=True, sent_on=sent_on,
    )  # fmt: skip
    assert api(worker).get(f"{URL}{coop.pk}/").json()["overdue"] is True


def test_directory_in_the_api(api, worker, toeslagen):
    rows = api(worker).get("/api/v1/outside-organisations/").json()["results"]
    assert rows[0]["name"] == "Belastingdienst/Toeslagen"
    assert rows[0]["contact_points"][0]["department"] == "BelastingTelefoon"
