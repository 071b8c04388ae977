"""Signal pages: list, raise from a rule and from an obstacle, detail with only the allowed
moves, contributions; the regelbank rule page and the case page show the signal; policy
analysts see no case data."""

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.legal.models import BlockingRule
from maatwerk.signals.models import Signal, Status

from ..factories import CaseFactory, ResidentFactory, TeamFactory, user_with_role


@pytest.fixture
def setup(db):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    ResidentFactory(household=case.household, first_name="Geheimnaam")
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    obstacle = case_services.add_obstacle(
        actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances",
        effect="Geheime details van dit huishouden.",
    )  # fmt: skip
    return {
        "team": team, "worker": worker, "case": case, "rule": rule, "obstacle": obstacle,
        "analyst": user_with_role(Role.POLICY_ANALYST, team),
        "lead": user_with_role(Role.TEAM_LEAD, team),
    }  # fmt: skip


def test_analyst_raises_from_rule_and_moves_it_with_only_allowed_buttons(client, setup):
    rule = setup["rule"]
    client.force_login(setup["analyst"])
    page = client.get(reverse("signals:new") + f"?regel={rule.pk}").content.decode()
    assert f'<option value="{rule.pk}" selected>' in page
    bad = client.post(reverse("signals:new"), {"rule": rule.pk, "owner_kind": "national"})
    assert bad.status_code == 400 and "id_title_error" in bad.content.decode()
    assert not Signal.objects.exists()
    response = client.post(
        reverse("signals:new"),
        {"rule": rule.pk, "title": "Verrekening", "summary": "Komt vaak voor.",
         "owner_kind": "national", "owner_name": ""},
    )  # fmt: skip
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "signals:detail", args=[signal.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert 'value="acknowledged"' in detail and 'value="rule_kept"' not in detail
    # A forbidden move sent anyway is refused inline and changes nothing.
    refused = client.post(
        reverse("signals:transition", args=[signal.pk]), {"to_status": "rule_kept", "note": "x"}
    )
    assert refused.status_code == 400
    signal.refresh_from_db()
    assert signal.status == Status.NEW
    client.post(reverse("signals:transition", args=[signal.pk]), {"to_status": "acknowledged"})
    client.post(reverse("signals:transition", args=[signal.pk]), {"to_status": "under_study"})
    no_reason = client.post(
        reverse("signals:transition", args=[signal.pk]), {"to_status": "rule_kept"}
    )
    assert no_reason.status_code == 400 and "id_note_error" in no_reason.content.decode()
    client.post(
        reverse("signals:transition", args=[signal.pk]),
        {"to_status": "rule_kept", "note": "Wettelijk verplicht."},
    )
    signal.refresh_from_db()
    assert signal.status == Status.RULE_KEPT
    # The rule's page shows the (last) signal; the list too. No case data anywhere.
    rule_page = client.get(reverse("legal:rule", args=[rule.pk])).content.decode()
    assert reverse("signals:detail", args=[signal.pk]) in rule_page
    for url in (reverse("signals:list"), reverse("signals:detail", args=[signal.pk])):
        html = client.get(url).content.decode()
        assert "Geheimnaam" not in html and "Geheime details" not in html
        assert reverse("cases:detail", args=[setup["case"].pk]) not in html
    assert client.get(reverse("cases:detail", args=[setup["case"].pk])).status_code in (403, 404)


def test_worker_says_it_happens_more_often_and_follows_the_signal(client, setup):
    worker, obstacle, case = setup["worker"], setup["obstacle"], setup["case"]
    client.force_login(worker)
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("signals:from_obstacle", args=[obstacle.pk])
    assert url in case_page
    assert client.get(reverse("signals:new")).status_code == 403
    response = client.post(
        url, {"title": "Verrekening", "summary": "Vaker.", "owner_kind": "organisation",
              "owner_name": "Belastingdienst/Toeslagen"},
    )  # fmt: skip
    assert response.status_code == 302
    signal = Signal.objects.get()
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("signals:detail", args=[signal.pk]) in case_page
    detail = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert 'name="to_status"' not in detail  # workers do not move signals
    client.post(reverse("signals:contribute", args=[signal.pk]), {"text": "Elke nieuwe baan."})
    assert signal.contributions.get().text == "Elke nieuwe baan."
    # A colleague's obstacle on the same rule joins the open signal.
    other_case = CaseFactory(household__team=setup["team"])
    other = case_services.add_obstacle(
        actor=worker, case=other_case, blocking_rule=setup["rule"], applied_by="tax_allowances",
        effect="x",
    )  # fmt: skip
    join_page = client.get(reverse("signals:from_obstacle", args=[other.pk])).content.decode()
    assert 'name="join"' in join_page
    client.post(reverse("signals:from_obstacle", args=[other.pk]), {"join": "1"})
    assert signal.feeds.count() == 2
    # A worker of another team sees nothing of it.
    stranger = user_with_role(Role.WORKER, TeamFactory())
    client.force_login(stranger)
    assert client.get(reverse("signals:detail", args=[signal.pk])).status_code == 404
    assert client.get(reverse("signals:from_obstacle", args=[obstacle.pk])).status_code == 404


def test_rule_changed_says_who_changes_the_regelbank_and_links_the_rule(client, setup):
    """Walk 14: "Zet op regel aangepast" was a dead end: the error said to record the change in
    the regelbank first, without a link or who may."""
    rule = setup["rule"]
    client.force_login(setup["analyst"])
    client.post(
        reverse("signals:new"),
        {"rule": rule.pk, "title": "Verrekening", "summary": "Komt vaak voor.",
         "owner_kind": "national", "owner_name": ""},
    )  # fmt: skip
    signal = Signal.objects.get()
    for step in ("acknowledged", "under_study"):
        client.post(reverse("signals:transition", args=[signal.pk]), {"to_status": step})
    detail = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert 'id="rule-changed-hint"' in detail and "functioneel beheerder" in detail
    assert f'href="{reverse("legal:rule", args=[rule.pk])}"' in detail
    refused = client.post(
        reverse("signals:transition", args=[signal.pk]), {"to_status": "rule_changed"}
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Alleen een functioneel beheerder wijzigt de regelbank" in page
    assert 'id="rule-changed-hint"' in page
    signal.refresh_from_db()
    assert signal.status == Status.UNDER_STUDY


def test_back_links_return_where_the_user_came_from(client, setup):
    """Walk 14: "Meld een signaal" from the report led back to the list, and a worker (no
    Signalen menu) was sent "back to the system signals"."""
    rule = setup["rule"]
    client.force_login(setup["analyst"])
    report_page = client.get(reverse("signals:report")).content.decode()
    assert f"?regel={rule.pk}&amp;van=rapport" in report_page
    url = reverse("signals:new") + f"?regel={rule.pk}&van=rapport"
    form = client.get(url).content.decode()
    assert f'<a href="{reverse("signals:report")}">Terug naar het signalenrapport</a>' in form
    response = client.post(
        url,
        {"rule": rule.pk, "title": "Verrekening", "summary": "Komt vaak voor.",
         "owner_kind": "national", "owner_name": ""},
    )  # fmt: skip
    signal = Signal.objects.get()
    assert response["Location"] == reverse("signals:detail", args=[signal.pk]) + "?van=rapport"
    detail = client.get(response["Location"]).content.decode()
    assert f'<a href="{reverse("signals:report")}">Terug naar het signalenrapport</a>' in detail
    plain = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Terug naar de systeemsignalen" in plain  # the analyst has the Signalen menu
    # A worker: back to the case they came from, else to the start page; never the list.
    client.force_login(setup["worker"])
    case_url = reverse("cases:detail", args=[setup["case"].pk])
    client.post(reverse("signals:from_obstacle", args=[setup["obstacle"].pk]), {"join": "1"})
    case_page = client.get(case_url).content.decode()
    from_case = reverse("signals:detail", args=[signal.pk]) + f"?van=casus-{setup['case'].pk}"
    assert from_case in case_page
    page = client.get(from_case).content.decode()
    assert f'<a href="{case_url}">Terug naar de casus</a>' in page
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Terug naar de systeemsignalen" not in page
    assert f'<a href="{reverse("home")}">Terug naar de startpagina</a>' in page


def test_an_empty_form_names_every_missing_field_in_the_summary(client, setup):
    """Walk 14: the form named the missing title and summary, and the owner's name only after
    those were filled in. Every missing field is in the one error summary at once."""
    client.force_login(setup["analyst"])
    response = client.post(reverse("signals:new"), {"owner_kind": "department"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"rule", "title", "summary", "owner_name"} <= set(errors)
    summary = response.content.decode().split('id="error-summary"')[1].split("</ul>")[0]
    for anchor in ("id_rule", "id_title", "id_summary", "id_owner_name"):
        assert f'href="#{anchor}"' in summary
    assert not Signal.objects.exists()
