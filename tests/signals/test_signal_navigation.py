"""A new user's walk (fixB): the start page of a policy analyst lists the open signals, overdue
first; the menu's /signalen/ leads to the report, the report and the list link each other, and
each report row links its rule and its open signal or offers to raise one."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import services as signal_services
from maatwerk.signals.selectors import open_signals

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import home_page


@pytest.fixture
def setup(db):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    rules = list(BlockingRule.objects.order_by("pk")[:2])
    for rule in rules:
        case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=rule, applied_by="municipality", effect="x"
        )
    analyst = user_with_role(Role.POLICY_ANALYST, team)
    return {"team": team, "rules": rules, "analyst": analyst}


def _raise(analyst, rule, title, today):
    return signal_services.raise_signal(
        analyst, title=title, summary="Komt vaak voor.", owner_kind="national", rule=rule,
        today=today,
    )  # fmt: skip


def test_start_page_lists_open_signals_overdue_first(client, setup):
    analyst, (first, second) = setup["analyst"], setup["rules"]
    body = home_page(client, analyst)
    assert 'id="signals-empty"' in body and 'id="open-signals"' not in body
    recent = _raise(analyst, first, "Recent signaal", date.today())
    late = _raise(analyst, second, "Te laat signaal", date.today() - timedelta(days=400))
    body = home_page(client, analyst)
    assert 'id="signals-empty"' not in body
    box = body[body.index('id="open-signals"') :]
    assert "2 open signalen" in box
    assert box.index("Te laat signaal") < box.index("Recent signaal")
    assert reverse("signals:detail", args=[late.pk]) in box
    assert reverse("signals:detail", args=[recent.pk]) in box
    assert "te laat" in box[: box.index("Recent signaal")]
    assert f'href="{reverse("signals:list")}"' in box


def test_menu_report_and_list_link_each_other(client, setup):
    client.force_login(setup["analyst"])
    response = client.get("/signalen/")
    assert response.status_code == 302 and response["Location"] == reverse("signals:report")
    report = client.get(reverse("signals:report")).content.decode()
    top = report[report.index("<h1") : report.index('id="id_periode"')]
    assert f'href="{reverse("signals:list")}"' in top
    listing = client.get(reverse("signals:list")).content.decode()
    assert f'href="{reverse("signals:report")}"' in listing


def test_report_rows_link_the_rule_and_its_signal_or_offer_one(client, setup):
    analyst, (first, second) = setup["analyst"], setup["rules"]
    signal = _raise(analyst, first, "Signaal een", date.today())
    client.force_login(analyst)
    page = client.get(reverse("signals:report")).content.decode()
    table = page[page.index('id="rules-table"') :]
    for rule in (first, second):
        assert f'href="{reverse("legal:rule", args=[rule.pk])}"' in table
    assert f'href="{reverse("signals:detail", args=[signal.pk])}?van=rapport"' in table
    assert f'href="{reverse("signals:new")}?regel={second.pk}&amp;van=rapport"' in table
    assert f'href="{reverse("signals:new")}?regel={first.pk}' not in table
    # A manager reads the report but raises no signal from it.
    manager = user_with_role(Role.MANAGER, setup["team"])
    client.force_login(manager)
    page = client.get(reverse("signals:report")).content.decode()
    assert f"?regel={second.pk}" not in page


def test_report_per_neighbourhood_names_the_area_with_the_code_in_small_print(client, setup):
    from maatwerk.accounts.models import TeamArea

    team = setup["team"]
    TeamArea.objects.create(team=team, code="BU99900101", name="Oude Haven")
    worker = user_with_role(Role.WORKER, team)
    for _ in range(5):
        case = CaseFactory(household__team=team, household__neighbourhood_code="BU99900101")
        case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=setup["rules"][0], applied_by="municipality",
            effect="x",
        )  # fmt: skip
    client.force_login(setup["analyst"])
    page = client.get(reverse("signals:report") + "?per=wijk").content.decode()
    grid = page[page.index('id="breakdown-table"') :]
    assert 'Oude Haven <small class="om-muted">BU99900101</small>' in grid


def test_a_municipal_rule_is_owned_by_a_department_of_the_municipality(client, setup):
    rule = BlockingRule.objects.get(code="BRP-INSCHRIJVING")
    assert rule.applied_by == "municipality_brp"
    client.force_login(setup["analyst"])
    page = client.get(reverse("signals:new") + f"?regel={rule.pk}").content.decode()
    assert re.search(r'value="department"[^>]*checked', page)
    assert "Burgerzaken (basisregistratie personen)" in page


def test_status_note_says_when_it_is_needed_and_no_button_outranks_another(client, setup):
    analyst = setup["analyst"]
    signal = _raise(analyst, setup["rules"][0], "Signaal", date.today())
    client.force_login(analyst)
    url = reverse("signals:detail", args=[signal.pk])
    page = client.get(url).content.decode()
    form = page[page.index('id="move-heading"') :]
    assert "utrecht-button--primary-action" not in form[: form.index("</form>")]
    for to in ("acknowledged", "under_study"):
        client.post(reverse("signals:transition", args=[signal.pk]), {"to_status": to})
    form = client.get(url).content.decode()
    form = form[form.index('id="move-heading"') : form.index("</form>", form.index("move-heading"))]
    assert "nodig bij: “regel blijft”" in form and "(optioneel)" not in form


def test_managers_and_directors_get_the_same_card_of_their_own_organisation(client, setup):
    """One selector (signals.selectors.open_signals) for the analyst's, the manager's and the
    director's card; it shows only the organisation where the user holds such a role."""
    analyst, (first, _second) = setup["analyst"], setup["rules"]
    signal = _raise(analyst, first, "Signaal voor de leiding", date.today())
    other_team = TeamFactory()  # another organisation
    assert other_team.organisation_id != setup["team"].organisation_id
    href = reverse("signals:detail", args=[signal.pk])
    for role in (Role.MANAGER, Role.DIRECTOR):
        body = home_page(client, user_with_role(role, setup["team"]))
        box = body[body.index('id="open-signals"') :]
        assert "1 open signaal" in box and href in box, role
        assert f'href="{reverse("signals:report")}"' in box, role
        # Of another organisation: the card, empty.
        body = home_page(client, user_with_role(role, other_team))
        assert 'id="signals-empty"' in body and href not in body, role
    for role in (Role.TEAM_LEAD, Role.WORKER):
        body = home_page(client, user_with_role(role, setup["team"]))
        assert 'id="signals-card"' not in body and href not in body, role
    # The access rule is the selector's own, not the page's.
    lead = user_with_role(Role.TEAM_LEAD, setup["team"])
    assert open_signals(lead, date.today()) == ([], 0)
    manager = user_with_role(Role.MANAGER, setup["team"])
    assert open_signals(manager, date.today()) == ([signal], 1)
