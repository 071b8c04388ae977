"""Demo system signals (issue 14, point 3), made through the signal services as people do:

- the worker says "dit komt vaker voor" on DEMO-0001's childcare-allowance offset; the policy
  analyst records that the Landelijk Maatwerkloket acknowledged it and studies it; the worker
  adds what they know. It shows on the case page, the rule page and the signal list.
- the team lead raised a signal on the kostendelersnorm three weeks ago, addressed to Werk en
  Inkomen; nobody acknowledged it yet, so it is overdue.

Each step runs on a back-dated clock (`demo.plans.clock`), so the day it was raised, its status
"since" day and its history lines tell the same story (walk 14: "nieuw sinds 8 november" but
"Gemeld 29 november").

Idempotent: nothing is added when the organisation has signals already."""

import datetime
from decimal import Decimal

from django.utils import timezone

from maatwerk.cases.models import Obstacle
from maatwerk.demo.plans import clock
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import services
from maatwerk.signals.models import Signal, Status


def load_signals(worker, team_lead, analyst) -> None:
    if Signal.objects.filter(organisation=worker.organisation).exists():
        return
    today = timezone.localdate()
    obstacle = (
        Obstacle.objects.filter(
            case__household__reference="DEMO-0001", blocking_rule__code="TOESLAG-VERREKEND"
        )
        .order_by("pk")
        .first()
    )
    if obstacle is not None:
        raised_on = today - datetime.timedelta(days=40)
        acknowledged_on = raised_on + datetime.timedelta(days=6)
        studied_on = raised_on + datetime.timedelta(days=20)
        with clock(raised_on):
            signal = services.raise_signal(
                worker,
                obstacle=obstacle,
                title="Verrekening van toeslag met oude schuld duwt ouders uit hun werk",
                summary="Bij ouders die weer gaan werken wordt de kinderopvangtoeslag verrekend "
                "met een oude belastingschuld. Zij stoppen dan met werken, zodat de bijstand "
                "doorloopt.",
                owner_kind="national",
                today=raised_on,
            )
        with clock(acknowledged_on):
            services.transition(analyst, signal, Status.ACKNOWLEDGED, today=acknowledged_on)
        with clock(studied_on):
            services.transition(
                analyst,
                signal,
                Status.UNDER_STUDY,
                note="Het Landelijk Maatwerkloket legt het voor aan Toeslagen.",
                today=studied_on,
            )
        with clock(studied_on + datetime.timedelta(days=2)):
            services.add_contribution(
                worker,
                signal,
                "Ik zie het vooral bij alleenstaande ouders met een schuld van vóór 2020.",
            )
    rule = BlockingRule.objects.filter(code="KOSTENDELERSNORM").first()
    if rule is not None:
        raised_on = today - datetime.timedelta(days=21)
        with clock(raised_on):
            services.raise_signal(
                team_lead,
                rule=rule,
                title="Kostendelersnorm ontmoedigt opvang van een volwassen kind",
                summary="Ouders in de bijstand nemen een volwassen kind zonder woning niet op, "
                "omdat hun uitkering dan daalt. Het kind raakt dakloos.",
                owner_kind="department",
                owner_name="Werk en Inkomen",
                today=raised_on,
            )


def load_collective_approach(team_lead) -> None:
    """The team lead marked the toeslag offset in Wadwijk-Noord for a group activity with a
    budget of € 1.500 on the team's budget, chose to show it on the public page, and recorded a
    first meeting that cost € 250.
    Idempotent: nothing is added when the organisation has a collective approach already."""
    from maatwerk.decisions import services as decisions
    from maatwerk.decisions.models import CollectiveApproach
    from maatwerk.decisions.selectors import led_teams

    teams = led_teams(team_lead)
    if not teams or CollectiveApproach.objects.filter(team__in=teams).exists():
        return
    team = teams[0]
    area = team.areas.order_by("code").first()
    rule = BlockingRule.objects.filter(code="TOESLAG-VERREKEND").first()
    try:
        approach = decisions.start_collective_approach(
            team_lead,
            team=team,
            name="Inloopspreekuur toeslagen en schulden",
            kind=CollectiveApproach.Kind.GROUP_ACTIVITY,
            neighbourhood_code=area.code if area else "",
            life_domain="income",
            blocking_rule=rule,
            amount=Decimal("1500"),
            public=True,
        )
    except decisions.DecisionError:  # no budget this year: the approach without money
        approach = decisions.start_collective_approach(
            team_lead,
            team=team,
            name="Inloopspreekuur toeslagen en schulden",
            kind=CollectiveApproach.Kind.GROUP_ACTIVITY,
            neighbourhood_code=area.code if area else "",
            life_domain="income",
            blocking_rule=rule,
            public=True,
        )
        amount = None
    else:
        amount = Decimal("250")
    decisions.record_collective_activity(
        team_lead,
        approach,
        day=timezone.localdate(),
        note="Eerste inloopspreekuur in het buurthuis, met de Belastingtelefoon.",
        status=CollectiveApproach.Status.RUNNING,
        amount=amount,
        payee="Buurthuis De Wadden",
    )


PATTERN_EFFECT = "Toeslag verrekend met een oude schuld; het huishouden komt niet rond."
PATTERN_HOUSEHOLDS = 6
SECOND_RULE_EFFECT = "Zonder inschrijving in de BRP stopt de uitkering en komt er geen post."
SECOND_RULE_RESIDENTS = [("Mila", "Jansen", 27), ("Daan", "Vos", 48)]
PATTERN_RESIDENTS = [
    ("Sanne", "Visser", 34),
    ("Ahmed", "Bakker", 41),
    ("Lotte", "Smit", 29),
    ("Kees", "Mulder", 52),
    ("Noor", "de Boer", 38),
    ("Ruben", "Dekker", 45),
]


def load_pattern(worker) -> None:
    """A collective pattern the team lead can act on: this year, the worker records the
    toeslag offset in the income domain for six households of one neighbourhood of
    Wadwijk-Noord (the one of the demo's collective approach), so the patterns page shows a
    row of at least 5 households with a "start a collective approach" link.
    Idempotent: nothing is added when these obstacles exist already."""
    from maatwerk.cases import services as case_services
    from maatwerk.cases.models import Case, CaseLifeDomain, Household, Resident

    if Obstacle.objects.filter(effect=PATTERN_EFFECT).exists():
        return
    rule = BlockingRule.objects.filter(code="TOESLAG-VERREKEND").first()
    membership = worker.memberships.filter(team__name="Wijkteam Wadwijk-Noord").first()
    if rule is None or membership is None:
        return
    area = membership.team.areas.order_by("code").first()
    # The demo plans keep their own obstacles: a case that has this rule this year already
    # counts as it is (given the income domain); DEMO-0001 (one obstacle) and an energy case
    # (the energy rule only) get no new one.
    this_year = timezone.localdate().replace(month=1, day=1)
    households = 0
    cases = Case.objects.filter(
        team=membership.team,
        household__neighbourhood_code=area.code if area else "",
        household__reference__regex=r"^DEMO-[0-9]{4}$",
    ).order_by("household__reference")
    for case in cases:
        if households >= PATTERN_HOUSEHOLDS:
            break
        has_rule = case.obstacles.filter(
            blocking_rule=rule, created_at__date__gte=this_year
        ).exists()
        if not has_rule:
            if case.household.reference == "DEMO-0001" or case.title.startswith(
                "Energieleverancier"
            ):
                continue
            if case.obstacles.filter(blocking_rule=rule).exists():
                continue  # each rule once per case
            case_services.add_obstacle(
                actor=worker, case=case, blocking_rule=rule, effect=PATTERN_EFFECT
            )
        CaseLifeDomain.objects.get_or_create(case=case, domain="income")
        households += 1
    # The eight demo households of Wadwijk-Noord cannot carry it alone: a few more households
    # of the neighbourhood whose toeslag was offset this year (DEMO-Pnnn).
    today = timezone.localdate()

    def household_with_obstacle(reference, person, title, domain, blocking_rule, effect, days):
        first, last, age = person
        household, _new = Household.objects.get_or_create(
            reference=reference,
            defaults={"team": membership.team, "neighbourhood_code": area.code if area else ""},
        )
        Resident.objects.get_or_create(
            household=household,
            is_contact=True,
            defaults={
                "first_name": first,
                "last_name": last,
                "birth_date": today - datetime.timedelta(days=age * 365),
            },
        )
        case = Case.objects.create(
            household=household,
            team=membership.team,
            title=title,
            goal="Rondkomen zonder nieuwe achterstanden.",
            first_step="Samen nagaan wat er vastloopt en bij wie.",
            opened_on=today - datetime.timedelta(days=days),
        )
        case.assigned_workers.add(worker)
        CaseLifeDomain.objects.create(case=case, domain=domain)
        case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=blocking_rule, effect=effect
        )

    for n, person in enumerate(PATTERN_RESIDENTS, start=1):
        if households >= PATTERN_HOUSEHOLDS:
            break
        household_with_obstacle(
            f"DEMO-P{n:03d}",
            person,
            "Toeslag verrekend met oude schuld; vaste lasten niet te betalen",
            "income",
            rule,
            PATTERN_EFFECT,
            10 * n,
        )
        households += 1
    # Re-walk 14: the neighbourhood's other rules this year were one household each (the
    # energy rule, the BRP registration), so the report's neighbourhood column gave both away
    # from its total once the toeslag cell was shown, and secondary suppression hid the toeslag
    # cell — and with it the pattern. Two more households whose BRP registration blocks them,
    # as happens in any neighbourhood, make the small cells 1 and 3: their sum no longer tells
    # either, so the report legitimately shows the toeslag cell and the pattern appears.
    brp = BlockingRule.objects.filter(code="BRP-INSCHRIJVING").first()
    if brp is not None:
        for n, person in enumerate(SECOND_RULE_RESIDENTS, start=1):
            household_with_obstacle(
                f"DEMO-Q{n:03d}",
                person,
                "Geen briefadres; uitkering en post lopen vast",
                "housing",
                brp,
                SECOND_RULE_EFFECT,
                15 * n,
            )
