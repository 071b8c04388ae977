"""Reads of the signal report (issue 14, point 1), with the access rule applied here.

Who sees it: a policy analyst the teams of their organisation(s), a director every team of
their organisation, a manager and a team lead their own team(s) — the figures are aggregates
(no case, no name, no free text), suppressed by `core.small_numbers`, so reading them is no
read of personal data.

A fixed number of queries whatever the number of obstacles: the obstacles of the period, the
plans for them (with their approval and their latest calculation's route totals), the
realised return of approved plans (through the cohorts' reading), and the names of the rules,
teams and organisations that appear.

Reads of the learning loop, with the access rules applied.

System signals (this part): the policy roles (policy analyst, team lead, manager, director) see
every signal of their organisation; a worker sees the signals that an obstacle of one of their
team's cases fed. No signal read shows case data: a signal carries a rule, an owner, a status and
counts; which cases fed it stays on the case pages of their own team.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team, User
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, memberships, team_ids_for
from maatwerk.cases.models import Case, Obstacle
from maatwerk.cases.selectors import writable_team_ids
from maatwerk.core.choices import SolutionKind
from maatwerk.core.small_numbers import Rule, inside_rule, is_small
from maatwerk.decisions.models import DecisionStep
from maatwerk.followup.models import CohortFigures
from maatwerk.legal.models import BlockingRule, BlockingRuleRevision
from maatwerk.plans.models import CalculationSnapshot, Plan

from . import counts, report
from .models import OPEN_STATUSES, Contribution, Signal, SignalEvent, SignalFeed, Status

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


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a few hundred thousand tuples are made: they hold
    no cycles, but every 700 new objects start a collection that walks the young ones, and the
    older generations ever more often as the list grows (≈ 0.25 s of CPU for an
    organisation's year of 145,000 obstacles, more than making the tuples themselves). Restored
    as it was afterwards; nothing is lost, cycles are collected at the next pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def facts(team_ids, period: report.Period):
    """(obstacle facts, plan facts) of the teams' obstacles recorded in the period."""
    with _no_cycle_collection():
        return _facts(team_ids, period)


def _facts(team_ids, period: report.Period):
    # One table, read from the index on (team, created at) that carries the other columns:
    # the team, organisation, household and neighbourhood are copied onto the obstacle when it
    # is written (cases.grouping), so no join to 1,000,000 obstacles' cases and households.
    obstacles = Obstacle.objects.filter(
        team_id__in=team_ids,
        created_at__gte=_aware(period.start),
        created_at__lt=_aware(period.end),
    )
    rows = obstacles.values_list(
        "id",
        "household_id",
        "team_id",
        "organisation_id",
        "neighbourhood_code",
        "blocking_rule_id",
    ).order_by()
    # The columns are ObstacleFact's fields in order: a row becomes a fact as it is (`_make`,
    # no keyword call per row: ≈ 145,000 rows for an organisation's year); only an obstacle of
    # a newly described rule (no rule id) or without a neighbourhood needs its own tuple.
    make, new_rule = report.ObstacleFact._make, report.NEW_RULE
    obstacle_facts = [
        make(row)
        if row[5] is not None and row[4] is not None
        else make((*row[:4], row[4] or "", new_rule if row[5] is None else row[5]))
        for row in rows
    ]
    # In the order of the obstacles (the facts' order decides ties in the suppression, so it
    # must not depend on the plan PostgreSQL picks); sorted here, by the unique id first, rather
    # than by PostgreSQL, which spills a year's sort to disk and cannot answer from the index.
    # (A key on the id: comparing named tuples takes Python's slow path, ≈ 3 × the time.)
    obstacle_facts.sort(key=itemgetter(0))
    # The plans' links to those obstacles: the links of the teams' plans (a plan's obstacles
    # are its case's), kept when the obstacle is one of the period's. Filtering the link table
    # by the obstacle query instead scans the obstacles again (PostgreSQL plans a sequential
    # scan of all of them: ≈ 0.2–0.3 s at 1,000,000 obstacles).
    in_period = {o.obstacle for o in obstacle_facts}
    links = Plan.obstacles.through.objects.filter(plan__case__team_id__in=team_ids)
    plan_obstacles: dict[int, list[int]] = {}
    for plan_id, obstacle_id in links.values_list("plan_id", "obstacle_id").order_by("id"):
        if obstacle_id in in_period:
            plan_obstacles.setdefault(plan_id, []).append(obstacle_id)
    if not plan_obstacles:
        return obstacle_facts, []
    approvals = DecisionStep.objects.filter(
        plan=OuterRef("pk"), outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
    )
    latest = CalculationSnapshot.objects.filter(plan=OuterRef("pk")).order_by("-created_at", "-id")
    # The plans of `plan_obstacles`, selected in SQL by the same condition (a link to one of
    # the teams' obstacles of the period) rather than by a list of their ids: Django prepares
    # every value of an `id__in` list one by one (≈ 0.15 s of CPU for 10,000 ids in a year).
    linked = Plan.obstacles.through.objects.filter(
        plan=OuterRef("pk"),
        obstacle__team_id__in=team_ids,
        obstacle__created_at__gte=_aware(period.start),
        obstacle__created_at__lt=_aware(period.end),
    )
    plans = (
        Plan.objects.filter(Exists(linked), case__team_id__in=team_ids)
        .annotate(
            approved=Exists(approvals),
            # As text (KT): the totals are stored as strings; no JSON decoding per plan.
            standard_total=Subquery(
                latest.annotate(v=KT("result__standard__total")).values("v")[:1]
            ),
            tailored_total=Subquery(
                latest.annotate(v=KT("result__tailored__total")).values("v")[:1]
            ),
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
    approved = {row[0] for row in plan_rows if row[3]}
    if approved:
        # The realised net benefit as the cohorts count it, from their stored row per approved
        # plan (`followup.CohortFigures`, kept by the follow-up services), not recomputed; read
        # for the teams' plans (no list of ids, as above) and kept for the approved ones.
        realised = {
            plan_id: value
            for plan_id, value in CohortFigures.objects.filter(
                plan__case__team_id__in=team_ids, state=CohortFigures.State.MEASURED
            ).values_list("plan_id", "realised")
            if plan_id in approved
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
    pk: int | None = None  # the regelbank rule (None for the newly described rules)
    signal: Signal | None = None  # its open signal in the user's organisation, if any
    code: str = ""  # the regelbank code (the national export's key)


def rule_labels(keys) -> dict:
    ids = [k for k in keys if k != report.NEW_RULE]
    labels = {
        r.pk: RuleLabel(
            name=r.name,
            pk=r.pk,
            code=r.code,
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
        # The name a team gave the area where one is known (the page adds the code in small
        # print), else the CBS code.
        from maatwerk.accounts.models import TeamArea

        names = {}
        for code, name in TeamArea.objects.filter(code__in=[g for g in groups if g]).values_list(
            "code", "name"
        ):
            if name:
                names.setdefault(code, name)
        return {g: names.get(g) or g or _("No neighbourhood code") for g in groups}
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


SIGNAL_ROLES = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# Roles that raise a signal from a rule (the report's row, the regelbank's rule page).
RAISE_ROLES = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD})
# Roles that read the signal pages at all (workers: only those their team's obstacles fed).
READ_ROLES = SIGNAL_ROLES | {Role.WORKER}


# Roles whose start page has the card of their organisation's open signals: those who follow
# the organisation's signals as policy (a team lead follows them from the report and the rule).
START_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR})


def signal_organisation_ids(user: User, wanted=SIGNAL_ROLES) -> frozenset[int]:
    """Organisations whose signals the user follows with one of `wanted` roles."""
    return frozenset(m.organisation_id for m in memberships(user) if m.role in wanted)


def _fed_by_team(team_ids) -> Q:
    fed = SignalFeed.objects.filter(signal=OuterRef("pk"), obstacle__case__team_id__in=team_ids)
    return Q(Exists(fed))


def visible_signals(user: User) -> QuerySet[Signal]:
    """The signals the user may see: their organisation's (policy roles), or those fed by an
    obstacle of their team's cases (workers)."""
    orgs = signal_organisation_ids(user)
    teams = case_team_ids(user)
    if not orgs and not teams:
        return Signal.objects.none()
    condition = Q(organisation_id__in=orgs)
    if teams:
        condition |= _fed_by_team(teams)
    return Signal.objects.filter(condition)


def signal_list(user: User) -> list[Signal]:
    """Open signals first (soonest deadline first), then the closed ones, newest first."""
    rows = list(
        visible_signals(user)
        .select_related("blocking_rule", "organisation")
        .annotate(feed_count=Count("feeds"))
    )
    open_rows = sorted(
        (s for s in rows if s.is_open), key=lambda s: (s.deadline, -s.raised_at.timestamp())
    )
    closed = sorted((s for s in rows if not s.is_open), key=lambda s: s.raised_at, reverse=True)
    return open_rows + closed


def signal_detail(user: User, pk: int) -> Signal:
    """Raises Signal.DoesNotExist for a signal the user may not see (views answer 404)."""
    return (
        visible_signals(user)
        .select_related("blocking_rule", "organisation", "raised_by")
        .prefetch_related(
            Prefetch("events", queryset=SignalEvent.objects.select_related("actor")),
            Prefetch("contributions", queryset=Contribution.objects.select_related("author")),
        )
        .get(pk=pk)
    )


def may_move(user: User, signal: Signal) -> bool:
    """Policy roles of the signal's organisation record what the owner answered."""
    return signal.organisation_id in signal_organisation_ids(user)


def may_contribute(user: User, signal: Signal) -> bool:
    """Workers and team leads whose team's obstacles fed the signal add what they know."""
    teams = writable_team_ids(user)
    return bool(teams) and signal.feeds.filter(obstacle__case__team_id__in=teams).exists()


def may_raise_from_rule(user: User) -> bool:
    return bool(signal_organisation_ids(user, RAISE_ROLES))


def raising_organisation_id(user: User) -> int | None:
    """The organisation a signal raised from a rule belongs to (the raiser's)."""
    orgs = sorted(signal_organisation_ids(user, RAISE_ROLES))
    return orgs[0] if orgs else None


def open_signal_for_rule(user: User, rule: BlockingRule) -> Signal | None:
    """The open signal on `rule` the user may see (the regelbank's rule page shows it)."""
    return (
        visible_signals(user)
        .filter(blocking_rule=rule, status__in=sorted(OPEN_STATUSES))
        .order_by("raised_at")
        .first()
    )


def open_signals(user: User, today: date, limit: int = 5) -> tuple[list[Signal], int]:
    """The open signals of the organisation(s) where the user holds one of `START_ROLES`,
    overdue first, then the soonest deadline; at most `limit` of them, and how many are open in
    all (the start page's card). Anyone else gets none: the access rule lives here."""
    orgs = signal_organisation_ids(user, START_ROLES)
    if not orgs:
        return [], 0
    rows = Signal.objects.filter(organisation_id__in=orgs, status__in=sorted(OPEN_STATUSES))
    total = rows.count()
    shown = list(rows.select_related("blocking_rule").order_by("deadline", "raised_at")[:limit])
    return shown, total


def open_signals_by_rule(user: User) -> dict[int, Signal]:
    """Rule id → its open signal in the user's organisation (for the report's rows)."""
    rows = visible_signals(user).filter(
        blocking_rule__isnull=False, status__in=sorted(OPEN_STATUSES)
    )
    return {s.blocking_rule_id: s for s in rows.order_by("-raised_at")}


def latest_signal_for_rule(user: User, rule: BlockingRule) -> Signal | None:
    """The rule's open signal, or else its most recent closed one."""
    return open_signal_for_rule(user, rule) or (
        visible_signals(user).filter(blocking_rule=rule).order_by("-raised_at", "-id").first()
    )


def obstacle_signals(user: User, case: Case) -> dict[int, dict]:
    """Per obstacle of a case the user reads: the signal it fed (`fed`), or the open signal of
    its rule it may join (`open`), and whether the user may raise or join (`may_write`)."""
    if case.team_id not in case_team_ids(user):
        return {}
    may_write = case.team_id in writable_team_ids(user)
    result: dict[int, dict] = {}
    feeds = SignalFeed.objects.filter(obstacle__case=case).select_related("signal")
    for feed in feeds.order_by("-signal__raised_at"):
        result.setdefault(feed.obstacle_id, {"fed": feed.signal, "open": None})
    rule_ids = {
        o.blocking_rule_id
        for o in case.obstacles.all()
        if o.blocking_rule_id and o.pk not in result
    }
    open_by_rule = {
        s.blocking_rule_id: s
        for s in Signal.objects.filter(
            organisation_id=case.team.organisation_id,
            blocking_rule_id__in=rule_ids,
            status__in=sorted(OPEN_STATUSES),
        )
    }
    for o in case.obstacles.all():
        row = result.setdefault(o.pk, {"fed": None, "open": None})
        if row["fed"] is None and o.blocking_rule_id:
            row["open"] = open_by_rule.get(o.blocking_rule_id)
        row["may_write"] = may_write
    return result


def obstacle_for_signal(user: User, pk: int) -> Obstacle:
    """An obstacle of a case the user writes, to raise or join a signal from it (404 else)."""
    return (
        Obstacle.objects.filter(case__team_id__in=writable_team_ids(user))
        .select_related("blocking_rule", "case__team")
        .get(pk=pk)
    )


def feed_households(signal: Signal) -> int | None:
    """Distinct households whose obstacles fed the signal; None when small ("< 5")."""
    n = (
        SignalFeed.objects.filter(signal=signal)
        .values("obstacle__case__household_id")
        .distinct()
        .count()
    )
    return None if is_small(n) else n


def rule_version_revision(signal: Signal) -> BlockingRuleRevision | None:
    """The regelbank revision that holds the rule change of a "rule changed" signal."""
    if signal.blocking_rule_id is None or signal.changed_version is None:
        return None
    return BlockingRuleRevision.objects.filter(
        rule_id=signal.blocking_rule_id, version=signal.changed_version
    ).first()


def before_after_counts(signal: Signal, today: date) -> list[counts.QuarterCount] | None:
    """Households meeting the rule per quarter, before and after its change (in the signal's
    organisation); None when the signal has no changed regelbank rule."""
    if signal.status != Status.RULE_CHANGED or signal.blocking_rule_id is None:
        return None
    if signal.changed_on is None:
        return None
    first = counts.shift(counts.quarter_of(signal.changed_on), -4)
    since = date(first[0], (first[1] - 1) * 3 + 1, 1)
    rows = Obstacle.objects.filter(
        blocking_rule_id=signal.blocking_rule_id,
        case__team__organisation_id=signal.organisation_id,
        created_at__date__gte=since,
    ).values_list("created_at", "case__household_id")
    return counts.before_after(
        ((timezone.localtime(created).date(), household) for created, household in rows),
        signal.changed_on,
        today,
    )


# --- collective patterns and the public page (issue 14, point 5) ----------------------------


def pattern_facts(team_ids, period: report.Period) -> list:
    """One fact per obstacle of the teams recorded in the period and life domain of its case
    (two queries: the obstacles, the life domains of their cases)."""
    from maatwerk.cases.models import CaseLifeDomain

    from . import patterns

    rows = list(
        Obstacle.objects.filter(  # the obstacle's own team and household (cases.grouping)
            team_id__in=team_ids,
            created_at__gte=_aware(period.start),
            created_at__lt=_aware(period.end),
        )
        .values_list("case_id", "household_id", "neighbourhood_code", "blocking_rule_id")
        .order_by("id")
    )
    domains: dict[int, list[str]] = {}
    for case_id, domain in CaseLifeDomain.objects.filter(
        case_id__in={r[0] for r in rows}
    ).values_list("case_id", "domain"):
        domains.setdefault(case_id, []).append(domain)
    return [
        fact
        for case_id, household, code, rule in rows
        for fact in patterns.facts_for(household, code or "", domains.get(case_id, ()), rule)
    ]


def collective_patterns(user, period: report.Period):
    """The user's collective patterns for `period` under the inside rule (the report's teams)."""
    from . import patterns

    team_ids = report_team_ids(user)
    if not team_ids:
        return patterns.build([], inside_rule())
    # The cells the report hides per neighbourhood for the same teams and period: a pattern
    # inside one would give part of it away (walk finding: the report hid a rule by secondary
    # suppression while the patterns page showed 6 of its households).
    grid = signal_report(user, period, breakdown="wijk").grid
    withheld = frozenset(k for k, n in grid.cells.items() if n is None) if grid else frozenset()
    return patterns.build(pattern_facts(team_ids, period), inside_rule(), withheld)


def report_organisation_ids(user) -> frozenset[int]:
    """The organisations whose collective approaches the user follows (the report's roles)."""
    return signal_organisation_ids(user, REPORT_ROLES)


def visible_approaches(user):
    """Collective approaches of the user's organisation(s) (no personal data in them)."""
    from maatwerk.decisions import selectors as decisions

    return decisions.collective_approaches(report_organisation_ids(user))


def public_period(today: date) -> report.Period:
    """The public page's period: the last full calendar year."""
    return report.Period(today.year - 1)


def public_report(organisation, period: report.Period) -> report.Report:
    """The organisation's report under the OUTSIDE rule (≥ 10 households, counts rounded to 5,
    euros under the dominance rule, secondary suppression): what may leave the organisation."""
    from maatwerk.core.small_numbers import outside_rule

    team_ids = list(Team.objects.filter(organisation=organisation).values_list("id", flat=True))
    obstacle_facts, plan_facts = facts(team_ids, period) if team_ids else ([], [])
    return report.build(obstacle_facts, plan_facts, outside_rule())


def public_organisations(user) -> list:
    """The organisations whose public page the report links (the user's, by name)."""
    from maatwerk.accounts.models import Organisation

    return list(Organisation.objects.filter(id__in=report_organisation_ids(user)).order_by("name"))


# --- The national picture (issue 14, point 6) ------------------------------------------------


def export_organisations(user) -> list:
    """The organisations whose national export the user may download: those they hold a
    policy role in (policy analyst, manager, director), by name."""
    from maatwerk.accounts.models import Organisation

    ids = {m.organisation_id for m in memberships(user) if m.role in POLICY_ROLES}
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def national_periods() -> list[str]:
    """The periods with imported national figures, newest first (years before quarters)."""
    from .models import NationalImport

    keys = set(NationalImport.objects.values_list("period", flat=True))
    return sorted(keys, key=lambda k: (k[:4], "-" not in k, k), reverse=True)


def national_report(period: str):
    """(the merged figures, the imports) of one period: two queries."""
    from . import national
    from .models import NationalFigure, NationalImport

    imports = list(NationalImport.objects.filter(period=period).order_by("organisation"))
    by_source: dict[int, list[dict]] = {i.pk: [] for i in imports}
    for f in NationalFigure.objects.filter(source__period=period).order_by("source_id", "id"):
        by_source[f.source_id].append(
            {
                "rule_code": f.rule_code or None,
                "rule_name": f.rule_name,
                "law": f.law,
                "suppressed": f.suppressed,
                "households": f.households,
                "plans": f.plans,
                "approved": f.approved,
                "standard_eur": f.standard_eur,
                "tailored_eur": f.tailored_eur,
                "realised_eur": f.realised_eur,
            }
        )
    merged = national.merge((i.organisation, by_source[i.pk]) for i in imports)
    return merged, imports
