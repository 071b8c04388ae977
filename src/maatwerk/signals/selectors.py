"""Reads of the signal report (issue 14, point 1), with the access rule applied here.

Who sees it: a policy analyst the teams of their organisation(s), a director every team of
their organisation, a manager and a team lead their own team(s) — the figures are aggregates
(no case, no name, no free text), suppressed by `core.small_numbers`, so reading them is no
read of personal data.

A fixed number of queries whatever the number of obstacles: the obstacles of the period, the
plans for them (with their approval and their latest calculation's route totals), the
realised return of approved plans (through the cohorts' reading), and the names of the rules,
teams and organisations that appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import memberships, team_ids_for
from maatwerk.cases.models import Obstacle
from maatwerk.core.choices import SolutionKind
from maatwerk.core.small_numbers import Rule, inside_rule
from maatwerk.decisions.models import DecisionStep
from maatwerk.followup import cohorts
from maatwerk.legal.models import BlockingRule
from maatwerk.plans.models import CalculationSnapshot, Plan

from . import report

REPORT_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR, Role.TEAM_LEAD})
POLICY_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR})  # the API


def report_team_ids(user) -> frozenset[int]:
    """The teams whose obstacles the user's report counts."""
    teams = set(team_ids_for(user, {Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}))
    orgs = {m.organisation_id for m in memberships(user) if m.role == Role.POLICY_ANALYST}
    if orgs:
        teams |= set(Team.objects.filter(organisation_id__in=orgs).values_list("id", flat=True))
    return frozenset(teams)


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def facts(team_ids, period: report.Period):
    """(obstacle facts, plan facts) of the teams' obstacles recorded in the period."""
    obstacles = Obstacle.objects.filter(
        case__team_id__in=team_ids,
        created_at__gte=_aware(period.start),
        created_at__lt=_aware(period.end),
    )
    obstacle_facts = [
        report.ObstacleFact(
            obstacle=pk,
            household=household,
            team=team,
            organisation=organisation,
            neighbourhood=neighbourhood or "",
            rule=rule if rule is not None else report.NEW_RULE,
        )
        for pk, household, team, organisation, neighbourhood, rule in obstacles.values_list(
            "id",
            "case__household_id",
            "case__team_id",
            "case__team__organisation_id",
            "case__household__neighbourhood_code",
            "blocking_rule_id",
        ).order_by("id")
    ]
    links = Plan.obstacles.through.objects.filter(obstacle__in=obstacles)
    plan_obstacles: dict[int, list[int]] = {}
    for plan_id, obstacle_id in links.values_list("plan_id", "obstacle_id").order_by("id"):
        plan_obstacles.setdefault(plan_id, []).append(obstacle_id)
    approvals = DecisionStep.objects.filter(
        plan=OuterRef("pk"), outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
    )
    latest = CalculationSnapshot.objects.filter(plan=OuterRef("pk")).order_by("-created_at", "-id")
    plans = (
        Plan.objects.filter(id__in=links.values("plan_id"))
        .annotate(
            approved=Exists(approvals),
            standard_total=Subquery(latest.values("result__standard__total")[:1]),
            tailored_total=Subquery(latest.values("result__tailored__total")[:1]),
        )
        .values_list(
            "id",
            "case__household_id",
            "solution_kind",
            "approved",
            "standard_total",
            "tailored_total",
        )
        .order_by("id")
    )
    plan_rows = list(plans)
    realised = {}
    if any(row[3] for row in plan_rows):
        wanted = {row[0] for row in plan_rows}
        realised = {
            f.plan_id: f.realised
            for f in cohorts.plan_figures(team_ids)
            if f.plan_id in wanted and f.state == cohorts.MEASURED
        }
    plan_facts = [
        report.PlanFact(
            plan=pk,
            household=household,
            obstacles=tuple(plan_obstacles.get(pk, ())),
            kind=kind or report.NO_KIND,
            approved=bool(approved),
            standard=_money(standard),
            tailored=_money(tailored),
            realised=realised.get(pk),
        )
        for pk, household, kind, approved, standard, tailored in plan_rows
    ]
    return obstacle_facts, plan_facts


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value).strip('"'))


@dataclass
class RuleLabel:
    name: str
    law: str  # the law and article the rule rests on, "" when not recorded
    new: bool = False


def rule_labels(keys) -> dict:
    ids = [k for k in keys if k != report.NEW_RULE]
    labels = {
        r.pk: RuleLabel(
            name=r.name,
            law=(
                f"{r.basis_provision.law.code} {r.basis_provision.article}"
                if r.basis_provision_id
                else ""
            ),
        )
        for r in BlockingRule.objects.filter(id__in=ids).select_related("basis_provision__law")
    }
    labels[report.NEW_RULE] = RuleLabel(name=_("Newly described rules"), law="", new=True)
    return labels


def kind_labels() -> dict:
    return {**dict(SolutionKind.choices), report.NO_KIND: _("Kind not recorded")}


def group_labels(breakdown: str, groups) -> dict:
    if breakdown == "wijk":
        return {g: g or _("No neighbourhood code") for g in groups}
    if breakdown == "team":
        return dict(Team.objects.filter(id__in=groups).values_list("id", "name"))
    from maatwerk.accounts.models import Organisation

    return dict(Organisation.objects.filter(id__in=groups).values_list("id", "name"))


def signal_report(
    user, period: report.Period, *, breakdown: str | None = None, rule: Rule | None = None
) -> report.Report:
    """The user's report for `period` under `rule` (the inside rule by default)."""
    team_ids = report_team_ids(user)
    obstacle_facts, plan_facts = facts(team_ids, period) if team_ids else ([], [])
    return report.build(obstacle_facts, plan_facts, rule or inside_rule(), breakdown)
