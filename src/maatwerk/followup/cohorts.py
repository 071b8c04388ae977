"""Cohorts: realised against predicted return per team, per blocking rule and per quarter of
approval (issue 13, point 5). Figures per team, rule and period, never per worker; a group
with fewer distinct households than the small-number rule allows (`core.small_numbers`, the
signals report's rule) shows no figures. The page shows counts of plans, but whether a group
may be shown is decided on its households: two plans of one household are one household.

The page sums stored figures in SQL (`models.CohortFigures` and `CohortRule`, one row per
approved plan, grouped by team, rule or quarter, and the total summed from the groups or, per
rule, in a second query): a fixed number of queries whatever the number of plans.
The stored figures are written by `services.refresh_cohort_figures` whenever what feeds them
changes, from `figures_of` below, which computes a plan's realised return with the same
function that serves the plan page (`selectors.realised_from`), so the two never disagree.
`plan_figures` computes them live (the backfill, the command `refresh_cohort_figures`)."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import roles, team_ids_for, team_scope
from maatwerk.core.small_numbers import (
    SECONDARY,
    Cell,
    inside_rule,
    is_small,
    suppress_column,
)
from maatwerk.costs.selectors import price_changes
from maatwerk.decisions.models import DecisionStep, LedgerEntry
from maatwerk.legal.models import BlockingRule
from maatwerk.plans.models import CalculationSnapshot, Plan

from . import rules, selectors
from .models import CohortFigures, CohortRule, CohortStamp, FollowUp

ZERO = Decimal("0.00")
COHORT_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# The grouping choices, by their (Dutch) GET value: ?indeling=team|regel|kwartaal.
TEAM, RULE, QUARTER = "team", "regel", "kwartaal"
GROUPINGS = (TEAM, RULE, QUARTER)

# What a plan's latest recorded follow-up says.
AWAITING, NOT_MEASURED, MEASURED = "awaiting", "not_measured", "measured"
RULE_KIND, UNCATALOGUED_KIND, NONE_KIND = "rule", "uncatalogued", "none"


def cohort_team_ids(user) -> frozenset[int]:
    """The teams whose cohorts the user sees, the way the budget pages scope: a team lead and a
    manager their own team(s), a director every team of their organisation."""
    return team_ids_for(user, COHORT_ROLES)


@dataclass(frozen=True)
class PlanFigures:
    """One approved plan as the cohorts count it (never shown on its own)."""

    plan_id: int
    team: str
    quarter: str
    rules: tuple[str, ...]
    state: str  # AWAITING, NOT_MEASURED or MEASURED
    holds: bool  # at least one outcome held six months when measured
    predicted: Decimal  # the snapshot's predicted net benefit
    realised: Decimal | None  # the realised net benefit, when measured
    approved_on: date | None = None
    team_id: int | None = None
    rule_keys: tuple[tuple[str, int | None], ...] = ()  # (kind, rule id) as CohortRule keeps
    household_id: int | None = None
    # Measured, and the worker answered that none of the outcomes holds (FollowUp.none_holds):
    # counted as measured (realised: what was paid against nothing avoided), never unmeasured.
    none_holds: bool = False


@dataclass
class Cohort:
    label: str
    plans: int = 0
    measured: int = 0
    not_measured: int = 0
    awaiting: int = 0
    holds: int = 0
    none_holds: int = 0  # measured, none of the outcomes holds (part of `measured`)
    predicted: Decimal = ZERO  # predicted net of the measured plans
    realised: Decimal = ZERO  # realised net of the same plans
    # Distinct households of the plans and of the measured plans: what decides whether the
    # counts and the euros may be shown (never displayed themselves).
    households: int = 0
    measured_households: int = 0
    ids: set[int] = field(default_factory=set, repr=False)
    household_ids: set = field(default_factory=set, repr=False)
    measured_household_ids: set = field(default_factory=set, repr=False)
    hidden: bool = False  # secondary suppression: shown, it would give a small group away
    # The euros (predicted and realised of the measured plans) hidden: fewer than 5 plans
    # measured, or shown they would give such a group's euros away (secondary suppression).
    euros_hidden: bool = False

    @property
    def empty(self) -> bool:
        """A team without approved plans (shown as such: nothing to hide in a zero)."""
        return self.plans == 0

    @property
    def small(self) -> bool:
        return self.hidden or self.too_few

    @property
    def too_few(self) -> bool:
        """Fewer distinct households than the small-number rule allows (a group of 6 plans of
        2 households is too few: its figures would be about 2 households)."""
        return self.plans > 0 and is_small(self.households)

    @property
    def protected(self) -> bool:
        """Hidden though not small itself: shown, it would give another, small group away
        (the page says so with "·" instead of "< 5", which would be untrue)."""
        return self.hidden and not self.too_few

    @property
    def euros_protected(self) -> bool:
        """Euros hidden only to protect another group's euros (enough plans measured here)."""
        return self.euros_small and not self.small and not self.too_few_measured

    @property
    def too_few_measured(self) -> bool:
        """The measured plans are of fewer distinct households than the rule allows."""
        return self.measured > 0 and is_small(self.measured_households)

    @property
    def euros_small(self) -> bool:
        """The euros may not be shown: the row is hidden, or the measured plans are of too
        few households (a row of 5 plans with 1 measured would show that one plan's realised
        return)."""
        return self.small or self.euros_hidden or self.too_few_measured

    @property
    def measured_share(self) -> int | None:
        """Measured plans as a whole percentage of the plans."""
        return round(100 * self.measured / self.plans) if self.plans else None

    @property
    def difference(self) -> Decimal:
        return self.realised - self.predicted

    def add(self, plan: PlanFigures) -> None:
        if plan.plan_id in self.ids:
            return
        self.ids.add(plan.plan_id)
        self.plans += 1
        household = plan.household_id if plan.household_id is not None else ("plan", plan.plan_id)
        self.household_ids.add(household)
        self.households = len(self.household_ids)
        if plan.state == MEASURED:
            self.measured += 1
            self.measured_household_ids.add(household)
            self.measured_households = len(self.measured_household_ids)
            self.predicted += plan.predicted
            self.realised += plan.realised or ZERO
            self.holds += plan.holds
            self.none_holds += plan.none_holds
        elif plan.state == NOT_MEASURED:
            self.not_measured += 1
        else:
            self.awaiting += 1


def quarter_label(day: date) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


def cohort_plans(team_ids) -> QuerySet[Plan]:
    """The plans of `team_ids` (`figures_of` keeps the approved ones)."""
    return Plan.objects.filter(case__team_id__in=team_ids)


def plan_figures(team_ids) -> list[PlanFigures]:
    """Per approved plan of the teams, computed live: team, quarter, rules, measured state
    and euros (the backfill and tests; the page reads the stored figures)."""
    return figures_of(cohort_plans(team_ids))


def approved_plans(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """`plans` that were approved, with their approval moment and team."""
    approvals = DecisionStep.objects.filter(
        plan=OuterRef("pk"), outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
    ).order_by("-decided_at")
    return (
        plans.filter(Exists(approvals))
        .annotate(approved_at=Subquery(approvals.values("decided_at")[:1]))
        .select_related("case__team")
        .only("id", "case__team__name", "case__team_id", "case__household_id")
        .order_by("id")
    )


def figures_of(plans: QuerySet[Plan]) -> list[PlanFigures]:
    """The cohort figures of the approved plans among `plans` (a plan without a frozen
    prediction has none), read in a fixed number of queries."""
    plans = list(approved_plans(plans))
    if not plans:
        return []
    ids = [p.pk for p in plans]
    rule_names: dict[int, list[str]] = defaultdict(list)
    rule_keys: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    through = Plan.obstacles.through.objects.filter(plan_id__in=ids).select_related(
        "obstacle__blocking_rule"
    )
    for row in through.order_by("id"):
        rule = row.obstacle.blocking_rule
        name = rule.name if rule else _("A rule not in the catalogue")
        if name not in rule_names[row.plan_id]:
            rule_names[row.plan_id].append(name)
        key = (RULE_KIND, rule.pk) if rule else (UNCATALOGUED_KIND, None)
        if key not in rule_keys[row.plan_id]:
            rule_keys[row.plan_id].append(key)
    snapshots: dict[int, dict] = {}
    for plan_id, result in (
        CalculationSnapshot.objects.filter(plan_id__in=ids)
        .order_by("plan_id", "created_at", "id")
        .values_list("plan_id", "result")
    ):
        snapshots[plan_id] = result  # the latest wins
    latest: dict[int, FollowUp] = {}
    for followup in (
        FollowUp.objects.filter(plan_id__in=ids, status=FollowUp.Status.RECORDED)
        .prefetch_related("outcomes", selectors.with_corrections())
        .order_by("plan_id", "recorded_on", "id")
    ):
        latest[followup.plan_id] = followup
    ledger_rows: dict[int, list] = defaultdict(list)
    for plan_id, *row in (
        LedgerEntry.objects.filter(plan_id__in=ids)
        .order_by("id")
        .values_list("plan_id", "id", "kind", "amount", "refers_to_id", "paid_on", "created_at")
    ):
        ledger_rows[plan_id].append(tuple(row))
    figures = []
    changes = functools.cache(price_changes)  # read once, only when a correction needs it
    for plan in plans:
        start = timezone.localdate(plan.approved_at)
        result = snapshots.get(plan.pk)
        if result is None:
            continue  # no frozen prediction: nothing to compare
        predicted = Decimal(result["net_benefit"])
        followup = latest.get(plan.pk)
        state, holds, realised_net, none_holds = AWAITING, False, None, False
        if followup is not None:
            outcomes = list(followup.outcomes.all())
            found = selectors.realised_from(
                start, result, followup, outcomes, ledger_rows[plan.pk], changes
            )
            if found is None:
                state = NOT_MEASURED
            else:
                state, realised_net = MEASURED, found.net_benefit
                holds = any(rules.holds(o.holds_since, followup.recorded_on) for o in outcomes)
                none_holds = followup.none_holds
        figures.append(
            PlanFigures(
                plan_id=plan.pk,
                team=plan.case.team.name,
                quarter=quarter_label(start),
                rules=tuple(rule_names[plan.pk]) or (_("No blocking rule recorded"),),
                state=state,
                holds=holds,
                predicted=predicted,
                realised=realised_net,
                approved_on=start,
                team_id=plan.case.team_id,
                rule_keys=tuple(rule_keys[plan.pk]) or ((NONE_KIND, None),),
                household_id=plan.case.household_id,
                none_holds=none_holds,
            )
        )
    return figures


def group(figures: list[PlanFigures], grouping: str) -> list[Cohort]:
    """The cohorts of one grouping from live figures, in label order (quarters oldest first)."""
    cohorts: dict[tuple, Cohort] = {}
    for plan in figures:
        if grouping == TEAM:
            keys = [((plan.team,), plan.team)]
        elif grouping == RULE:
            keys = [((name,), name) for name in plan.rules]
        else:
            keys = [(_quarter_key(plan.approved_on), plan.quarter)]
        for key, label in keys:
            cohorts.setdefault(key, Cohort(label)).add(plan)
    return [cohorts[k] for k in sorted(cohorts)]


def total(figures: list[PlanFigures]) -> Cohort:
    whole = Cohort(_("All plans"))
    for plan in figures:
        whole.add(plan)
    return whole


# --- the stored figures, summed in SQL ---------------------------------------------------------


def _quarter_key(day: date) -> tuple:
    return (day.year, (day.month - 1) // 3 + 1)


def _sums(prefix: str = "") -> dict:
    """The aggregates of one cohort over CohortFigures rows (`prefix` from a related model)."""
    state, pk = f"{prefix}state", f"{prefix}pk" if prefix else "pk"
    household = f"{prefix}household"
    measured = Q(**{state: MEASURED})
    return {
        "n_plans": Count(pk),
        "n_households": Count(household, distinct=True),
        "n_measured_households": Count(household, distinct=True, filter=measured),
        "n_measured": Count(pk, filter=measured),
        "n_not_measured": Count(pk, filter=Q(**{state: NOT_MEASURED})),
        "n_awaiting": Count(pk, filter=Q(**{state: AWAITING})),
        "n_holds": Count(pk, filter=measured & Q(**{f"{prefix}holds": True})),
        "n_none_holds": Count(pk, filter=measured & Q(**{f"{prefix}none_holds": True})),
        "sum_predicted": Sum(f"{prefix}predicted", filter=measured),
        "sum_realised": Sum(f"{prefix}realised", filter=measured),
    }


def _cohort(label: str, row: dict) -> Cohort:
    return Cohort(
        label,
        plans=row["n_plans"],
        measured=row["n_measured"],
        not_measured=row["n_not_measured"],
        awaiting=row["n_awaiting"],
        holds=row["n_holds"],
        none_holds=row["n_none_holds"],
        predicted=row["sum_predicted"] or ZERO,
        realised=row["sum_realised"] or ZERO,
        households=row["n_households"],
        measured_households=row["n_measured_households"],
    )


def _merge(cohort: Cohort, other: Cohort, *, disjoint: bool) -> None:
    """Add `other`'s figures to `cohort`. Distinct households add up only when no household
    can be in both (`disjoint`: two teams, as a household belongs to one team); otherwise the
    larger count is kept, never more than the true number (a group is then hidden sooner,
    never shown on households it does not have)."""
    cohort.plans += other.plans
    cohort.measured += other.measured
    cohort.not_measured += other.not_measured
    cohort.awaiting += other.awaiting
    cohort.holds += other.holds
    cohort.none_holds += other.none_holds
    cohort.predicted += other.predicted
    cohort.realised += other.realised
    if disjoint:
        cohort.households += other.households
        cohort.measured_households += other.measured_households
    else:
        cohort.households = max(cohort.households, other.households)
        cohort.measured_households = max(cohort.measured_households, other.measured_households)


def _rule_label(kind: str, name_nl: str | None, name_en: str | None) -> str:
    if kind == RULE_KIND:  # the rule's own choice of language
        return BlockingRule(name_nl=name_nl or "", name_en=name_en or "").name
    if kind == UNCATALOGUED_KIND:
        return _("A rule not in the catalogue")
    return _("No blocking rule recorded")


def stored_groups(team_ids, grouping: str) -> list[Cohort]:
    """The cohorts of one grouping from the stored figures: one GROUP BY query."""
    if grouping == RULE:
        rows = (
            CohortRule.objects.filter(figures__team_id__in=team_ids)
            .values("kind", "rule_id", "rule__name_nl", "rule__name_en")
            .order_by()
            .annotate(**_sums("figures__"))
        )
        keyed = [
            (
                (label := _rule_label(r["kind"], r["rule__name_nl"], r["rule__name_en"]),),
                label,
                r,
            )
            for r in rows
        ]
        # A plan stored without any rule row (figures written before its obstacles were
        # linked, or by an older version) counts under "no blocking rule", so that the rows
        # account for every plan instead of it vanishing.
        ruleless = (
            CohortFigures.objects.filter(team_id__in=team_ids)
            .exclude(Exists(CohortRule.objects.filter(figures_id=OuterRef("pk"))))
            .aggregate(**_sums())
        )
        if ruleless["n_plans"]:
            label = _rule_label(NONE_KIND, None, None)
            keyed.append(((label,), label, ruleless))
    else:
        figures = CohortFigures.objects.filter(team_id__in=team_ids)
        if grouping == TEAM:
            rows = figures.values("team__name").order_by().annotate(**_sums())
            keyed = [((r["team__name"],), r["team__name"], r) for r in rows]
            # A team without approved plans gets its row ("no plans") instead of vanishing.
            named = {r["team__name"] for r in rows}
            for name in Team.objects.filter(id__in=team_ids).values_list("name", flat=True):
                if name not in named:
                    keyed.append(((name,), name, None))
        else:
            rows = figures.values("year", "quarter").order_by().annotate(**_sums())
            keyed = [
                (
                    (r["year"], r["quarter"]),
                    quarter_label(date(r["year"], 3 * r["quarter"] - 2, 1)),
                    r,
                )
                for r in rows
            ]
    cohorts: dict[tuple, Cohort] = {}
    for key, label, row in keyed:
        found = Cohort(label) if row is None else _cohort(label, row)
        if key in cohorts:
            _merge(cohorts[key], found, disjoint=False)  # two catalogue rules of the same name
        else:
            cohorts[key] = found
    return [cohorts[k] for k in sorted(cohorts)]


def stored_total(team_ids) -> Cohort:
    """All the teams' plans: one aggregate query."""
    row = CohortFigures.objects.filter(team_id__in=team_ids).aggregate(**_sums())
    return _cohort(_("All plans"), row)


def protect(rows: list[Cohort]) -> list[Cohort]:
    """Secondary suppression with the signals report's one rule (`core.small_numbers`): the
    total of all plans is known (every grouping shows it), so a single small group would
    follow from it minus the others; another group is then hidden too. Teams without plans
    take no part (their zero gives nothing away)."""
    counted = [c for c in rows if not c.empty]
    if len(counted) > 1:
        table = suppress_column([Cell(households=c.households) for c in counted], inside_rule())
        for (r, _c), why in table.hidden.items():
            counted[r].hidden = counted[r].hidden or why == SECONDARY
    # The euros follow the MEASURED plans: a row's realised euros are those plans' alone (and
    # their households decide). Rows
    # without a measured plan show zero euros and give nothing away; a hidden row takes part as
    # hidden (its euros are not shown either).
    with_euros = [c for c in counted if c.measured]
    if with_euros:
        cells = [
            Cell(households=1 if c.small else c.measured_households, euros=c.realised)
            for c in with_euros
        ]
        table = suppress_column(cells, inside_rule())
        for r, _c in table.hidden_euros:
            with_euros[r].euros_hidden = True
    return rows


def total_shown(rows: list[Cohort]) -> bool:
    """Whether the total may be shown beside the groups: with more than one group, and not
    when exactly one group is suppressed (the total minus the others would give it away).
    Teams without plans do not count as groups."""
    counted = [c for c in rows if not c.empty]
    return len(counted) > 1 and sum(c.small for c in counted) != 1


def cohorts_for(user, grouping: str, team_ids=None) -> tuple[list[Cohort], Cohort]:
    """The user's cohorts in `grouping` and the total over all their plans."""
    if team_ids is None:
        team_ids = cohort_team_ids(user)
    if not team_ids:
        return [], total([])
    rows = protect(stored_groups(team_ids, grouping))
    if grouping != TEAM:
        # A plan may count under more than one rule, and one household may have plans in two
        # quarters: the total's distinct households are counted over all plans at once.
        return rows, stored_total(team_ids)
    whole = Cohort(_("All plans"))  # each plan, and each household, in exactly one team
    for row in rows:
        _merge(whole, row, disjoint=True)
    return rows, whole


# --- the cache ----------------------------------------------------------------------------------

COHORT_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Scope:
    """Whose cohorts, in which grouping, and the cache key under which they are kept."""

    user: object
    grouping: str
    team_ids: frozenset[int]
    key: str


def _teams_and_stamps(user) -> list[tuple[int, str | None]]:
    """(team id, cohort stamp or None) of the teams whose cohorts the user sees (the rule of
    `cohort_team_ids`), in one query. Plain SQL: this runs on every request of the page, also
    when all else comes from the cache, and building it through the ORM cost more CPU than
    the rest of the page's own work (issue 19's budget is 5 ms per request)."""
    team_ids, org_wide = team_scope(user, COHORT_ROLES)
    if not team_ids and not org_wide:
        return []
    teams, stamps = Team._meta.db_table, CohortStamp._meta.db_table
    where, params = [], []
    for column, values in (("id", sorted(team_ids)), ("organisation_id", sorted(org_wide))):
        if values:
            where.append(f"t.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    # Table names from the models and placeholders only: the values go as parameters.
    sql = (
        f"SELECT t.id, s.version FROM {teams} t LEFT JOIN {stamps} s ON s.team_id = t.id "  # noqa: S608
        f"WHERE {' OR '.join(where)} ORDER BY t.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def cohort_scope(user, grouping: str) -> Scope:
    """The user's scope on the cohorts and its cache key: the user's role set and teams, the
    language, the grouping and the cohort stamps of those teams (one small query for the teams
    and their stamps together; every write of the teams' stored figures, and a rename of a
    team or rule, gives a new stamp in the same transaction, `services.bump_cohort_stamps`).
    Two users share an entry only when they see the same teams with the same roles; a key
    never outlives the figures it was made from."""
    rows = _teams_and_stamps(user)
    team_ids = frozenset(pk for pk, _stamp in rows)
    scope = (
        tuple(sorted(roles(user))),
        tuple(sorted(team_ids)),
        get_language(),
        grouping,
        tuple((pk, stamp) for pk, stamp in rows if stamp is not None),
    )
    digest = hashlib.sha256(repr(scope).encode()).hexdigest()
    return Scope(user, grouping, team_ids, f"followup:cohorts:{digest}")


def cached_cohorts(scope: Scope) -> tuple[list[Cohort], Cohort]:
    """`cohorts_for` of the scope, from the cache when its key was seen before. The stamps are
    read before the figures, so an entry never holds figures older than its stamps."""
    key = f"{scope.key}:rows"
    found = cache.get(key)
    if found is None:
        found = cohorts_for(scope.user, scope.grouping, scope.team_ids)
        cache.set(key, found, COHORT_CACHE_SECONDS)
    return found
