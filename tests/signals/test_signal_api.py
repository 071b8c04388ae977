"""/api/v1/signals/: policy roles list, read and move; workers see those their team fed; a
refused move answers problem+json."""

import datetime

import pytest
import yaml
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import services

from ..factories import CaseFactory, TeamFactory, user_with_role

URL = "/api/v1/signals/"


@pytest.fixture
def api(client, settings):
    settings.REQUIRE_2FA = False

    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


def test_list_detail_transition_and_refusals(api, db):
    team = TeamFactory()
    analyst = user_with_role(Role.POLICY_ANALYST, team)
    worker = user_with_role(Role.WORKER, team)
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    signal = services.raise_signal(
        analyst, rule=rule, title="Verrekening", summary="Vaak.", owner_kind="national",
        today=datetime.date(2026, 11, 2),
    )  # fmt: skip
    client = api(analyst)
    [row] = client.get(URL).json()["results"]
    assert row["status"] == "new" and row["next_statuses"] == ["acknowledged"]
    assert (
        row["owner_name"] == "Landelijk Maatwerkloket" and row["history"][0]["to_status"] == "new"
    )
    refused = client.post(
        f"{URL}{signal.pk}/transition/",
        {"to_status": "rule_kept", "note": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "signals.transition_not_allowed"
    moved = client.post(
        f"{URL}{signal.pk}/transition/",
        {"to_status": "acknowledged"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "acknowledged"
    client.post(
        f"{URL}{signal.pk}/transition/",
        {"to_status": "under_study"},
        content_type="application/json",
    )
    no_reason = client.post(
        f"{URL}{signal.pk}/transition/", {"to_status": "rule_kept"}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    assert [e["field"] for e in no_reason.json()["errors"]] == ["note"]
    # A worker whose team fed nothing sees nothing; a worker cannot move it.
    client = api(worker)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{signal.pk}/").status_code == 404
    case = CaseFactory(household__team=team)
    obstacle = case_services.add_obstacle(
        actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances", effect="x"
    )
    services.feed_signal(worker, signal, obstacle)
    assert client.get(f"{URL}{signal.pk}/").json()["id"] == signal.pk
    denied = client.post(
        f"{URL}{signal.pk}/transition/",
        {"to_status": "rule_kept", "note": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    # Other organisations and roles without signals get nothing.
    assert (
        api(user_with_role(Role.POLICY_ANALYST, TeamFactory()))
        .get(f"{URL}{signal.pk}/")
        .status_code
        == 404
    )
    assert api(user_with_role(Role.PRIVACY_OFFICER, team)).get(URL).status_code == 403


def test_schema_documents_signals_with_examples(client, db):
    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    post = schema["paths"]["/api/v1/signals/{id}/transition/"]["post"]
    assert "examples" in post["requestBody"]["content"]["application/json"]
    assert "/api/v1/signals/" in schema["paths"]
