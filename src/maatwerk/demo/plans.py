"""A complete tailored plan (all three corners of the value triangle) built through the
services, for the demo data and for tests that need a submittable plan quickly."""

from __future__ import annotations

import contextlib
import itertools
from decimal import Decimal

from django.utils import timezone

from maatwerk.cases import services as case_services
from maatwerk.core.choices import SolutionKind
from maatwerk.costs.models import CostItem
from maatwerk.legal.models import BlockingRule, Provision
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

RULE_CODE = "TOESLAG-VERREKEND"  # the allowance offset against a (tax) debt

# Each demo situation's plan, built from the seeded catalogues only: the blocking rule, the
# provisions from the regelbank with the worker's own reason why each applies here, the
# resident's words, and both routes (standard lines are catalogue items; the tailored route is
# what the plan asks for). Standard lines: (cost item code, label, quantity, months or None).

# The working single mother whose childcare allowance is offset against an old tax debt: without
# the allowance she cannot pay the childcare and must stop working (the design's own example).
CHILDCARE = {
    "rule_code": RULE_CODE,
    "effect": "De kinderopvangtoeslag wordt verrekend met een oude belastingschuld; zonder "
    "toeslag kan zij de opvang niet betalen en moet zij stoppen met werken.",
    "solution": "De gemeente betaalt de kinderopvang, zodat zij kan blijven werken.",
    "solution_kind": SolutionKind.PAYMENT_OF_COST,
    "tailored_label": "Kinderopvang betalen",
    "payee": "Kinderopvang De Vlinder",
    "resident_words": "Als de opvang betaald wordt, kan ik blijven werken.",
    "provisions": (
        (
            "TOESLAG-VERREKENING",
            "Haar kinderopvangtoeslag wordt verrekend met een oude belastingschuld. Verrekenen "
            "is een bevoegdheid van Toeslagen, geen plicht: wij vragen Toeslagen de verrekening "
            "te stoppen; tot dan betaalt de gemeente de opvang.",
        ),
        (
            "PW-35",
            "De opvang is een noodzakelijke kostenpost: zonder opvang verliest zij haar baan. "
            "De verrekening is een bijzondere omstandigheid, dus bijzondere bijstand kan de "
            "opvang betalen.",
        ),
    ),
    "standard": (
        ("PW-NORM-1P", "Bijstand nadat zij stopt met werken (norm alleenstaande ouder)", 1, 12),
    ),
}

# A young family whose energy supplier threatens to cut them off in the winter for arrears.
ENERGY_DISCONNECTION = {
    "rule_code": "ENERGIE-AFSLUITING",
    "effect": "De energieleverancier dreigt af te sluiten wegens een achterstand.",
    "solution_kind": SolutionKind.PAYMENT_OF_COST,
    "solution": "De gemeente betaalt de achterstand aan de energieleverancier, zodat het gezin "
    "de winter warm doorkomt.",
    "tailored_label": "Energieachterstand betalen",
    "payee": "Energieleverancier",
    "resident_words": "Als het gas en de stroom aan blijven, kunnen de kinderen deze winter "
    "warm thuis slapen.",
    "provisions": (
        (
            "ENERGIE-AFSLUIT",
            "Het gezin is aangemeld bij schuldhulpverlening en er wonen jonge kinderen. De "
            "leverancier mag alleen afsluiten onder de voorwaarden van de Energieregeling, die "
            "kwetsbare afnemers beschermt. Met de betaalde achterstand is de dreiging weg.",
        ),
        (
            "PW-35",
            "De achterstand is een noodzakelijke kostenpost uit een bijzondere omstandigheid "
            "(afsluiting in de winter met jonge kinderen): bijzondere bijstand kan die betalen.",
        ),
    ),
    "standard": (
        ("DEURW-DAGVAARDING", "De leverancier laat de deurwaarder dagvaarden", 1, None),
        ("GRIFFIE-NP-KLEIN", "Griffierecht voor de rechtszaak over de achterstand", 1, None),
        ("SCHULD-PROBL", "De achterstand groeit uit tot problematische schulden", 1, 12),
    ),
}

# A plan without money: the ex-partner's registration on the address is corrected.
BRP_RULE_CODE = "BRP-INSCHRIJVING"
BRP_CORRECTION = {
    "rule_code": BRP_RULE_CODE,
    "effect": "De ex-partner staat nog op haar adres ingeschreven; haar toeslagen zijn gestopt.",
    "solution_kind": SolutionKind.PROCEDURE_SPED_UP,
    "solution": "Burgerzaken schrijft de ex-partner uit op dit adres, zonder het gebruikelijke "
    "onderzoek van acht weken af te wachten.",
    "tailored_label": "Uren Burgerzaken voor het versnelde onderzoek",
    "tailored_cost": Decimal("150"),
    "resident_words": "Hij woont hier al maanden niet meer. Ik wil gewoon mijn eigen toeslagen "
    "terug.",
    "provisions": (
        (
            "BRP-BRIEFADRES",
            "De ex-partner woont hier niet meer en geeft geen nieuw adres op. Heeft hij geen "
            "woonadres, dan kiest hij een briefadres, desnoods bij een organisatie die de "
            "gemeente daarvoor heeft aangewezen; dan staat hij niet meer op haar adres en krijgt "
            "zij haar eigen toeslagen weer.",
        ),
    ),
    "standard": (
        (
            "SW-CONTACT",
            "Acht weken onderzoek: elke week contact met maatschappelijk werk over de gevolgen",
            8,
            None,
        ),
    ),
    # Nothing is asked of the maatwerkbudget, though the route costs the municipality hours.
    "amount_reason": "De uren van Burgerzaken vallen binnen de eigen formatie; er wordt niets "
    "uit het maatwerkbudget betaald.",
}


def complete_plan(
    worker,
    case,
    amount: Decimal | str,
    *,
    payee: str = CHILDCARE["payee"],
    rule_code: str = CHILDCARE["rule_code"],
    effect: str = CHILDCARE["effect"],
    solution: str = CHILDCARE["solution"],
    solution_kind: str = CHILDCARE["solution_kind"],
    tailored_label: str = CHILDCARE["tailored_label"],
    tailored_cost: Decimal | None = None,
    resident_words: str = CHILDCARE["resident_words"],
    provisions: tuple[tuple[str, str], ...] = CHILDCARE["provisions"],
    standard: tuple[tuple[str, str, int, int | None], ...] = CHILDCARE["standard"],
    amount_reason: str = "",
) -> Plan:
    """A draft plan for `case` with a complete triangle, asking for `amount` (not submitted).

    By default the childcare plan; with ``**ENERGY_DISCONNECTION`` the energy plan, with
    ``**BRP_CORRECTION`` and amount 0 a plan without money.
    """
    rule = BlockingRule.objects.get(code=rule_code)
    # A second plan for the same rule on this case solves the same obstacle: one knelpunt, not
    # the same rule listed again.
    obstacle = case.obstacles.filter(blocking_rule=rule).order_by("pk").first()
    if obstacle is None:
        obstacle = case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=rule, effect=effect
        )
    amount = Decimal(amount)
    money = {"form": Plan.Form.PAYMENT, "payee": payee}
    plan = plan_services.create_plan(
        worker,
        case,
        [obstacle],
        solution=solution,
        solution_kind=solution_kind,
        by_whom=case.team.name,
        amount_requested=amount,
        amount_reason=amount_reason,
        **(money if amount > 0 else {}),
    )
    by_code = Provision.objects.in_bulk([code for code, _why in provisions], field_name="code")
    plan_services.set_provisions(worker, plan, [(by_code[code], why) for code, why in provisions])
    plan_services.record_agreement(
        worker,
        plan,
        resident_words=resident_words,
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="in_person",
    )
    line = {"start_month": 0, "probability": Decimal(1)}
    items = {code: CostItem.objects.get(code=code) for code, *_rest in standard}
    plan_services.set_scenarios(
        worker,
        plan,
        standard=[
            {
                **line,
                "cost_item_id": items[code].pk,
                "label": label,
                "quantity": Decimal(quantity),
                "duration_months": months,
            }
            for code, label, quantity, months in standard
        ],
        tailored=[
            {
                **line,
                "quantity": Decimal(1),
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


# A plan that fits the case: the demo situation's title (its start) gives the plan.
PLAN_FOR_SITUATION = {
    "Kinderopvangtoeslag": CHILDCARE,
    "Energieleverancier": ENERGY_DISCONNECTION,
    "Ex-partner": BRP_CORRECTION,
}


def plan_for(case) -> dict:
    """The complete_plan arguments that fit `case`'s situation (the childcare plan's for a
    situation without a plan of its own)."""
    return next(
        (kw for start, kw in PLAN_FOR_SITUATION.items() if case.title.startswith(start)), {}
    )


# One plan in each state of the lifecycle, besides the approved and waiting ones on DEMO-0001:
# (state, amount). The team lead decides (all fit the team lead's mandate) and pays. With fewer
# cases than plans a case gets a second one: the finished plans come first, so the newest plan
# of each case (the one the case list shows) is the one that asks for work.
LIFECYCLE_PLANS = (
    ("closed", "900"),
    ("paid", "800"),
    ("draft", "700"),
    ("submitted", "1200"),
    ("rejected", "2400"),
    ("withdrawn", "650"),
    ("partly_paid", "1500"),
)
REJECTION = "Vraag eerst bijzondere bijstand aan: dat is een voorliggende voorziening."


def lifecycle_plans(worker, team_lead, cases) -> list[Plan]:
    """A plan in every state of the lifecycle on `cases` (in turn), made through the services
    a worker's and a team lead's clicks call."""
    from maatwerk.decisions import services as decisions  # demo sits above decisions

    made = []
    for (state, amount), case in zip(LIFECYCLE_PLANS, itertools.cycle(cases), strict=False):
        plan = complete_plan(worker, case, amount, **plan_for(case))
        made.append(plan)
        if state == "draft":
            continue
        decisions.submit_plan(worker, plan)  # routes the plan to its first decision step
        if state == "submitted":
            continue
        if state == "withdrawn":
            decisions.withdraw(worker, plan, reason="De situatie is veranderd.")
            continue
        if state == "rejected":
            decisions.reject(team_lead, plan, REJECTION)
            continue
        decisions.approve(team_lead, plan, reason="Past binnen het maatwerkbudget.")
        commitment = plan.ledger.get(kind="commitment")
        paid = Decimal(amount) if state in ("paid", "closed") else Decimal(amount) / 2
        decisions.record_payment(team_lead, commitment, paid)
        if state == "closed":
            plan.refresh_from_db()
            plan_services.close(worker, plan, "Betaald en afgerond.")
    return made


# Plans approved in one quarter more than a year ago and followed up at every moment, so the
# pay-off page (followup cohorts) shows figures for the demo team and that quarter instead of
# "< 5": (amount, days into the quarter, the outcome at each recorded moment). An outcome is
# (code, months after the approval since when it holds) or a reason it was not measured; None
# leaves the moment unrecorded (overdue: on the worker's task list, escalated to the lead).
IN_WORK = ("still_in_work", 0)
FOLLOWED_UP_PLANS = (
    ("900", 5, (IN_WORK, IN_WORK, IN_WORK)),
    ("1200", 15, (IN_WORK, IN_WORK, IN_WORK)),
    ("750", 25, (("eviction_prevented", 0), ("eviction_prevented", 0), ("eviction_prevented", 0))),
    ("1500", 35, ("no_contact", ("still_in_work", 4), ("still_in_work", 4))),
    ("1100", 45, (IN_WORK, "moved", "moved")),
    ("950", 55, (IN_WORK, IN_WORK, None)),
)
# Three more plans of the same team, each of a household of its own, approved on the first day
# of the current quarter with their end-of-action follow-up recorded: with the demo's other
# approved plans the current quarter then holds five households (the pay-off page hides a group
# of fewer, and with one group hidden secondary suppression hides the other quarter too).
THIS_QUARTER_PLANS = (
    ("1000", 0, (IN_WORK, None, None)),
    ("850", 0, (IN_WORK, None, None)),
    ("1250", 0, (IN_WORK, None, None)),
)


@contextlib.contextmanager
def clock(day):
    """A back-dated clock for the demo: `timezone.now()` (and so `localdate()`, auto_now
    fields and the services' own checks) reads 10:00 on `day` within the block."""
    from datetime import datetime, time
    from unittest import mock

    at = timezone.make_aware(datetime.combine(day, time(10)))
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield at


def followed_up_plans(worker, team_lead, cases, today) -> list[Plan]:
    """The FOLLOWED_UP_PLANS on `cases` (in turn), through the services with back-dated
    clocks: made, submitted, approved, paid and carried out on a day in the quarter 15 months
    ago, each follow-up recorded on its due day; then THIS_QUARTER_PLANS the same way on the
    first day of the current quarter."""
    from datetime import timedelta

    from maatwerk.cases.models import Case
    from maatwerk.decisions import services as decisions
    from maatwerk.decisions.models import Budget
    from maatwerk.followup import rules
    from maatwerk.followup import services as followup
    from maatwerk.followup.models import FollowUp

    def start_of_quarter(day):
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)

    back = start_of_quarter(rules.add_months(today, -15))
    plans = [(back, *p) for p in FOLLOWED_UP_PLANS]
    plans.extend((start_of_quarter(today), *p) for p in THIS_QUARTER_PLANS)
    made = []
    for (quarter_start, amount, days, answers), case in zip(
        plans, itertools.cycle(cases), strict=False
    ):
        day = quarter_start + timedelta(days=days)
        Budget.objects.get_or_create(
            organisation=case.team.organisation,
            team=case.team,
            year=day.year,
            defaults={"amount": Decimal("25000")},
        )
        with clock(day):
            plan = complete_plan(worker, case, amount, **plan_for(case))
            decisions.submit_plan(worker, plan)
            decisions.approve(team_lead, plan, reason="Past binnen het maatwerkbudget.")
            followup.mark_carried_out(worker, plan, day)
            commitment = plan.ledger.get(kind="commitment")
            decisions.record_payment(team_lead, commitment, Decimal(amount))
            # The household was stuck before the plan: its obstacles and case date from the
            # same back-dated day, so the signal report of that period counts them too.
            plan.obstacles.filter(created_at__gt=timezone.now()).update(created_at=timezone.now())
        Case.objects.filter(pk=case.pk, opened_on__gt=day).update(opened_on=day)
        moments = FollowUp.objects.filter(plan=plan).order_by("due_on")
        for moment, answer in zip(moments, answers, strict=True):
            if answer is None:
                continue
            if isinstance(answer, str):
                kwargs = {"measured": "not_measured", "reason": answer}
            else:
                code, months = answer
                since = rules.add_months(day, months)
                kwargs = {"measured": "yes", "outcomes": [{"code": code, "holds_since": since}]}
            with clock(moment.due_on):
                followup.record(worker, moment, **kwargs)
        made.append(plan)
    return made
