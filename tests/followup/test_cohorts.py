"""Cohorts (issue 13, point 5): realised against predicted return per team, blocking rule and
quarter of approval, for team lead, manager and director; small groups suppressed; "not
measured" counted apart, never as failure; exports audited; a fixed number of queries."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup import cohorts, services
from maatwerk.followup.models import FollowUp

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import _worked_example, approved

org = lifecycle.org
URL = reverse("followup:cohorts")
# A suppressed group's plans cell (the page's intro quotes "< 5 households" too).
SUPPRESSED_CELL = 'data-label="Maatwerkplannen">&lt; 5 huishoudens</td>'


def _own_household(org):
    """A case of a household of its own in the org's team (the org's own case is one
    household: plans on it count once for the small-number rule)."""
    return CaseFactory(household__team=org["team"])


def _record(org, plan, moment, **kwargs):
    followup = FollowUp.objects.get(plan=plan, moment=moment)
    services.record(org["worker"], followup, **kwargs)


def _start(plan):
    return FollowUp.objects.get(plan=plan, moment="end_of_action").due_on


def _not_measured_at_six_months(org):
    """The worked example: in work at the end of the action, not measured at +6 months."""
    plan = _worked_example(org)
    start = FollowUp.objects.get(plan=plan, moment="end_of_action").due_on
    _record(
        org,
        plan,
        "end_of_action",
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": start}],
    )
    _record(org, plan, "plus_6", measured="not_measured", reason="no_contact")
    return plan


def test_not_measured_at_six_months_is_unmeasured_not_a_failure(org):
    plan = _not_measured_at_six_months(org)
    lead = org["users"][Role.TEAM_LEAD]
    (figures,) = cohorts.plan_figures(cohorts.cohort_team_ids(lead))
    assert figures.plan_id == plan.pk
    assert figures.state == cohorts.NOT_MEASURED and figures.realised is None
    (row,), _whole = cohorts.cohorts_for(lead, cohorts.TEAM)
    assert (row.plans, row.measured, row.not_measured, row.awaiting) == (1, 0, 1, 0)
    # Not a failure: no zero realised against a prediction, no measured plan at all.
    assert row.holds == 0 and row.predicted == 0 and row.realised == 0
    assert row.small  # one plan: suppressed on the page


def test_the_page_shows_unmeasured_apart_once_the_group_is_large_enough(client, org):
    _not_measured_at_six_months(org)
    measured = []
    for _ in range(5):  # five measured households: their euros may show (fewer hide them)
        plan = approved(org, "2000", days_ago=200, case=_own_household(org))
        _record(
            org,
            plan,
            "end_of_action",
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": _start(plan)}],
        )
        measured.append(plan)
    client.force_login(org["users"][Role.TEAM_LEAD])
    body = client.get(URL).content.decode()
    assert 'id="cohort-table"' in body and "<svg" in body
    (row,), _whole = cohorts.cohorts_for(org["users"][Role.TEAM_LEAD], cohorts.TEAM)
    assert (row.plans, row.measured, row.not_measured, row.holds) == (6, 5, 1, 5)
    assert row.measured_share == 83
    # The unmeasured plan sits in its own column and adds nothing to predicted or realised.
    assert 'om-cohort-unmeasured" data-label="Niet gemeten">1<' in body
    assert row.predicted == sum(
        (D(p.snapshots.get().result["net_benefit"]) for p in measured), D(0)
    )
    # The export gives the euros in cents (walk finding: ten decimals).
    response = client.get(reverse("followup:cohorts_csv"))
    (line,) = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))[1:]
    for amount in line[8:10]:
        assert amount and len(amount.split(",")[-1]) == 2, line
    # Grouping by rule and by quarter (GET), with an unknown value falling back to team.
    for value in ("regel", "kwartaal", "nonsense"):
        page = client.get(URL, {"indeling": value}).content.decode()
        checked = value if value != "nonsense" else "team"
        assert f'value="{checked}" id="grouping-{checked}" checked' in page


def test_small_groups_show_no_figures(client, org):
    approved(org, "2000")
    client.force_login(org["users"][Role.MANAGER])
    body = client.get(URL).content.decode()
    assert SUPPRESSED_CELL in body and "niet getoond: te weinig huishoudens" in body
    assert "<svg" not in body  # no bars for a suppressed group


def test_scope_is_the_own_team_for_a_lead_and_the_organisation_for_a_director(org):
    approved(org, "2000")
    other = TeamFactory(organisation=org["team"].organisation)
    other_lead = user_with_role(Role.TEAM_LEAD, other)
    # The other team's lead sees only their own team: a row without plans.
    (own,), whole = cohorts.cohorts_for(other_lead, cohorts.TEAM)
    assert own.label == other.name and own.empty and whole.plans == 0
    director = org["users"][Role.DIRECTOR]
    assert {org["team"].pk, other.pk} <= cohorts.cohort_team_ids(director)
    rows, _ = cohorts.cohorts_for(director, cohorts.TEAM)
    by_label = {row.label: row for row in rows}
    assert by_label[org["team"].name].plans == 1
    # A team without plans keeps its row ("no approved plans") instead of vanishing.
    assert by_label[other.name].empty and not by_label[other.name].small
    stranger = user_with_role(Role.DIRECTOR, TeamFactory())
    assert org["team"].pk not in cohorts.cohort_team_ids(stranger)
    # A worker has no cohorts, whatever their team.
    assert cohorts.cohort_team_ids(org["worker"]) == frozenset()


@pytest.mark.parametrize("role", [Role.WORKER, Role.POLICY_ANALYST])
def test_others_are_refused(client, org, role):
    client.force_login(org["users"][role])
    assert client.get(URL).status_code == 403


def test_exports_are_audited_and_suppress_small_groups(client, org):
    approved(org, "2000")
    client.force_login(org["users"][Role.TEAM_LEAD])
    response = client.get(reverse("followup:cohorts_csv"), {"indeling": "kwartaal"})
    assert (
        response.status_code == 200 and "cohorten-kwartaal.csv" in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][0] == "Kwartaal van goedkeuring"
    assert rows[1][1:] == [""] * 9 + ["minder dan 5 huishoudens: niet getoond"]
    response = client.get(reverse("followup:cohorts_xlsx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    events = AuditEvent.objects.filter(action="export", object_type="followup.followup")
    assert sorted(events.values_list("reason", flat=True)) == [
        "cohorts per kwartaal (csv)",
        "cohorts per team (xlsx)",
    ]


def test_the_page_reads_a_fixed_number_of_queries(client, org):
    """Plans in every state the page reads (awaiting, measured with outcomes, not measured,
    paid in part, closed with a release): the count stays the same from 3 to 9 plans, for
    every grouping and for manager and director alike."""
    lead = org["users"][Role.TEAM_LEAD]

    def grow(n):
        for k in range(n):
            plan = approved(org, "2000", days_ago=400)
            since = _start(plan)
            # Carried out on the approval day: the payment booked today does not move it.
            services.mark_carried_out(org["worker"], plan, since)
            commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
            decisions.record_payment(lead, commitment, D(500 * (k % 4 + 1)))
            if k % 3 == 0:
                continue  # awaiting its first follow-up
            for moment in ("end_of_action", "plus_6", "plus_12")[: 3 if k % 3 == 2 else 1]:
                if moment == "plus_6" and k % 3 == 2:
                    _record(org, plan, moment, measured="not_measured", reason="moved")
                    continue
                outcomes = [
                    {"code": "in_care", "holds_since": since},
                    {"code": "still_in_work", "holds_since": since},
                ]
                _record(org, plan, moment, measured="yes", outcomes=outcomes)

    def count(role, grouping):
        client.force_login(org["users"][role])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"indeling": grouping}).status_code == 200
        return len(queries)

    roles = (Role.MANAGER, Role.DIRECTOR)
    grow(3)
    small = {(r, g): count(r, g) for r in roles for g in cohorts.GROUPINGS}
    grow(6)
    assert LedgerEntry.objects.filter(kind="release").count() == 3  # closed plans
    large = {(r, g): count(r, g) for r in roles for g in cohorts.GROUPINGS}
    assert small == large, f"{small} then {large} queries"
    assert max(large.values()) <= 16


def test_the_total_does_not_give_away_a_single_suppressed_group():
    big, small, other = (
        cohorts.Cohort("A", plans=9, households=9),
        cohorts.Cohort("B", plans=3, households=3),
        cohorts.Cohort("C", plans=2, households=2),
    )
    assert not cohorts.total_shown([big])
    assert not cohorts.total_shown([big, small])  # total − A = B
    assert cohorts.total_shown([big, small, other])
    assert cohorts.total_shown([big, cohorts.Cohort("D", plans=5, households=5)])


def test_a_single_small_group_takes_another_with_it():
    """Walk finding: per rule "Toeslag" showed 6 plans beside a hidden group, and the total of
    10 (shown per team) gave the hidden 4 away. Secondary suppression hides a second group."""
    from maatwerk.followup.cohorts import Cohort, protect

    rows = protect(
        [Cohort("Toeslag", plans=6, households=6), Cohort("Energie", plans=4, households=4)]
    )
    assert [c.small for c in rows] == [True, True]
    rows = protect(
        [
            Cohort("a", plans=9, households=9),
            Cohort("b", plans=6, households=6),
            Cohort("c", plans=4, households=4),
        ]
    )
    assert [c.small for c in rows] == [False, True, True]  # the smallest shown one goes too
    rows = protect(
        [
            Cohort("a", plans=9, households=9),
            Cohort("b", plans=3, households=3),
            Cohort("c", plans=4, households=4),
        ]
    )
    assert [c.small for c in rows] == [False, True, True]  # two hidden: nothing more needed
    rows = protect([Cohort("a", plans=9, households=9), Cohort("b", plans=6, households=6)])
    assert [c.small for c in rows] == [False, False]


def test_a_group_hidden_to_protect_another_says_so_instead_of_under_five():
    """Re-walk finding: per rule the demo showed two rows "< 5" beside "Alle plannen: 11"; one
    had 7 plans and was hidden only so the 4 could not be worked out. Saying "< 5" of it was
    untrue: it is marked protected (shown as "·" with the reason), the small one stays "< 5"."""
    from maatwerk.followup.cohorts import Cohort, protect

    seven, four = protect(
        [Cohort("Toeslag", plans=7, households=7), Cohort("Energie", plans=4, households=4)]
    )
    assert seven.small and seven.protected
    assert four.small and not four.protected
    shown = Cohort(
        "a",
        plans=9,
        measured=6,
        predicted=D("600"),
        realised=D("500"),
        households=9,
        measured_households=6,
    )
    few = Cohort(
        "b",
        plans=9,
        measured=2,
        predicted=D("200"),
        realised=D("100"),
        households=9,
        measured_households=2,
    )
    shown, few = protect([shown, few])
    assert few.euros_small and not few.euros_protected  # its own reason: 2 measured
    assert shown.euros_small and shown.euros_protected  # hidden to protect b's euros


def test_euros_are_hidden_when_fewer_than_five_plans_are_measured():
    """Walk finding: a quarter with 5 plans but 1 measured showed that one plan's realised
    euros. The euros follow the measured plans; secondary suppression as for the counts."""
    from maatwerk.followup.cohorts import Cohort, protect

    one = Cohort(
        "Q1",
        plans=5,
        measured=1,
        awaiting=4,
        predicted=D("100"),
        realised=D("90"),
        households=5,
        measured_households=1,
    )
    many = Cohort(
        "Q2",
        plans=9,
        measured=6,
        awaiting=3,
        predicted=D("600"),
        realised=D("500"),
        households=9,
        measured_households=6,
    )
    more = Cohort(
        "Q3",
        plans=9,
        measured=8,
        awaiting=1,
        predicted=D("800"),
        realised=D("700"),
        households=9,
        measured_households=8,
    )
    none = Cohort("Q4", plans=5, awaiting=5, households=5)
    rows = protect([one, many, more, none])
    assert [c.small for c in rows] == [False, False, False, False]  # counts all shown
    # Q1's euros hidden; Q2 (the smaller measured one) goes too, else total − Q3 gives Q1.
    assert [c.euros_small for c in rows] == [True, True, False, False]
    rows = protect(
        [
            Cohort("a", plans=9, measured=5, households=9, measured_households=5),
            Cohort("b", plans=9, measured=7, households=9, measured_households=7),
        ]
    )
    assert [c.euros_small for c in rows] == [False, False]
    assert Cohort("All", plans=20, measured=4, households=20, measured_households=4).euros_small


def test_the_page_and_export_hide_the_euros_of_one_measured_plan(client, org):
    plans = [approved(org, "2000", days_ago=200, case=_own_household(org)) for _ in range(5)]
    _record(
        org,
        plans[0],
        "end_of_action",
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": _start(plans[0])}],
    )
    lead = org["users"][Role.TEAM_LEAD]
    (row,), _whole = cohorts.cohorts_for(lead, cohorts.TEAM)
    assert (row.plans, row.measured, row.small, row.euros_small) == (5, 1, False, True)
    client.force_login(lead)
    body = client.get(URL, {"indeling": "kwartaal"}).content.decode()
    assert "niet getoond: minder dan 5 huishoudens gemeten" in body
    assert "<svg" not in body  # no bars for one plan's euros
    response = client.get(reverse("followup:cohorts_csv"), {"indeling": "kwartaal"})
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    (line,) = [r for r in rows[1:] if r[1] == "5"]
    assert line[8:10] == ["", ""] and "minder dan 5 huishoudens gemeten" in line[10]


def test_per_rule_every_plan_is_accounted_for_and_a_hidden_chart_is_explained(client, org):
    """Walk finding: per rule, plans without a rule row vanished (11 plans, two rows of
    "< 5", no chart and no word why)."""
    from maatwerk.followup.models import CohortRule

    plans = [approved(org, "2000") for _ in range(2)]
    CohortRule.objects.filter(figures_id=plans[1].pk).delete()  # stored without a rule row
    lead = org["users"][Role.TEAM_LEAD]
    rows, whole = cohorts.cohorts_for(lead, cohorts.RULE)
    assert whole.plans == 2
    assert sorted(r.label for r in rows) == sorted(
        [plans[0].obstacles.get().blocking_rule.name, "Geen belemmerende regel vastgelegd"]
    )
    assert sum(r.plans for r in rows) == 2
    client.force_login(lead)
    body = client.get(URL, {"indeling": "regel"}).content.decode()
    assert 'id="no-chart"' in body and "Geen grafiek" in body


def _measured_plans(org, cases):
    """One measured plan on each of `cases` (the same case more than once: more plans of one
    household)."""
    for case in cases:
        plan = approved(org, "2000", days_ago=200, case=case)
        _record(
            org,
            plan,
            "end_of_action",
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": _start(plan)}],
        )


@pytest.mark.parametrize("grouping", cohorts.GROUPINGS)
def test_five_plans_of_two_households_are_suppressed(client, org, grouping):
    """Issue 13: the small-number rule counts distinct households, not plans. Five plans of
    two households are two households to recognise: the group shows no figure."""
    first, second = _own_household(org), _own_household(org)
    _measured_plans(org, [first, first, first, second, second])
    lead = org["users"][Role.TEAM_LEAD]
    (row,), whole = cohorts.cohorts_for(lead, grouping)
    assert (row.plans, row.households, row.measured) == (5, 2, 5)
    assert row.small and row.euros_small and not row.protected
    assert whole.households == 2
    client.force_login(lead)
    body = client.get(URL, {"indeling": grouping}).content.decode()
    assert SUPPRESSED_CELL in body and "niet getoond: te weinig huishoudens" in body
    assert "<svg" not in body
    response = client.get(reverse("followup:cohorts_csv"), {"indeling": grouping})
    (line,) = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))[1:]
    assert line[1:10] == [""] * 9 and "minder dan 5 huishoudens" in line[10]


@pytest.mark.parametrize("grouping", cohorts.GROUPINGS)
def test_five_plans_of_five_households_are_shown(client, org, grouping):
    _measured_plans(org, [_own_household(org) for _ in range(5)])
    lead = org["users"][Role.TEAM_LEAD]
    (row,), _whole = cohorts.cohorts_for(lead, grouping)
    assert (row.plans, row.households, row.measured_households) == (5, 5, 5)
    assert not row.small and not row.euros_small
    client.force_login(lead)
    body = client.get(URL, {"indeling": grouping}).content.decode()
    assert SUPPRESSED_CELL not in body and "<svg" in body
    response = client.get(reverse("followup:cohorts_csv"), {"indeling": grouping})
    (line,) = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))[1:]
    assert line[1:3] == ["5", "5"] and line[10] == ""


def test_the_live_figures_count_households_as_the_stored_ones_do(org):
    """`group` and `total` (from live figures) decide on households as the page does."""
    first = _own_household(org)
    _measured_plans(org, [first, first, first, _own_household(org), _own_household(org)])
    lead = org["users"][Role.TEAM_LEAD]
    figures = cohorts.plan_figures(cohorts.cohort_team_ids(lead))
    (live,) = cohorts.group(figures, cohorts.QUARTER)
    (stored,), _whole = cohorts.cohorts_for(lead, cohorts.QUARTER)
    assert (live.plans, live.households, live.measured_households) == (5, 3, 3)
    assert (stored.plans, stored.households, stored.measured_households) == (5, 3, 3)
    assert live.small and stored.small
    assert cohorts.total(figures).households == 3


def test_a_household_in_two_quarters_counts_once_in_the_total(org):
    """Per quarter the groups' households may overlap: the total counts them over all plans
    (summing the quarters would make 2 households look like 4)."""
    first, second = _own_household(org), _own_household(org)
    for days_ago in (10, 200):
        for case in (first, second):
            approved(org, "2000", days_ago=days_ago, case=case)
    lead = org["users"][Role.TEAM_LEAD]
    rows, whole = cohorts.cohorts_for(lead, cohorts.QUARTER)
    assert [r.households for r in rows] == [2, 2]
    assert (whole.plans, whole.households) == (4, 2)


def test_measured_none_holds_counts_as_measured_not_as_unmeasured_nor_as_holding(client, org):
    """Issue 13's principle, no data apart from no effect: of seven plans of seven households,
    three measured with an outcome that holds, two measured with none of the outcomes holding,
    one not measured and one awaiting. The measured share counts the two "none holds" (5 of
    7), "outcomes that hold" does not (3), nor does "not measured" (1); their realised net is
    what the plan cost, against nothing avoided. Page, CSV and the live figures agree."""
    holding, none = [], []
    for _ in range(3):
        plan = approved(org, "2000", days_ago=200, case=_own_household(org))
        _record(
            org,
            plan,
            "end_of_action",
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": _start(plan)}],
        )
        holding.append(plan)
    for _ in range(2):
        plan = approved(org, "2000", days_ago=200, case=_own_household(org))
        commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
        decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("2000"))
        _record(org, plan, "end_of_action", measured="yes", none_holds=True)
        none.append(plan)
    unmeasured = approved(org, "2000", days_ago=200, case=_own_household(org))
    _record(org, unmeasured, "end_of_action", measured="not_measured", reason="refused")
    approved(org, "2000", days_ago=200, case=_own_household(org))  # awaiting
    lead = org["users"][Role.TEAM_LEAD]
    (row,), _whole = cohorts.cohorts_for(lead, cohorts.TEAM)
    assert (row.plans, row.measured, row.not_measured, row.awaiting) == (7, 5, 1, 1)
    assert (row.holds, row.none_holds, row.measured_share) == (3, 2, 71)
    live = {f.plan_id: f for f in cohorts.plan_figures(cohorts.cohort_team_ids(lead))}
    for plan in none:
        figures = live[plan.pk]
        assert (figures.state, figures.holds, figures.none_holds) == (
            cohorts.MEASURED,
            False,
            True,
        )
        assert figures.realised == D("-2000.00")  # nothing avoided against what was paid
    assert live[unmeasured.pk].state == cohorts.NOT_MEASURED and not live[unmeasured.pk].none_holds
    assert row.realised == sum((live[p.pk].realised for p in holding + none), D(0))
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert 'data-label="Gemeten (aandeel)">5 (71%)<' in body
    assert 'data-label="Uitkomsten die standhouden">3<' in body
    assert 'data-label="Gemeten, geen uitkomst houdt stand">2<' in body
    assert 'om-cohort-unmeasured" data-label="Niet gemeten">1<' in body
    assert "telt als gemeten, nooit als niet gemeten" in body
    response = client.get(reverse("followup:cohorts_csv"))
    header, line = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert header[6:8] == ["Uitkomsten die standhouden", "Gemeten, geen uitkomst houdt stand"]
    assert line[1:8] == ["7", "5", "71", "1", "1", "3", "2"]
