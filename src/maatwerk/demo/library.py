"""Demo examples for the library of good examples: proposed from decided demo plans through
the library's services (so they are de-identified and audited like real ones), approved by the
team lead and one waiting for review. One plan gives one example: a story whose rule has no
free decided plan left is skipped (the demo's one energy plan, rejected, tells what we learned;
the energy success story needs a second energy plan)."""

from maatwerk.library import selectors, services
from maatwerk.library.models import Example
from maatwerk.plans import lifecycle
from maatwerk.plans.models import Plan

CHILDCARE, ENERGY = "TOESLAG-VERREKEND", "ENERGIE-AFSLUITING"
# (rule code of the plan it comes from, title, story, lessons, approved)
STORIES = [
    (
        CHILDCARE,
        "Kinderopvang betaald, zodat ze kon blijven werken",
        "Een alleenstaande moeder met twee jonge kinderen had net werk gevonden. De toeslag "
        "voor kinderopvang werd verrekend met een oude schuld, waardoor ze de opvang niet kon "
        "betalen en moest stoppen met werken. Het wijkteam betaalde de opvang uit het "
        "maatwerkbudget, in overleg met de afdeling Werk en Inkomen. Zij bleef werken en de "
        "bijstand hoefde niet opnieuw te starten.",
        "Vraag bij een nieuwe baan meteen naar schulden bij Toeslagen: de verrekening komt "
        "pas weken later en dan is het bijna te laat.",
        True,
    ),
    (
        ENERGY,
        "Energieschuld: afgewezen, en wat we ervan leren",
        "Het wijkteam vroeg de energieachterstand te betalen, maar het plan werd afgewezen: "
        "de onderbouwing van de kosten van een afsluiting ontbrak. Later is het opnieuw "
        "ingediend met de kosten van herstel en tijdelijke opvang erbij.",
        "Het werkte niet meteen: we hadden de kosten van de gewone route niet op een rij. "
        "Reken beide routes door voordat je indient; dat overtuigt meer dan het verhaal alleen.",
        True,
    ),
    (
        ENERGY,
        "Afsluiting van energie voorkomen door de achterstand te betalen",
        "Een gezin stond op het punt afgesloten te worden van gas en stroom. De "
        "energieleverancier wilde geen regeling meer. Met een eenmalige betaling uit het "
        "maatwerkbudget bleef de verwarming aan en kon het gezin schuldhulp starten.",
        "",
        True,
    ),
    (
        CHILDCARE,
        "Opvang overbrugd tot de toeslag weer liep",
        "Na een verhuizing stopte de kinderopvangtoeslag door een verrekening. Het wijkteam "
        "betaalde drie maanden opvang, tot de toeslag na bezwaar weer werd uitbetaald.",
        "Dien het bezwaar bij Toeslagen tegelijk in; dan is de overbrugging kort.",
        True,
    ),
    (
        CHILDCARE,
        "Kinderopvang tijdens een re-integratietraject",
        "Een vader kon een traject naar werk alleen volgen met opvang voor zijn dochter. De "
        "toeslag werd verrekend met een schuld; het wijkteam betaalde de opvang tijdens het "
        "traject.",
        "",
        False,
    ),
]


def load_library(worker, team_lead) -> None:
    """Idempotent: nothing happens once the library holds an example. DEMO-0001's plans stay
    free, so a demo user can propose an example from them."""
    if Example.objects.exists():
        return
    plans = (
        Plan.objects.filter(case__team=_team_of(worker), status__in=lifecycle.DECIDED)
        .exclude(case__household__reference="DEMO-0001")
        .select_related("case__team")
        .order_by("pk")
    )
    by_rule: dict[str, list[Plan]] = {}
    for plan in plans:
        for obstacle in plan.obstacles.all():
            if obstacle.blocking_rule_id:
                by_rule.setdefault(obstacle.blocking_rule.code, []).append(plan)
    for n, (rule, title, story, lessons, approve) in enumerate(STORIES):
        candidates = by_rule.get(rule)
        if not candidates:
            continue
        # One plan gives one example: the next plan of the rule that has none yet.
        free = [p for p in candidates if selectors.open_example_of_plan(p) is None]
        if not free:
            continue
        plan = free[n % len(free)]
        example = services.propose_example(plan, worker, title, story, lessons)
        example = services.submit_example(example, worker)
        if approve:
            services.approve_example(example, team_lead)


def _team_of(user):
    return user.memberships.exclude(team=None).first().team
