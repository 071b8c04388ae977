"""Forgone income as a line of the tailored route (issue 8, point 4).

Some tailored routes cost by not taking money: the municipality does not reduce a benefit or
does not recover a debt. Such a line is a kind of line (not a negative amount): it counts as a
cost to its bearer in the comparison, the maatwerkbudget is never charged for it, and the plan
document shows it as forgone income.
"""

import io
from decimal import Decimal as D

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Obstacle
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import (
    Budget,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
)
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import selectors, services, triangle
from maatwerk.plans.models import LineKind, ScenarioLine

from ..factories import CaseFactory, TeamFactory, user_with_role

BENEFIT = {  # the standard route: a year of benefit
    "label": "Bijstandsuitkering",
    "amount": D("1000.00"),
    "unit": "per_month",
    "bearer": "municipality",
    "cost_type": "transfer",
    "quantity": D(1),
    "start_month": 0,
    "duration_months": 12,
    "probability": D(1),
}
PAID = {  # paid from the maatwerkbudget
    "label": "Kinderopvang",
    "amount": D("500.00"),
    "unit": "per_case",
    "bearer": "municipality",
    "cost_type": "fiscal",
    "quantity": D(1),
    "start_month": 0,
    "duration_months": None,
    "probability": D(1),
}
FORGONE = {  # the municipality does not recover a debt of € 1,200
    **PAID,
    "kind": LineKind.FORGONE_INCOME,
    "label": "Afzien van terugvordering bijzondere bijstand",
    "amount": D("1200.00"),
    "cost_type": "transfer",
}


@pytest.fixture
def org(db):
    team = TeamFactory(name="Wijkteam Zuid")
    users = {role: user_with_role(role, team) for role in Role}
    organisation = team.organisation
    MandateSetting.objects.create(organisation=organisation, role=Role.TEAM_LEAD, amount=D(5000))
    EscalationLevel.objects.create(
        organisation=organisation, position=1, role=Role.TEAM_LEAD, deadline_working_days=5
    )
    Budget.objects.create(
        organisation=organisation, team=team, year=timezone.localdate().year, amount=D(10000)
    )
    case = CaseFactory(household__team=team)
    return {"team": team, "users": users, "case": case}


def _plan(org, *, tailored, amount):
    worker = org["users"][Role.WORKER]
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    obstacle = Obstacle.objects.create(
        case=org["case"], blocking_rule=rule, applied_by="tax_allowances", effect="Verrekend."
    )
    plan = services.create_plan(
        worker,
        org["case"],
        [obstacle],
        solution="Kinderopvang betalen en de schuld niet terugvorderen.",
        solution_kind="payment_of_cost",
        amount_requested=amount,
        form="payment",
        payee="Kinderopvang De Vlinder",
    )
    services.record_agreement(
        worker,
        plan,
        resident_words="Dan kan ik blijven werken.",
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="in_person",
    )
    provision = selectors.suggested_provisions(plan)[0]
    services.set_provisions(worker, plan, [(provision, "Geeft ruimte voor maatwerk.")])
    services.set_scenarios(worker, plan, standard=[BENEFIT], tailored=tailored)
    return selectors.plan_detail(worker, plan.pk)


def test_a_forgone_line_is_stored_as_its_kind_not_as_a_negative_amount(org):
    plan = _plan(org, tailored=[PAID, FORGONE], amount=D(500))
    forgone = ScenarioLine.objects.get(plan=plan, kind=LineKind.FORGONE_INCOME)
    assert forgone.amount == D("1200.00") and forgone.is_forgone
    assert ScenarioLine.objects.get(plan=plan, label="Kinderopvang").kind == LineKind.COST


def test_the_calculation_counts_forgone_income_as_a_cost_to_its_bearer(org):
    plan = _plan(org, tailored=[PAID, FORGONE], amount=D(500))
    tri, outcome, problems = selectors.assess(org["users"][Role.WORKER], plan)
    assert tri.complete and not problems
    assert outcome.result.tailored.total == D("1700.00")
    municipality = next(r for r in outcome.result.budget_view if r.bearer == "municipality")
    assert municipality.tailored == D("1700.00")
    assert selectors.forgone_total(org["users"][Role.WORKER], plan) == D("1200.00")


def test_a_tailored_route_of_forgone_income_only_asks_nothing_of_the_budget(org):
    worker = org["users"][Role.WORKER]
    plan = _plan(org, tailored=[FORGONE], amount=D(1200))
    with pytest.raises(ValidationError) as refused:
        services.submit(worker, plan)
    assert "maatwerkbudget" in " ".join(refused.value.message_dict["return"])

    services.update_solution(worker, plan, amount_requested=None)
    tri, _outcome, _problems = selectors.assess(worker, selectors.plan_detail(worker, plan.pk))
    assert tri.complete


def test_triangle_flags_an_amount_on_a_forgone_only_route():
    data = triangle.TriangleInput(
        standard_lines=1,
        tailored_lines=1,
        calculation_ok=True,
        tailored_forgone_only=True,
        amount_requested=D(1),
    )
    assert triangle.FORGONE_FROM_BUDGET in triangle.assess(data).corner(triangle.RETURN).missing
    ok = triangle.TriangleInput(standard_lines=1, tailored_lines=1, calculation_ok=True)
    assert not triangle.assess(ok).corner(triangle.RETURN).missing


def test_the_ledger_commits_the_payment_not_the_forgone_income(org):
    worker, lead = org["users"][Role.WORKER], org["users"][Role.TEAM_LEAD]
    plan = _plan(org, tailored=[PAID, FORGONE], amount=D(500))
    decisions.submit_plan(worker, plan)
    decisions.approve(lead, plan)
    entries = list(LedgerEntry.objects.filter(plan_id=plan.pk))
    assert [(e.kind, e.amount) for e in entries] == [("commitment", D("500.00"))]


def test_the_plan_document_and_pdf_show_forgone_income(client, org):
    worker = org["users"][Role.WORKER]
    plan = _plan(org, tailored=[PAID, FORGONE], amount=D(500))
    client.force_login(worker)
    page = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "gederfde inkomsten" in page.lower()
    assert "€\u00a01.200,00" in page
    assert "niet uit het maatwerkbudget" in page
    pdf = client.get(reverse("plans:document_pdf", args=[plan.pk]))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())  # the line tables' narrow columns wrap the descriptions
    assert "gederfde inkomsten" in text.lower()
    assert "Afzien van terugvordering" in text


def test_the_api_takes_and_returns_the_kind_of_line(client, org):
    worker = org["users"][Role.WORKER]
    plan = _plan(org, tailored=[PAID], amount=D(500))
    client.force_login(worker)
    line = {k: str(v) if isinstance(v, D) else v for k, v in FORGONE.items()}
    line["unit"] = "per_event"
    response = client.patch(
        reverse("plan-detail", args=[plan.pk]),
        {"tailored": [line]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    (tailored,) = response.json()["tailored"]
    assert tailored["kind"] == "forgone_income"
    response = client.patch(
        reverse("plan-detail", args=[plan.pk]),
        {"tailored": [{**line, "kind": "negative"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kind" in str(response.json())
    assert ScenarioLine.objects.get(plan=plan, scenario="tailored").is_forgone
