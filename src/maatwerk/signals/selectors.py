"""Reads of the learning loop, with the access rules applied.

System signals (this part): the policy roles (policy analyst, team lead, manager, director) see
every signal of their organisation; a worker sees the signals that an obstacle of one of their
team's cases fed. No signal read shows case data: a signal carries a rule, an owner, a status and
counts; which cases fed it stays on the case pages of their own team.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from maatwerk.accounts.models import User
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, memberships
from maatwerk.cases.models import Case, Obstacle
from maatwerk.cases.selectors import writable_team_ids
from maatwerk.core.small_numbers import is_small
from maatwerk.legal.models import BlockingRule, BlockingRuleRevision

from . import counts
from .models import OPEN_STATUSES, Contribution, Signal, SignalEvent, SignalFeed, Status

# Roles that see, raise from a rule, and move the signals of their organisation.
SIGNAL_ROLES = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# Roles that raise a signal from a rule (the report's row, the regelbank's rule page).
RAISE_ROLES = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD})
# Roles that read the signal pages at all (workers: only those their team's obstacles fed).
READ_ROLES = SIGNAL_ROLES | {Role.WORKER}


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


def before_after_counts(signal: Signal, today: datetime.date) -> list[counts.QuarterCount] | None:
    """Households meeting the rule per quarter, before and after its change (in the signal's
    organisation); None when the signal has no changed regelbank rule."""
    if signal.status != Status.RULE_CHANGED or signal.blocking_rule_id is None:
        return None
    if signal.changed_on is None:
        return None
    first = counts.shift(counts.quarter_of(signal.changed_on), -4)
    since = datetime.date(first[0], (first[1] - 1) * 3 + 1, 1)
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
