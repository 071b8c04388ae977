"""Cohorts: realised against predicted return per team, per blocking rule and per quarter of
approval (issue 13, point 5). Figures per team, rule and period, never per worker; a group
with fewer plans than the small-number rule allows (`core.small_numbers`) shows no figures.

Read in a fixed number of queries whatever the number of plans: the plans (with their team
and approval day), their blocking rules, snapshots, recorded follow-ups with outcomes and
ledger rows are each read once, and the realised return per plan is computed in Python by the
same function that serves the plan page (`selectors.realised_from`)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import team_ids_for
from maatwerk.core.small_numbers import is_small
from maatwerk.costs.selectors import price_changes
from maatwerk.decisions.models import DecisionStep, LedgerEntry
from maatwerk.plans.models import CalculationSnapshot, Plan

from . import rules, selectors
from .models import FollowUp

ZERO = Decimal("0.00")
COHORT_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# The grouping choices, by their (Dutch) GET value: ?indeling=team|regel|kwartaal.
TEAM, RULE, QUARTER = "team", "regel", "kwartaal"
GROUPINGS = (TEAM, RULE, QUARTER)

# What a plan's latest recorded follow-up says.
AWAITING, NOT_MEASURED, MEASURED = "awaiting", "not_measured", "measured"


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


@dataclass
class Cohort:
    label: str
    plans: int = 0
    measured: int = 0
    not_measured: int = 0
    awaiting: int = 0
    holds: int = 0
    predicted: Decimal = ZERO  # predicted net of the measured plans
    realised: Decimal = ZERO  # realised net of the same plans
    ids: set[int] = field(default_factory=set, repr=False)

    @property
    def small(self) -> bool:
        return is_small(self.plans)

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
        if plan.state == MEASURED:
            self.measured += 1
            self.predicted += plan.predicted
            self.realised += plan.realised or ZERO
            self.holds += plan.holds
        elif plan.state == NOT_MEASURED:
            self.not_measured += 1
        else:
            self.awaiting += 1


def quarter_label(day: date) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


def cohort_plans(team_ids) -> QuerySet[Plan]:
    """The approved plans of `team_ids`, with their team and approval moment."""
    approvals = DecisionStep.objects.filter(
        plan=OuterRef("pk"), outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
    ).order_by("-decided_at")
    return (
        Plan.objects.filter(case__team_id__in=team_ids)
        .filter(Exists(approvals))
        .annotate(approved_at=Subquery(approvals.values("decided_at")[:1]))
        .select_related("case__team")
        .only("id", "case__team__name", "case__team_id")
        .order_by("id")
    )


def plan_figures(team_ids) -> list[PlanFigures]:
    """Per approved plan of the teams: team, quarter, rules, measured state and euros."""
    plans = list(cohort_plans(team_ids))
    if not plans:
        return []
    ids = [p.pk for p in plans]
    rule_names: dict[int, list[str]] = defaultdict(list)
    through = Plan.obstacles.through.objects.filter(plan_id__in=ids).select_related(
        "obstacle__blocking_rule"
    )
    for row in through.order_by("id"):
        rule = row.obstacle.blocking_rule
        name = rule.name if rule else _("A rule not in the catalogue")
        if name not in rule_names[row.plan_id]:
            rule_names[row.plan_id].append(name)
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
        state, holds, realised_net = AWAITING, False, None
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
            )
        )
    return figures


def group(figures: list[PlanFigures], grouping: str) -> list[Cohort]:
    """The cohorts of one grouping, in label order (quarters oldest first), with a total last
    when there is more than one."""
    cohorts: dict[tuple, Cohort] = {}
    for plan in figures:
        if grouping == TEAM:
            keys = [((plan.team,), plan.team)]
        elif grouping == RULE:
            keys = [((name,), name) for name in plan.rules]
        else:
            year_q = plan.quarter
            keys = [((year_q.split()[-1], year_q), year_q)]
        for key, label in keys:
            cohorts.setdefault(key, Cohort(label)).add(plan)
    return [cohorts[k] for k in sorted(cohorts)]


def total(figures: list[PlanFigures]) -> Cohort:
    whole = Cohort(_("All plans"))
    for plan in figures:
        whole.add(plan)
    return whole


def total_shown(rows: list[Cohort]) -> bool:
    """Whether the total may be shown beside the groups: with more than one group, and not
    when exactly one group is suppressed (the total minus the others would give it away)."""
    return len(rows) > 1 and sum(c.small for c in rows) != 1


def cohorts_for(user, grouping: str) -> tuple[list[Cohort], Cohort]:
    """The user's cohorts in `grouping` and the total over all their plans."""
    team_ids = cohort_team_ids(user)
    figures = plan_figures(team_ids) if team_ids else []
    return group(figures, grouping), total(figures)
