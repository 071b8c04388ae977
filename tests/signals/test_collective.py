"""Collective patterns, collective approaches and the public page (issue 14, point 5).

- patterns per neighbourhood, life domain and rule, in distinct households, inside-rule
  suppression (pure function, with a property test);
- a collective approach's money on the same append-only ledger as the plans: exactly one of
  plan / approach per entry, commitments and payments under the budget lock, never overdrawn
  (also under concurrency, on PostgreSQL);
- the public page: outside rule, no login, no personal data; the issue's acceptance data
  (6 households on one rule) is suppressed entirely.
"""

import re
import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.cases.models import CaseLifeDomain, Obstacle
from maatwerk.core.formatting import money
from maatwerk.core.small_numbers import INSIDE
from maatwerk.decisions import selectors as decision_selectors
from maatwerk.decisions import services
from maatwerk.decisions.models import (
    Budget,
    CollectiveActivity,
    CollectiveApproach,
    LedgerEntry,
)
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import patterns, report, selectors

from ..factories import CaseFactory, ResidentFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates
from .test_report import RULE, data  # noqa: F401 (the issue's acceptance data, a fixture)

YEAR = timezone.localdate().year
GROUP = CollectiveApproach.Kind.GROUP_ACTIVITY


# --- patterns: the pure function --------------------------------------------------------------


def test_patterns_count_distinct_households_and_hide_small_ones():
    facts = []
    for household in range(6):  # six households, one of them with two obstacles of the rule
        facts += patterns.facts_for(household, "WK01", ["income"], 7)
    facts += patterns.facts_for(0, "WK01", ["income"], 7)
    for household in range(10, 13):  # three households: "< 5"
        facts += patterns.facts_for(household, "WK01", ["income"], 8)
    # A case in two life domains counts under each; a case without one under NO_DOMAIN.
    for household in range(20, 25):
        facts += patterns.facts_for(household, "WK02", ["debts", "housing"], None)
    facts += patterns.facts_for(30, "WK02", [], 7)
    found = patterns.build(facts, INSIDE)
    assert [(p.neighbourhood, p.domain, p.rule, p.households) for p in found.shown] == [
        ("WK01", "income", 7, 6),
        ("WK02", "debts", report.NEW_RULE, 5),
        ("WK02", "housing", report.NEW_RULE, 5),
    ]
    assert found.hidden == {"WK01": 1, "WK02": 1}


def test_a_pattern_inside_a_cell_the_report_hides_is_hidden_too():
    """Re-walk finding: the report hid a rule by secondary suppression ("·") while the patterns
    page showed 6 of its households in one neighbourhood, a lower bound of the hidden figure."""
    facts = []
    for household in range(6):
        facts += patterns.facts_for(household, "WK01", ["income"], 7)
    for household in range(10, 16):
        facts += patterns.facts_for(household, "WK02", ["income"], 7)
    found = patterns.build(facts, INSIDE, withheld=frozenset({(7, "WK01")}))
    assert [(p.neighbourhood, p.rule) for p in found.shown] == [("WK02", 7)]
    assert found.hidden == {"WK01": 1}


@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),  # household
            st.sampled_from(["WK01", "WK02", ""]),
            st.sampled_from(["income", "debts", ""]),
            st.sampled_from([1, 2, report.NEW_RULE]),
        ),
        max_size=120,
    )
)
def test_no_pattern_below_the_threshold_is_ever_shown(rows):
    facts = [patterns.PatternFact(h, n, d, r) for h, n, d, r in rows]
    found = patterns.build(facts, INSIDE)
    truth: dict = {}
    for f in facts:
        truth.setdefault((f.neighbourhood, f.domain, f.rule), set()).add(f.household)
    for p in found.shown:
        assert p.households == len(truth[(p.neighbourhood, p.domain, p.rule)]) >= 5
    hidden = sum(1 for v in truth.values() if len(v) < 5)
    assert sum(found.hidden.values()) == hidden
    assert len(found.shown) + hidden == len(truth)


# --- the ledger: a plan or a collective approach, never both ----------------------------------


@pytest.fixture
def team_world(db):
    team = TeamFactory(name="Wijkteam Noord")
    lead = user_with_role(Role.TEAM_LEAD, team)
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=YEAR, amount=D("2000")
    )
    configure_mandates(team.organisation)  # team lead € 2.500, manager € 10.000
    return {"team": team, "lead": lead, "budget": budget}


def _start(w, amount=None, **extra):
    return services.start_collective_approach(
        w["lead"], team=w["team"], name="Inloop toeslagen", kind=GROUP, amount=amount,
        neighbourhood_code="WK999001", life_domain="income", **extra,
    )  # fmt: skip


def test_a_ledger_entry_is_for_a_plan_or_an_approach_never_both_or_neither(
    team_world, seeded_catalogues
):
    w = team_world
    approach = _start(w, D("500"))
    commitment = LedgerEntry.objects.get(collective_approach=approach)
    assert commitment.plan_id is None and commitment.kind == LedgerEntry.Kind.COMMITMENT
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            budget=w["budget"], kind="commitment", amount=D("1"), created_by=w["lead"]
        )
    from ..plan_helpers import submitted_plan

    case = CaseFactory(household__team=w["team"])
    plan = submitted_plan(case, user_with_role(Role.WORKER, w["team"]), "100")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            budget=w["budget"], plan=plan, collective_approach=approach, kind="commitment",
            amount=D("1"), created_by=w["lead"],
        )  # fmt: skip


def test_an_approach_may_not_take_what_pending_plans_ask_and_says_so_in_the_overviews_words(
    team_world,
):
    """Walk 14: the approach's check used "available now" while the budget overview shows
    "Over na de lopende besluiten". One rule (services.left_after_pending, the overview's
    figure): a plan waiting for a decision keeps what it asks, and the refusal names that
    figure with the overview's words."""
    from ..plan_helpers import submitted_plan

    w = team_world
    worker = user_with_role(Role.WORKER, w["team"])
    submitted_plan(CaseFactory(household__team=w["team"]), worker, "1500")
    row = decision_selectors.budget_rows([w["budget"]])[0]
    assert (row.available, row.pending, row.left) == (D("2000"), D("1500"), D("500"))
    assert services.left_after_pending(w["budget"]) == row.left
    with pytest.raises(ValidationError) as refused:
        _start(w, D("600"))  # fits "available now" (2000), not what is left (500)
    assert refused.value.code == "decisions.budget_insufficient"
    message = " ".join(refused.value.message_dict["amount"])
    assert "over na de lopende besluiten" in message and money(D("500")) in message
    assert not CollectiveApproach.objects.exists()
    _start(w, D("500"))
    assert decision_selectors.budget_rows([w["budget"]])[0].left == 0


def test_the_budget_tables_per_rule_and_domain_include_the_approaches_labelled(
    team_world, seeded_catalogues
):
    """Walk 14: the per-rule and per-domain tables of the budget overview left out what the
    collective approaches were granted from the same budget."""
    w = team_world
    rule = BlockingRule.objects.get(code=RULE)
    _start(w, D("700"), blocking_rule=rule)
    by_rule, by_domain = decision_selectors.spending([w["budget"]])
    assert by_rule == [(f"{rule.name_nl} (collectieve aanpak)", D("700"))]
    assert by_domain == [("Inkomen (collectieve aanpak)", D("700"))]


def test_an_approach_commits_pays_and_never_overdraws_the_budget(team_world):
    w = team_world
    approach = _start(w, D("1500"))
    row = decision_selectors.budget_rows([w["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("1500"), 0, D("500"))
    # A second approach that does not fit is refused, and nothing of it stays.
    with pytest.raises(ValidationError) as refused:
        _start(w, D("600"))
    assert refused.value.code == "decisions.budget_insufficient"
    assert CollectiveApproach.objects.count() == 1
    services.record_collective_activity(
        w["lead"], approach, day=timezone.localdate(), note="Eerste bijeenkomst",
        status="running", amount=D("250"), payee="Buurthuis",
    )  # fmt: skip
    money = decision_selectors.collective_money(approach)
    assert (money.granted, money.paid, money.open) == (D("1500"), D("250"), D("1250"))
    row = decision_selectors.budget_rows([w["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("1250"), D("250"), D("500"))
    # Paying more than is open of its commitment is refused; the record stays as it was.
    with pytest.raises(ValidationError) as refused:
        services.record_collective_activity(
            w["lead"], approach, day=timezone.localdate(), note="Te veel", amount=D("1300")
        )
    assert refused.value.code == "decisions.overpaid"
    assert CollectiveActivity.objects.filter(approach=approach).count() == 2
    approach.refresh_from_db()
    assert approach.status == "running"


def test_an_approach_without_a_budget_pays_nothing_and_its_status_moves_forward(team_world):
    w = team_world
    approach = _start(w)
    assert not LedgerEntry.objects.filter(collective_approach=approach).exists()
    with pytest.raises(ValidationError) as refused:
        services.record_collective_activity(
            w["lead"], approach, day=timezone.localdate(), amount=D("10")
        )
    assert refused.value.code == "decisions.collective_no_budget"
    services.record_collective_activity(
        w["lead"], approach, day=timezone.localdate(), status="done"
    )
    approach.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.record_collective_activity(
            w["lead"], approach, day=timezone.localdate(), status="running", note="Terug"
        )
    assert refused.value.code == "decisions.collective_status"
    with pytest.raises(ValidationError):
        services.record_collective_activity(
            w["lead"], approach, day=timezone.localdate() + timedelta(days=1), note="Morgen"
        )


def test_only_the_team_lead_or_manager_of_the_team_or_a_director_marks_and_only_the_lead_records(
    team_world,
):
    w = team_world
    organisation = w["team"].organisation
    other_team = TeamFactory(organisation=organisation)
    other_lead = user_with_role(Role.TEAM_LEAD, other_team)
    other_manager = user_with_role(Role.MANAGER, other_team)
    outside_director = user_with_role(Role.DIRECTOR, TeamFactory())
    for user in (
        other_lead,
        other_manager,
        outside_director,
        user_with_role(Role.POLICY_ANALYST, w["team"]),
        user_with_role(Role.WORKER, w["team"]),
    ):
        with pytest.raises(PermissionDenied):
            services.start_collective_approach(user, team=w["team"], name="X", kind=GROUP)
    manager = user_with_role(Role.MANAGER, w["team"])
    director = user_with_role(Role.DIRECTOR, other_team)  # organisation-wide
    for user in (manager, director):
        services.start_collective_approach(user, team=w["team"], name="Buurtkamer", kind=GROUP)
    assert decision_selectors.approach_teams(director) == sorted(
        [w["team"], other_team], key=lambda t: t.name
    )
    assert decision_selectors.approach_teams(manager) == [w["team"]]
    approach = _start(w)
    for user in (other_lead, manager):
        with pytest.raises(PermissionDenied):
            services.record_collective_activity(user, approach, day=timezone.localdate())


# --- the mandate ladder of the plans, for an approach's budget (issue 14) ------------------------


def _ledger(budget):
    return list(LedgerEntry.objects.filter(budget=budget).values_list("kind", "amount"))


def test_a_team_lead_commits_within_the_mandate_and_is_refused_above_it_with_who_decides(
    team_world,
):
    """A team lead could commit the whole budget to an approach without a mandate check. The
    plans' mandates apply: the team lead's € 2.500; above it the refusal names the manager (and
    who that is), and nothing changes: no approach, no ledger entry, no audit event."""
    w = team_world
    w["budget"].amount = D("20000")
    w["budget"].save()
    manager = user_with_role(Role.MANAGER, w["team"])
    manager.first_name, manager.last_name = "Mila", "Manager"
    manager.save()
    _start(w, D("2500"))  # exactly the mandate
    before = (_ledger(w["budget"]), CollectiveApproach.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        _start(w, D("2500.01"))
    assert refused.value.code == "decisions.mandate"
    message = " ".join(refused.value.message_dict["amount"])
    assert money(D("2500.01")) in message
    assert f"Teamleider: tot {money(D('2500'))}" in message  # what the own mandate is
    assert f"Leidinggevende: tot {money(D('10000'))}" in message and "Mila Manager" in message
    assert "Vraag" in message
    assert (
        _ledger(w["budget"]),
        CollectiveApproach.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    row = decision_selectors.budget_rows([w["budget"]])[0]
    assert (row.committed, row.available) == (D("2500"), D("17500"))


def test_a_manager_with_a_higher_mandate_commits_what_the_team_lead_may_not(team_world):
    w = team_world
    w["budget"].amount = D("20000")
    w["budget"].save()
    manager = user_with_role(Role.MANAGER, w["team"])
    approach = services.start_collective_approach(
        manager, team=w["team"], name="Buurtkamer", kind=GROUP, amount=D("8000")
    )
    assert decision_selectors.collective_money(approach).granted == D("8000")
    with pytest.raises(ValidationError) as refused:  # above the manager's € 10.000 too
        services.start_collective_approach(
            manager, team=w["team"], name="Groot", kind=GROUP, amount=D("10000.01")
        )
    assert refused.value.code == "decisions.mandate"
    assert "Directeur sociaal domein: geen bovengrens" in " ".join(
        refused.value.message_dict["amount"]
    )
    director = user_with_role(Role.DIRECTOR, w["team"])
    services.start_collective_approach(
        director, team=w["team"], name="Groot", kind=GROUP, amount=D("10000.01")
    )
    assert decision_selectors.budget_rows([w["budget"]])[0].committed == D("18000.01")


def test_the_mandates_come_from_the_organisations_configuration_not_a_copy(team_world):
    """One rule: the organisation's MandateSetting rows, as for plans. Lowering the team lead's
    mandate lowers what they may commit; without any mandates nobody commits budget, and an
    approach without money needs no mandate."""
    from maatwerk.decisions.models import MandateSetting

    w = team_world
    MandateSetting.objects.filter(organisation=w["team"].organisation, role=Role.TEAM_LEAD).update(
        amount=D("100")
    )
    with pytest.raises(ValidationError) as refused:
        _start(w, D("101"))
    assert refused.value.code == "decisions.mandate"
    _start(w, D("100"))
    MandateSetting.objects.filter(organisation=w["team"].organisation).delete()
    with pytest.raises(ValidationError) as refused:
        _start(w, D("1"))
    assert refused.value.code == "decisions.mandate"
    assert "nog geen mandaten ingesteld" in " ".join(refused.value.message_dict["amount"])
    _start(w)  # no money: no mandate needed
    assert CollectiveApproach.objects.count() == 2


def test_the_budget_rule_comes_before_the_mandate(team_world):
    """More than the budget has left is refused with the budget's words, never with "ask the
    manager": nobody up the ladder can commit money that is not there."""
    w = team_world  # budget € 2.000, team lead's mandate € 2.500
    with pytest.raises(ValidationError) as refused:
        _start(w, D("3000"))
    assert refused.value.code == "decisions.budget_insufficient"


def test_writes_are_audited_and_the_record_is_append_only(team_world):
    w = team_world
    approach = _start(w, D("300"))
    activity = services.record_collective_activity(
        w["lead"], approach, day=timezone.localdate(), note="Gesprek met de buurt", amount=D("50")
    )
    assert AuditEvent.objects.filter(
        object_type="decisions.collectiveapproach", object_id=str(approach.pk)
    ).exists()
    event = AuditEvent.objects.get(
        object_type="decisions.collectiveactivity", object_id=str(activity.pk)
    )
    assert "Gesprek" not in str(event.changes)  # free text masked in the audit log
    assert AuditEvent.objects.filter(object_type="decisions.ledgerentry").count() == 2
    with pytest.raises(PermissionError):
        activity.save()
    with pytest.raises(PermissionError):
        activity.delete()
    with pytest.raises(PermissionError):
        CollectiveActivity.objects.filter(pk=activity.pk).update(note="anders")


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_the_database_refuses_raw_changes_to_the_record_on_postgresql(team_world):
    w = team_world
    activity = services.record_collective_activity(
        w["lead"], _start(w), day=timezone.localdate(), note="Bijeenkomst"
    )
    for sql in (
        "UPDATE decisions_collectiveactivity SET note = 'anders' WHERE id = %s",
        "DELETE FROM decisions_collectiveactivity WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [activity.pk])
    assert CollectiveActivity.objects.get(pk=activity.pk).note == "Bijeenkomst"


def test_the_ledger_page_shows_the_approach_and_its_row_takes_a_payment(client, team_world):
    w = team_world
    approach = _start(w, D("400"))
    commitment = LedgerEntry.objects.get(collective_approach=approach)
    client.force_login(w["lead"])
    url = reverse("decisions:budget", args=[w["budget"].pk])
    html = client.get(url).content.decode()
    assert reverse("signals:approach", args=[approach.pk]) in html
    assert "Inloop toeslagen" in html
    response = client.post(
        url,
        {"entry": commitment.pk, "action": "payment", "amount": "100", "payee": "Buurthuis",
         "paid_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert decision_selectors.collective_money(approach).paid == D("100")
    csv_text = client.get(reverse("decisions:budget_csv", args=[w["budget"].pk])).content.decode()
    assert "Inloop toeslagen" in csv_text


THREADS = 24


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_approaches_never_overdraw_the_budget():
    team = TeamFactory()
    leads = [user_with_role(Role.TEAM_LEAD, team) for _ in range(THREADS)]
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=YEAR, amount=D("10500")
    )
    configure_mandates(team.organisation)  # € 1.000 each is within a team lead's mandate
    barrier = threading.Barrier(THREADS)
    results: dict[int, str] = {}

    def start(n):
        try:
            barrier.wait()
            services.start_collective_approach(
                leads[n], team=team, name=f"Aanpak {n}", kind=GROUP, amount=D("1000")
            )
            results[n] = "ok"
        except ValidationError as e:
            results[n] = e.code or "refused"
        except Exception as e:  # any other failure must show in the test
            results[n] = repr(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(results.values())
    assert outcomes.count("ok") == 10, outcomes
    assert outcomes.count("decisions.budget_insufficient") == THREADS - 10, outcomes
    row = decision_selectors.budget_rows([budget])[0]
    assert (row.committed, row.paid, row.available) == (D("10000"), 0, D("500"))
    assert CollectiveApproach.objects.count() == 10  # a refused one leaves nothing behind


# --- pages ------------------------------------------------------------------------------------


def _pattern_world(n_households=6, code="WK999001"):
    """`n_households` cases of one team in one neighbourhood, in the income domain, blocked by
    the toeslag offset; a team lead, a policy analyst and the team's budget."""
    team = TeamFactory(name="Wijkteam Noord")
    worker = user_with_role(Role.WORKER, team)
    rule = BlockingRule.objects.get(code=RULE)
    cases = []
    for _ in range(n_households):
        case = CaseFactory(household__team=team, household__neighbourhood_code=code)
        ResidentFactory(household=case.household, first_name="Geheimnaam")
        CaseLifeDomain.objects.create(case=case, domain="income")
        case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances",
            effect="Vrije tekst over dit huishouden",
        )  # fmt: skip
        cases.append(case)
    Budget.objects.create(organisation=team.organisation, team=team, year=YEAR, amount=D("5000"))
    configure_mandates(team.organisation)
    return {
        "team": team,
        "rule": rule,
        "cases": cases,
        "lead": user_with_role(Role.TEAM_LEAD, team),
        "analyst": user_with_role(Role.POLICY_ANALYST, team),
    }


def test_the_patterns_page_shows_the_recurring_obstacle_and_no_case(client, db, seeded_catalogues):
    w = _pattern_world()
    client.force_login(w["analyst"])
    html = client.get(reverse("signals:patterns")).content.decode()
    assert w["rule"].name in html and "WK999001" in html
    assert '<td data-label="Huishoudens" class="om-num">6</td>' in html
    for secret in ("Geheimnaam", "Vrije tekst", "HH-"):
        assert secret not in html
    for case in w["cases"]:
        assert reverse("cases:detail", args=[case.pk]) not in html
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    assert reverse("signals:new_approach") not in html  # only a team lead starts one
    # The report links the patterns and the public page.
    report_html = client.get(reverse("signals:report")).content.decode()
    assert reverse("signals:patterns") in report_html
    assert reverse("public_signals", args=[w["team"].organisation_id]) in report_html


def test_a_team_lead_marks_a_pattern_and_records_what_was_done(client, db, seeded_catalogues):
    w = _pattern_world()
    client.force_login(w["lead"])
    html = client.get(reverse("signals:patterns")).content.decode()
    link = (
        f"{reverse('signals:new_approach')}?wijk=WK999001&amp;leefgebied=income"
        f"&amp;regel={w['rule'].pk}"
    )
    assert link in html
    response = client.post(
        reverse("signals:new_approach"),
        {"wijk": "WK999001", "leefgebied": "income", "regel": w["rule"].pk,
         "name": "Inloopspreekuur", "kind": "group_activity", "amount": "1.000"},
    )  # fmt: skip
    approach = CollectiveApproach.objects.get()
    assert response.status_code == 302
    assert (approach.neighbourhood_code, approach.life_domain, approach.blocking_rule) == (
        "WK999001", "income", w["rule"],
    )  # fmt: skip
    response = client.post(
        reverse("signals:record_activity", args=[approach.pk]),
        {"day": timezone.localdate().isoformat(), "note": "Eerste spreekuur", "status": "running",
         "amount": "250", "payee": "Buurthuis"},
    )  # fmt: skip
    assert response.status_code == 302
    html = client.get(reverse("signals:approach", args=[approach.pk])).content.decode()
    assert "Eerste spreekuur" in html and money(D("750")) in html
    # The pattern row shows the approach.
    html = client.get(reverse("signals:patterns")).content.decode()
    assert reverse("signals:approach", args=[approach.pk]) in html


def _last_year(cases):
    """Move the cases' obstacles to the middle of last year (the public page's period)."""
    moment = timezone.make_aware(datetime.combine(date(YEAR - 1, 6, 15), time(12)))
    Obstacle.objects.filter(case__in=cases).update(created_at=moment)


def test_the_public_page_suppresses_the_acceptance_data_entirely(client, db, data):  # noqa: F811
    _last_year(data["cases"])
    for org in {t.organisation for t in data["teams"]}:
        response = client.get(reverse("public_signals", args=[org.pk]))  # anonymous
        assert response.status_code == 200
        html = response.content.decode()
        assert "&lt; 10" in html and "public-all-hidden" in html
        assert "<rect" not in html  # no bar in the chart
        for secret in ("Geheimnaam", "Geheime omschrijving", "Vrije tekst", "HH-", "€"):
            assert secret not in html
        for case in data["cases"]:
            assert f"/casussen/{case.pk}/" not in html
        # Six households on one rule: no figure of it appears, not even rounded.
        table = html.split('id="public-table"')[1].split("</table>")[0]
        assert ">5<" not in table and ">6<" not in table and ">10<" not in table
        # Walk 14: the withheld figures read as a word in the normal size, not a small "·".
        assert "·" not in table and '<span class="om-hidden-mark">verborgen</span>' in table


def test_the_public_page_shows_large_groups_rounded_and_the_approaches(
    client, db, seeded_catalogues
):
    w = _pattern_world(12)
    _last_year(w["cases"])
    services.start_collective_approach(
        w["lead"], team=w["team"], name="Inloopspreekuur", kind=GROUP, amount=D("800"),
        neighbourhood_code="WK999001", public=True,
    )  # fmt: skip
    services.start_collective_approach(
        w["lead"], team=w["team"], name="Nog niet openbaar", kind=GROUP,
        neighbourhood_code="WK999001",
    )  # fmt: skip
    html = client.get(reverse("public_signals", args=[w["team"].organisation_id])).content.decode()
    assert "Nog niet openbaar" not in html  # the team lead did not choose to show it
    assert "Lopende collectieve aanpakken" in html
    assert w["rule"].name in html
    table = html.split('id="public-table"')[1].split("</table>")[0]
    assert '<td data-label="Huishoudens" class="om-num">10</td>' in table  # 12 → 10
    assert "<rect" in html
    # Walk 14: a withheld figure reads as a word, not a small "·", and the page explains it.
    assert "·" not in table
    explained = html.split('id="public-hidden-mark"')[1].split("</p>")[0]
    assert "verborgen" in explained
    assert "Weggelaten om inwoners te beschermen" in html
    planned = html.split('id="public-planned"')[1].split("</ul>")[0]
    assert "Groepsactiviteit" in planned  # kind and status; never the name (free text)
    assert "Inloopspreekuur" not in html
    assert (
        money(D("800")) not in html and "Wijkteam Noord" not in html
    )  # name, kind and status only
    for secret in ("Geheimnaam", "Vrije tekst", "HH-"):
        assert secret not in html


def test_the_public_page_of_an_unknown_organisation_is_404(client, db):
    assert client.get(reverse("public_signals", args=[987654])).status_code == 404


def test_selectors_public_period_is_the_last_full_year():
    assert selectors.public_period(date(2026, 11, 29)) == report.Period(2025)


# --- personal data: an approach's name (public page) and activities (policy roles) -------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("Inloop voor familie van der Brink", "een naam van een huishouden"),
        ("Inloop BSN 123456782", "een BSN"),
        ("Bel 06-12345678 voor de inloop", "een telefoonnummer"),
        ("Inloop rond 1234 AB", "een postcode"),
    ],
)
def test_an_approach_name_with_personal_data_is_refused_and_nothing_saved(team_world, name, what):
    w = team_world
    household = CaseFactory(household__team=w["team"]).household
    ResidentFactory(household=household, first_name="Pieter", last_name="van der Brink")
    with pytest.raises(ValidationError) as refused:
        services.start_collective_approach(
            w["lead"], team=w["team"], name=name, kind=GROUP, amount=D("100")
        )
    message = refused.value.message_dict["name"][0]
    assert what in message and "Beleidsmakers" in message
    assert "1234" not in message and "Brink" not in message  # the data is never repeated
    assert not CollectiveApproach.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_only_names_known_to_the_organisation_count(team_world):
    w = team_world
    # A household of another organisation, and a first name: neither makes the name personal.
    ResidentFactory(last_name="Brink")
    ResidentFactory(household__team=w["team"], first_name="Marktplein", last_name="Jansen")
    approach = services.start_collective_approach(
        w["lead"], team=w["team"], name="Inloop bij de Brink en het Marktplein", kind=GROUP
    )
    assert approach.name == "Inloop bij de Brink en het Marktplein"


def test_an_activity_note_with_personal_data_is_refused_and_nothing_saved(team_world):
    w = team_world
    approach = _start(w, D("500"))
    ResidentFactory(household__team=w["team"], last_name="Ouali")
    before = (CollectiveActivity.objects.count(), LedgerEntry.objects.count())
    for note in ("Gesprek met mevrouw Ouali", "mail naar j@example.nl"):
        with pytest.raises(ValidationError) as refused:
            services.record_collective_activity(
                w["lead"], approach, day=timezone.localdate(), note=note,
                status="running", amount=D("100"), payee="Buurthuis",
            )  # fmt: skip
        assert "Beleidsmakers lezen deze tekst" in refused.value.message_dict["note"][0]
    assert (CollectiveActivity.objects.count(), LedgerEntry.objects.count()) == before
    approach.refresh_from_db()
    assert approach.status != "running"
    services.record_collective_activity(
        w["lead"], approach, day=timezone.localdate(), note="Tweede bijeenkomst, 12 bezoekers"
    )


def test_the_public_page_shows_no_approach_by_default_nor_a_finished_one(
    client, db, seeded_catalogues
):
    """Walk 14: approach names appeared on the public page at once. Only the ones the team lead
    chose to show, and only while under way (the page's heading says "lopende")."""
    w = _pattern_world()
    shown = services.start_collective_approach(
        w["lead"], team=w["team"], name="Buurtkamer", kind=GROUP, public=True
    )
    services.start_collective_approach(
        w["lead"], team=w["team"], name="Stille aanpak", kind="neighbourhood_arrangement"
    )
    url = reverse("public_signals", args=[w["team"].organisation_id])
    html = client.get(url).content.decode()
    assert "Groepsactiviteit" in html.split('id="public-planned"')[1].split("</ul>")[0]
    assert "Buurtvoorziening" not in html  # not chosen to be shown
    CollectiveApproach.objects.filter(pk=shown.pk).update(status="done")
    html = client.get(url).content.decode()
    assert "Groepsactiviteit" not in html and "public-no-approaches" in html


def test_the_public_page_lists_planned_approaches_apart_from_running_ones_and_never_a_name(
    client, db, seeded_catalogues
):
    """Walk: planned ("gepland") approaches stood under "Lopende collectieve aanpakken", and a
    name such as "Buurtkamer Wadwijk-Noord" named one neighbourhood, a group far below the
    outside rule. Running and planned each under their own heading; kind, life domain and
    status only, and the rule only when the page's own figures show it."""
    w = _pattern_world(12)
    _last_year(w["cases"])
    rule, other = w["rule"], BlockingRule.objects.exclude(pk=w["rule"].pk).first()
    running = services.start_collective_approach(
        w["lead"], team=w["team"], name="Buurtkamer Wadwijk-Noord", kind=GROUP, public=True,
        neighbourhood_code="WK999001", life_domain="income", blocking_rule=rule,
    )  # fmt: skip
    services.record_collective_activity(
        w["lead"], running, day=timezone.localdate(), status="running", note="Gestart"
    )
    services.start_collective_approach(
        w["lead"], team=w["team"], name="Spreekuur Havenstraat", public=True,
        kind="neighbourhood_arrangement", neighbourhood_code="WK999001", life_domain="housing",
        blocking_rule=other,
    )  # fmt: skip
    html = client.get(reverse("public_signals", args=[w["team"].organisation_id])).content.decode()
    running_list = html.split('id="public-approaches"')[1].split("</ul>")[0]
    planned_list = html.split('id="public-planned"')[1].split("</ul>")[0]
    assert "Lopende collectieve aanpakken" in html and "Geplande collectieve aanpakken" in html
    assert "Groepsactiviteit" in running_list and "leefgebied Inkomen" in running_list
    assert rule.name in running_list  # the page's table shows this rule (12 → 10 households)
    assert "Buurtvoorziening" in planned_list and "leefgebied Wonen" in planned_list
    assert other.name not in html  # a rule the figures do not show is not named either
    for name in ("Buurtkamer", "Wadwijk", "Havenstraat", "Spreekuur", "WK999001"):
        assert name not in html


def test_a_team_lead_starts_an_approach_for_a_chosen_neighbourhood_and_domain(
    client, db, seeded_catalogues
):
    """Walk 14: without a pattern the form asks for the neighbourhood and life domain (an approach
    by typed URL showed "Geen wijkcode / Leefgebied niet vastgelegd"); the patterns page links
    it, so the page is never a dead end; the public choice is recorded."""
    from maatwerk.accounts.models import TeamArea

    w = _pattern_world()
    TeamArea.objects.get_or_create(team=w["team"], code="BU99900101", defaults={"name": "Haven"})
    client.force_login(w["lead"])
    html = client.get(reverse("signals:patterns")).content.decode()
    assert f'href="{reverse("signals:new_approach")}"' in html
    page = client.get(reverse("signals:new_approach"))
    assert page.status_code == 200
    assert 'name="wijk"' in page.content.decode() and "<select" in page.content.decode()
    missing = client.post(
        reverse("signals:new_approach"), {"name": "Buurtkamer", "kind": "group_activity"}
    )
    assert missing.status_code == 400
    assert {"wijk", "leefgebied"} <= set(missing.context["form"].errors)
    assert not CollectiveApproach.objects.exists()
    response = client.post(
        reverse("signals:new_approach"),
        {"wijk": "BU99900101", "leefgebied": "housing", "name": "Buurtkamer",
         "kind": "group_activity", "public": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    approach = CollectiveApproach.objects.get()
    assert (approach.neighbourhood_code, approach.life_domain, approach.public) == (
        "BU99900101", "housing", True,
    )  # fmt: skip


def test_a_budget_too_high_is_refused_at_the_budget_field_with_what_is_available(
    client, db, seeded_catalogues
):
    w = _pattern_world()
    client.force_login(w["lead"])
    response = client.post(
        reverse("signals:new_approach"),
        {"wijk": "WK999001", "leefgebied": "income", "name": "Te duur",
         "kind": "group_activity", "amount": "99.999.999"},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "amount" in errors and "__all__" not in errors
    assert "over na de lopende besluiten" in errors["amount"][0] and "€" in errors["amount"][0]
    assert not CollectiveApproach.objects.exists()


def test_the_hidden_patterns_are_counted_as_patterns_not_households(client, db, seeded_catalogues):
    w = _pattern_world(2)  # too few households to show
    client.force_login(w["lead"])
    html = client.get(reverse("signals:patterns")).content.decode()
    hidden = html.split('id="patterns-hidden"')[1].split("</p>")[0]
    assert re.search(r"\d+ patro(on|nen)", hidden), hidden


def test_what_was_done_is_not_labelled_optional(client, db, seeded_catalogues):
    """Walk 14: "Wat er gedaan is (optioneel)" was refused when empty; the label says when."""
    w = _pattern_world()
    approach = services.start_collective_approach(
        w["lead"], team=w["team"], name="Buurtkamer", kind=GROUP
    )
    client.force_login(w["lead"])
    html = client.get(reverse("signals:approach", args=[approach.pk])).content.decode()
    label = html.split('for="id_note"')[1].split("</label>")[0]
    assert "optioneel" not in label and "tenzij de status verandert" in label


def test_an_approach_for_a_neighbourhood_is_not_labelled_as_newly_described_rules(
    client, db, seeded_catalogues
):
    """Walk 14: the form for a neighbourhood and life domain (no pattern, no rule) named the
    rule "Nieuw beschreven regels". It says it is for no particular rule; a pattern of the
    rules workers described keeps a label that says what those are."""
    w = _pattern_world()
    client.force_login(w["lead"])
    url = reverse("signals:new_approach")
    html = client.get(f"{url}?wijk=WK999001&leefgebied=income").content.decode()
    label = html.split('id="approach-rule">')[1].split("</dd>")[0]
    assert label == "Geen bepaalde regel: de wijk en het leefgebied als geheel"
    html = client.get(f"{url}?wijk=WK999001&leefgebied=income&regel=new").content.decode()
    label = html.split('id="approach-rule">')[1].split("</dd>")[0]
    assert "zelf beschreven" in label and "Nieuw beschreven regels" not in html
    client.post(
        url,
        {"wijk": "WK999001", "leefgebied": "income", "name": "Buurtkamer",
         "kind": "group_activity"},
    )  # fmt: skip
    assert CollectiveApproach.objects.get().blocking_rule is None


def test_the_page_refuses_a_budget_above_the_mandate_at_the_budget_field_and_a_manager_can(
    client, db, seeded_catalogues
):
    """The page calls the same service: a team lead above their mandate gets the refusal at the
    budget field, naming who decides, and nothing is recorded; the team's manager starts it."""
    w = _pattern_world()
    form_data = {"wijk": "WK999001", "leefgebied": "income", "name": "Buurtkamer",
            "kind": "group_activity", "amount": "3.000"}  # fmt: skip
    client.force_login(w["lead"])
    response = client.post(reverse("signals:new_approach"), form_data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "__all__" not in errors
    assert "Leidinggevende: tot" in errors["amount"][0] and money(D("3000")) in errors["amount"][0]
    assert not CollectiveApproach.objects.exists() and not LedgerEntry.objects.exists()
    manager = user_with_role(Role.MANAGER, w["team"])
    client.force_login(manager)
    assert client.get(reverse("signals:new_approach")).status_code == 200
    assert client.post(reverse("signals:new_approach"), form_data).status_code == 302
    approach = CollectiveApproach.objects.get()
    assert decision_selectors.collective_money(approach).granted == D("3000")
    assert approach.created_by == manager
