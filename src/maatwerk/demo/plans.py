"""A complete tailored plan (all three corners of the value triangle) built through the
services, for the demo data and for tests that need a submittable plan quickly."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from maatwerk.cases import services as case_services
from maatwerk.costs.models import CostItem
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan
from maatwerk.plans.selectors import suggested_provisions

RULE_CODE = "TOESLAG-VERREKEND"  # the allowance offset against a (tax) debt


# A plan without money: the ex-partner's registration on the address is corrected.
BRP_RULE_CODE = "BRP-INSCHRIJVING"
BRP_CORRECTION = {
    "rule_code": BRP_RULE_CODE,
    "effect": "De ex-partner staat nog op haar adres ingeschreven; haar toeslagen zijn gestopt.",
    "solution": "Burgerzaken schrijft de ex-partner uit op dit adres, zonder het gebruikelijke "
    "onderzoek van acht weken af te wachten.",
    "tailored_label": "Uren Burgerzaken voor het versnelde onderzoek",
    "tailored_cost": Decimal("150"),
}


def complete_plan(
    worker,
    case,
    amount: Decimal | str,
    *,
    payee: str = "",
    rule_code: str = RULE_CODE,
    effect: str = "De kinderopvangtoeslag wordt verrekend met een oude belastingschuld.",
    solution: str = "De gemeente betaalt de kinderopvang, zodat zij kan blijven werken.",
    tailored_label: str = "Kinderopvang betalen",
    tailored_cost: Decimal | None = None,
) -> Plan:
    """A draft plan for `case` with a complete triangle, asking for `amount` (not submitted).

    By default the childcare plan; with ``**BRP_CORRECTION`` and amount 0 a plan without money.
    """
    obstacle = case_services.add_obstacle(
        actor=worker,
        case=case,
        blocking_rule=BlockingRule.objects.get(code=rule_code),
        effect=effect,
    )
    amount = Decimal(amount)
    money = {"form": Plan.Form.PAYMENT, "payee": payee or "Kinderopvang De Vlinder"}
    plan = plan_services.create_plan(
        worker,
        case,
        [obstacle],
        solution=solution,
        by_whom=case.team.name,
        amount_requested=amount,
        **(money if amount > 0 else {}),
    )
    provision = suggested_provisions(plan)[0]
    plan_services.set_provisions(
        worker, plan, [(provision, "Dit artikel geeft ruimte om af te wijken in deze situatie.")]
    )
    plan_services.record_agreement(
        worker,
        plan,
        resident_words="Als de opvang betaald wordt, kan ik blijven werken.",
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="in_person",
    )
    line = {"quantity": Decimal(1), "start_month": 0, "probability": Decimal(1)}
    plan_services.set_scenarios(
        worker,
        plan,
        standard=[
            {
                **line,
                "cost_item_id": CostItem.objects.get(code="PW-NORM-1P").pk,
                "duration_months": 12,
            }
        ],
        tailored=[
            {
                **line,
                "label": tailored_label,
                "amount": tailored_cost if tailored_cost is not None else amount,
                "unit": "per_event",
                "bearer": "municipality",
                "cost_type": "fiscal",
            }
        ],
        discount_rate=Decimal(0),
    )
    return plan
