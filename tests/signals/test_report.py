"""The signal report (issue 14, points 1 and 2): obstacles per blocking rule and plans per kind
of solution, for a fixed quarter or year, suppressed by the inside small-number rule; never a
case, a name or free text; a policy analyst still gets no case page."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.models import Membership
from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Obstacle
from maatwerk.core.choices import SolutionKind
from maatwerk.core.small_numbers import outside_rule
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget
from maatwerk.legal.models import BlockingRule
from maatwerk.plans.models import CalculationSnapshot, Plan
from maatwerk.signals import report, selectors

from ..factories import CaseFactory, ResidentFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan

pytestmark = pytest.mark.django_db

RULE = "TOESLAG-VERREKEND"  # six households: the first row
# The other nine cases: each of these rules (or a newly described rule) under 5 households.
OTHERS = ["ENERGIE-AFSLUITING"] * 3 + ["KOSTENDELERSNORM"] * 3 + ["JONGERENNORM"] * 2 + [None]


@pytest.fixture
def data(seeded_catalogues, request):
    """15 cases across 4 teams in 2 organisations, 6 blocked by the same rule (each with a
    submitted plan, three of them approved); a policy analyst working for both organisations.
    Every plan is a payment of a cost, unless the test asks (indirect parameter) another kind
    for the first plan: chosen in the plan before it is submitted, as a worker would."""
    first_kind = getattr(request, "param", None)
    teams = [TeamFactory(name=f"Wijkteam {n}") for n in "AB"]
    teams += [TeamFactory(name="Wijkteam C", organisation=teams[0].organisation)]
    teams += [TeamFactory(name="Wijkteam D", organisation=teams[1].organisation)]
    for org in {t.organisation for t in teams}:
        configure_mandates(org)
        # Budgets are configured by the administrator (no service yet); the other tests too.
        Budget.objects.create(
            organisation=org, team=None, year=timezone.localdate().year, amount=Decimal("50000")
        )
    workers = {t.pk: user_with_role(Role.WORKER, t) for t in teams}
    leads = {t.pk: user_with_role(Role.TEAM_LEAD, t) for t in teams}
    cases, plans = [], []
    rules = [RULE] * 6 + OTHERS
    for n, code in enumerate(rules):
        team = teams[n % 4]
        case = CaseFactory(household__team=team, household__neighbourhood_code=f"WK0{n % 2}")
        ResidentFactory(household=case.household, first_name="Geheimnaam")
        case.assigned_workers.add(workers[team.pk])
        worker = workers[team.pk]
        if code == RULE:
            kind = first_kind if first_kind and not plans else SolutionKind.PAYMENT_OF_COST
            plan = submitted_plan(case, worker, "1000", solution_kind=kind)
            if n % 2 == 0:
                decisions.approve(leads[team.pk], plan, reason="Past.")
            plans.append(plan)
        elif code is None:
            case_services.add_obstacle(
                actor=worker,
                case=case,
                description_new_rule="Geheime omschrijving van een nieuwe regel",
                applied_by="municipality",
                effect="Vrije tekst over dit huishouden",
            )
        else:
            case_services.add_obstacle(
                actor=worker,
                case=case,
                blocking_rule=BlockingRule.objects.get(code=code),
                effect="Vrije tekst over dit huishouden",
            )
        cases.append(case)
    analyst = user_with_role(Role.POLICY_ANALYST, teams[0])
    Membership.objects.create(
        user=analyst, organisation=teams[1].organisation, role=Role.POLICY_ANALYST
    )
    return {"teams": teams, "cases": cases, "plans": plans, "analyst": analyst, "leads": leads}


def _this_year():
    return report.Period(timezone.localdate().year)


def test_the_shared_rule_comes_first_with_six_households_and_summed_euros(data):
    result = selectors.signal_report(data["analyst"], _this_year())
    first = result.rules[0]
    assert first.key == BlockingRule.objects.get(code=RULE).pk
    assert first.households == 6
    # Three approved plans from three households: "< 5" (the count rests on its own
    # contributors, not on the row's six households).
    assert first.plans == 6 and first.approved is None and first.approved_small
    snapshots = {
        s.plan_id: s.result for s in CalculationSnapshot.objects.filter(plan__in=data["plans"])
    }
    standard = sum(Decimal(r["standard"]["total"]) for r in snapshots.values())
    tailored = sum(Decimal(r["tailored"]["total"]) for r in snapshots.values())
    assert first.standard == standard and standard > 0
    assert first.tailored == tailored and tailored > 0
    # Every other rule shows "< 5": no count, no euros.
    for row in result.rules[1:]:
        assert row.small and row.households is None
        assert row.standard is None and row.tailored is None and row.plans is None
    assert {r.key for r in result.rules[1:]} >= {report.NEW_RULE}
    assert result.rules_total.households == 15


@pytest.mark.parametrize("data", [SolutionKind.OTHER], indirect=True)
def test_plans_per_kind_of_solution(data):
    assert data["plans"][0].solution_kind == SolutionKind.OTHER
    result = selectors.signal_report(data["analyst"], _this_year())
    kinds = {r.key: r for r in result.kinds}
    assert kinds[SolutionKind.OTHER].small and kinds[SolutionKind.OTHER].households is None
    # One small kind beside a total of 6: the five would give it away, so they go too
    # (secondary, not "< 5"). Even so a total of 6 pins them (a listed kind holds 1 to 4, a
    # secondary one at least 5: 6 = 1 + 5), so the total goes as well.
    payment = kinds[SolutionKind.PAYMENT_OF_COST]
    assert payment.households is None and not payment.small and payment.standard is None
    assert result.kinds_total is None


def test_one_kind_of_six_plans_shows(data):
    """Without the odd one out, the six plans are a single kind of six households."""
    result = selectors.signal_report(data["analyst"], _this_year())
    assert [(r.key, r.households) for r in result.kinds] == [(SolutionKind.PAYMENT_OF_COST, 6)]


def test_the_page_shows_no_case_name_or_free_text(client, data):
    client.force_login(data["analyst"])
    html = client.get(reverse("signals:report")).content.decode()
    assert "Toeslag verrekend met (belasting)schuld" in html
    assert "&lt; 5" in html
    assert "Nieuw beschreven regels" in html
    for secret in ("Geheimnaam", "Geheime omschrijving", "Vrije tekst", "HH-"):
        assert secret not in html
    for case in data["cases"]:
        assert reverse("cases:detail", args=[case.pk]) not in html
    assert f'href="{reverse("signals:organisations")}"' in html  # the figures, one step away


def test_the_policy_analyst_gets_no_case_page(client, data):
    client.force_login(data["analyst"])
    for case in data["cases"]:
        response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code in (403, 404)
    for plan in data["plans"]:
        response = client.get(reverse("plans:detail", args=[plan.pk]))
        assert response.status_code in (403, 404)


def test_a_team_lead_sees_only_their_own_team(data):
    lead = data["leads"][data["teams"][0].pk]
    result = selectors.signal_report(lead, _this_year())
    # Team A holds 2 of the rule's 6 households: under 5, so even the first rule is hidden.
    assert all(r.households is None for r in result.rules)
    assert result.rules_total is None or result.rules_total.households <= 4


def test_the_breakdown_per_team_hides_small_cells_and_agrees_with_the_rules_table(data):
    result = selectors.signal_report(data["analyst"], _this_year(), breakdown="team")
    grid = result.grid
    assert len(grid.groups) == 4
    assert all(v is None for v in grid.cells.values())  # every team holds fewer than 5
    shown = {r.key: r.households for r in result.rules}
    assert grid.rule_totals == shown  # one rule total, hidden alike in both tables


def test_periods_are_fixed_quarters_and_years(client, data):
    assert report.parse_period("2026") == report.Period(2026)
    assert report.parse_period("2026-K3") == report.Period(2026, 3)
    for bad in ("2026-K5", "2026-01-01", "", "26", "2026-Q1", "2026-K"):
        assert report.parse_period(bad) is None
    client.force_login(data["analyst"])
    response = client.get(reverse("signals:report") + "?periode=1999")
    assert response.status_code == 200
    assert "De periode “1999” kan niet gekozen worden" in response.content.decode()
    last_year = timezone.localdate().year - 1
    html = client.get(reverse("signals:report") + f"?periode={last_year}").content.decode()
    assert 'id="no-obstacles"' in html


def test_csv_export_has_the_same_suppression(client, data):
    client.force_login(data["analyst"])
    response = client.get(reverse("signals:report_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    first = rows[1]
    assert first[1] == "Toeslag verrekend met (belasting)schuld" and first[3] == "6"
    assert all(r[3] == "< 5" for r in rows[2:] if r[0] == "Belemmerende regel" and r[1] != "Totaal")
    assert "Geheime omschrijving" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PRIVACY_OFFICER, Role.ADMIN])
def test_other_roles_get_no_report(client, data, role):
    client.force_login(user_with_role(role, data["teams"][0]))
    assert client.get(reverse("signals:report")).status_code == 403


def test_the_number_of_queries_is_fixed(client, data, seeded_catalogues):
    client.force_login(data["analyst"])
    url = reverse("signals:report") + "?per=team"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    team = data["teams"][1]
    worker = user_with_role(Role.WORKER, team)
    rule = BlockingRule.objects.get(code="KOSTENDELERSNORM")
    for n in range(12):
        case = CaseFactory(household__team=team, household__neighbourhood_code=f"WK1{n}")
        case.assigned_workers.add(worker)
        case_services.add_obstacle(actor=worker, case=case, blocking_rule=rule, effect="x")
    submitted_plan(case, worker, "500")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_api_gives_the_same_suppressed_figures(client, data):
    client.force_login(data["analyst"])
    response = client.get("/api/v1/signals/report/")
    assert response.status_code == 200
    body = response.json()
    assert body["rules"][0]["name"] == "Toeslag verrekend met (belasting)schuld"
    assert body["rules"][0]["households"] == 6
    assert all(r["households"] is None and r["small"] for r in body["rules"][1:])
    assert all(r["standard"] is None for r in body["rules"][1:])
    assert "Geheim" not in response.content.decode()
    bad = client.get("/api/v1/signals/report/?period=2026-01-01")
    assert bad.status_code == 400
    client.force_login(data["leads"][data["teams"][0].pk])  # a team lead: the page, not the API
    assert client.get("/api/v1/signals/report/").status_code == 403


def test_all_grids_in_one_pass_equal_each_grid_alone():
    facts = [
        report.ObstacleFact(n, n % 7, n % 3, n % 2, f"WK{n % 4}", n % 5 or report.NEW_RULE)
        for n in range(60)
    ]
    grids = report.households_grids(facts)
    for name in report.BREAKDOWNS:
        assert grids[name] == report.households_grid(facts, name)


def test_the_outside_rule_suppresses_every_figure_of_the_data_set(data):
    """The acceptance data set under the rule for anything that leaves the organisation
    (core.small_numbers.outside_rule: nothing under 10 households, counts rounded to 5): the
    six households of the first rule are under 10, so no rule, no kind, no team shows a count or
    a euro."""
    result = selectors.signal_report(
        data["analyst"], _this_year(), breakdown="team", rule=outside_rule()
    )
    assert result.rules and result.kinds
    for row in [*result.rules, *result.kinds]:
        assert row.households is None and row.plans is None and row.approved is None
        assert row.standard is None and row.tailored is None and row.realised is None
    assert all(v is None for v in result.grid.cells.values())
    assert all(v is None for v in result.grid.rule_totals.values())
    assert all(v is None for v in result.grid.group_totals.values())
    # The total of all 15 households is no small cell: it may show, rounded to a multiple of
    # 5 of at least 10, and its counts rounded too; a hidden row is never worked out from it,
    # for every row is hidden.
    for total in (result.rules_total, result.kinds_total):
        if total is not None and total.households is not None:
            assert total.households >= 10 and total.households % 5 == 0
            assert all(n is None or n % 5 == 0 for n in (total.plans, total.approved))
    assert result.kinds_total is None or result.kinds_total.households is None  # 6 households
    # Inside the organisation the same data shows the first rule (the test above): only the
    # rule differs.
    inside = selectors.signal_report(data["analyst"], _this_year())
    assert inside.rules[0].households == 6


def _case_page_names():
    """Every URL (page or API) the access matrix knows to be about one case or plan."""
    from ..access_matrix import RULES

    return sorted(
        (name, kind)
        for name, (_who, kind, *_rest) in RULES.items()
        if kind in ("case", "plan", "submitted_plan")
    )


def test_the_policy_analyst_gets_403_or_404_on_every_case_page(client, data):
    """Case, plan, plan document and PDF, timeline, decision pages, API: for every case and
    plan of the data set, nothing but a refusal (GET, and POST where GET is not the method)."""
    names = _case_page_names()
    assert {"cases:detail", "plans:detail", "plans:document_pdf", "case-detail"} <= {
        n for n, _ in names
    }
    client.force_login(data["analyst"])
    objects = {
        "case": [c.pk for c in data["cases"]],
        "plan": [p.pk for p in data["plans"]],
        "submitted_plan": [p.pk for p in data["plans"]],
    }
    before = Plan.objects.values_list("pk", "status").order_by("pk")
    before = list(before)
    for name, kind in names:
        for pk in objects[kind][:3]:  # three of each, from both organisations
            url = reverse(name, kwargs={"pk": pk})
            status = client.get(url).status_code
            if status == 405:  # a form target: the write is refused too
                status = client.post(url).status_code
            assert status in (403, 404), (name, pk, status)
    assert list(Plan.objects.values_list("pk", "status").order_by("pk")) == before


def test_the_facts_equal_a_plain_reading_of_obstacles_and_plans(data):
    """`selectors.facts` reads rows, not objects, and selects the plans in SQL: it must give
    what a plain reading of the objects gives, including a plan whose obstacle lies outside
    the period (it drops out) and a newly described rule."""
    from datetime import timedelta

    from maatwerk.cases.models import Obstacle
    from maatwerk.decisions.models import DecisionStep

    period = _this_year()
    moved = data["plans"][1]
    moved_obstacles = Plan.obstacles.through.objects.filter(plan=moved).values("obstacle_id")
    Obstacle.objects.filter(id__in=moved_obstacles).update(
        created_at=selectors._aware(period.start) - timedelta(days=1)
    )
    team_ids = [t.pk for t in data["teams"][:3]]
    obstacles, plans = selectors.facts(team_ids, period)

    in_period = Obstacle.objects.filter(
        case__team_id__in=team_ids,
        created_at__gte=selectors._aware(period.start),
        created_at__lt=selectors._aware(period.end),
    ).select_related("case__household", "case__team")
    expected = [
        report.ObstacleFact(
            o.pk,
            o.case.household_id,
            o.case.team_id,
            o.case.team.organisation_id,
            o.case.household.neighbourhood_code,
            o.blocking_rule_id or report.NEW_RULE,
        )
        for o in in_period.order_by("id")
    ]
    assert obstacles == expected
    assert report.NEW_RULE in {o.rule for o in obstacles}
    ids = {o.obstacle for o in expected}
    expected_plans = []
    for plan in Plan.objects.filter(case__team_id__in=team_ids).order_by("id"):
        linked = [o.pk for o in plan.obstacles.order_by("id") if o.pk in ids]
        if not linked:
            continue
        latest = plan.snapshots.order_by("-created_at", "-id").first().result
        expected_plans.append(
            (
                plan.pk,
                plan.case.household_id,
                tuple(linked),
                DecisionStep.objects.filter(
                    plan=plan, outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
                ).exists(),
                Decimal(latest["standard"]["total"]),
                Decimal(latest["tailored"]["total"]),
            )
        )
    got = [(p.plan, p.household, p.obstacles, p.approved, p.standard, p.tailored) for p in plans]
    assert got == expected_plans
    assert moved.pk not in {p.plan for p in plans}
    assert any(p.approved for p in plans) and not all(p.approved for p in plans)


@pytest.mark.parametrize("asked", ["1999", "2026-K9", "gisteren"])
def test_a_period_that_cannot_be_chosen_is_named_and_the_csv_refused(client, data, asked):
    """Walk 14: ?periode=1999 or 2026-K9 silently showed another period."""
    client.force_login(data["analyst"])
    page = client.get(reverse("signals:report") + f"?periode={asked}").content.decode()
    year = timezone.localdate().year
    assert f"De periode “{asked}” kan niet gekozen worden" in page
    assert f"In plaats daarvan staat hier: {year}" in page
    refused = client.get(reverse("signals:report_csv") + f"?periode={asked}")
    assert refused.status_code == 400 and not refused.has_header("Content-Disposition")
    # No message left over for the next page.
    assert "kan niet gekozen" not in client.get(reverse("signals:report")).content.decode()


def test_the_report_labels_its_breakdown_and_has_one_heading_per_table(client, data):
    client.force_login(data["analyst"])
    page = client.get(reverse("signals:report")).content.decode()
    assert '<label for="id_per">Uitsplitsen naar</label>' in page
    assert "Plannen per soort oplossing" not in page
    assert page.count("Plannen voor deze knelpunten per soort oplossing") == 1


def test_the_csv_carries_the_chosen_breakdown(client, data):
    """Walk 14: the CSV ignored the breakdown chosen on the page."""
    client.force_login(data["analyst"])
    plain = client.get(reverse("signals:report_csv"))
    response = client.get(reverse("signals:report_csv") + "?per=team")
    assert "per-team" in response["Content-Disposition"]
    assert "per-team" not in plain["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][-1] == "Uitsplitsing"
    grid = [r for r in rows if r[0] == "Belemmerende regel per team"]
    teams = {t.name for t in data["teams"]}
    assert grid and {r[-1] for r in grid} <= teams
    toeslag = [r for r in grid if r[1] == "Toeslag verrekend met (belasting)schuld"]
    # The same suppression as the page: fewer than 5 per team, hidden totals as "·".
    assert len(toeslag) == len(teams) and all(r[3] == "< 5" for r in toeslag)
    assert all(r[3] == "·" for r in grid if r[1] == "Totaal")
    assert len(rows) > len(list(csv.reader(io.StringIO(plain.content.decode()), delimiter=";")))


def _old_facts(team_ids, period):
    """The obstacle facts as the report read them before the grouping columns were copied onto
    the obstacle: through the case, its team and its household (the old computation)."""
    rows = (
        Obstacle.objects.filter(
            case__team_id__in=team_ids,
            created_at__gte=selectors._aware(period.start),
            created_at__lt=selectors._aware(period.end),
        )
        .values_list(
            "id",
            "case__household_id",
            "case__team_id",
            "case__team__organisation_id",
            "case__household__neighbourhood_code",
            "blocking_rule_id",
        )
        .order_by("id")
    )
    return [
        report.ObstacleFact(pk, h, t, org, code or "", rule or report.NEW_RULE)
        for pk, h, t, org, code, rule in rows
    ]


def test_the_report_from_the_copied_columns_equals_the_old_computation(data):
    """Varied data on top of the fifteen cases: several obstacles per household, households
    without a neighbourhood, big and small cells in every breakdown, a newly described rule:
    the report read from the obstacle's own team, organisation, household and neighbourhood
    (cases.grouping) equals the one computed through the case's joins, for every breakdown
    and both small-number rules."""
    import random

    rng = random.Random(14)
    teams = data["teams"]
    codes = ["ENERGIE-AFSLUITING", "KOSTENDELERSNORM", "JONGERENNORM", RULE]
    rules = [BlockingRule.objects.get(code=c) for c in codes]
    for n in range(40):
        team = teams[n % 4]
        case = CaseFactory(
            household__team=team,
            household__neighbourhood_code=rng.choice(["WK01", "WK02", "WK03", ""]),
        )
        worker = user_with_role(Role.WORKER, team)
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.15:
                case_services.add_obstacle(
                    actor=worker, case=case, description_new_rule="Nieuwe regel",
                    applied_by="municipality", effect="Tekst",
                )  # fmt: skip
            else:
                case_services.add_obstacle(
                    actor=worker, case=case, blocking_rule=rng.choice(rules), effect="Tekst"
                )
    period = _this_year()
    team_ids = selectors.report_team_ids(data["analyst"])
    old = _old_facts(team_ids, period)
    new, plan_facts = selectors.facts(team_ids, period)
    assert new == old and len(old) > 55
    assert "" in {o.neighbourhood for o in new}  # a household without a neighbourhood
    for rule in (None, outside_rule()):
        for breakdown in (None, "team", "organisatie", "wijk"):
            got = selectors.signal_report(data["analyst"], period, breakdown=breakdown, rule=rule)
            want = report.build(old, plan_facts, rule or selectors.inside_rule(), breakdown)
            assert got == want, (rule, breakdown)
    shown = selectors.signal_report(data["analyst"], period, breakdown="wijk")
    assert shown.rules[0].households >= 10  # a shown row: the comparison is not of blanks only


def test_an_obstacle_carries_its_case_team_organisation_household_and_neighbourhood(data):
    case = data["cases"][1]
    obstacle = Obstacle.objects.filter(case=case).first()
    assert (
        obstacle.team_id,
        obstacle.organisation_id,
        obstacle.household_id,
        obstacle.neighbourhood_code,
    ) == (
        case.team_id,
        case.team.organisation_id,
        case.household_id,
        case.household.neighbourhood_code,
    )
    assert obstacle.neighbourhood_code  # the fixture gives every household one
