"""Reads for the privacy officer. Every function returns nothing for anyone else."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, When
from django.db.models.functions import Cast, ExtractHour
from django.utils import timezone

from maatwerk.accounts.models import Membership, User
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Case
from maatwerk.plans.models import Plan

from . import rules

# Reads that open one household's file: a case, or a plan (which belongs to one case).
CASE_READS = ("cases.case", "plans.plan")


def thresholds() -> rules.Thresholds:
    return rules.Thresholds(**settings.MAATWERK_PRIVACY_THRESHOLDS)


@dataclass(frozen=True)
class UnusualReader:
    user: User
    teams: list[str]
    flag: rules.Flag


def _reads(org_ids, since):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW,
        occurred_at__gte=since,
        organisation_id__in=org_ids,
        actor__isnull=False,
    )


def _outside_case_counts(org_ids, since) -> dict[int, int]:
    """Per user: distinct cases read whose team is not one of the user's teams."""
    plan_case = Plan.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField())).values(
        "case_id"
    )[:1]
    case_key = When_(
        When(object_type="cases.case", then=Cast("object_id", IntegerField())),
        default=Subquery(plan_case),
        output_field=IntegerField(),
    )
    case_team = Case.objects.filter(pk=OuterRef("case_key")).values("team_id")[:1]
    own_team = Membership.objects.filter(user_id=OuterRef("actor_id"), team_id=OuterRef("team"))
    rows = (
        _reads(org_ids, since)
        .filter(object_type__in=CASE_READS)
        .annotate(case_key=case_key)
        .annotate(team=Subquery(case_team))
        .filter(case_key__isnull=False, team__isnull=False)
        .exclude(Exists(own_team))
        .order_by()
        .values("actor_id")
        .annotate(n=Count("case_key", distinct=True))
    )
    return {row["actor_id"]: row["n"] for row in rows}


def _night_counts(org_ids, since, t: rules.Thresholds) -> dict[int, int]:
    hours = rules.night_hours(t)
    if not hours:
        return {}
    rows = (
        _reads(org_ids, since)
        .annotate(hour=ExtractHour("occurred_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .filter(hour__in=hours)
        .order_by()
        .values("actor_id")
        .annotate(n=Count("id"))
    )
    return {row["actor_id"]: row["n"] for row in rows}


def unusual_readers(user, t: rules.Thresholds | None = None) -> list[UnusualReader]:
    """Users of the officer's organisation(s) above a threshold in the period; [] for others."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        return []
    t = t or thresholds()
    org_ids = organisation_ids(user)
    since = timezone.now() - timedelta(days=t.days)
    outside = _outside_case_counts(org_ids, since)
    night = _night_counts(org_ids, since, t)
    reads = [
        rules.Reads(uid, outside.get(uid, 0), night.get(uid, 0))
        for uid in set(outside) | set(night)
    ]
    flagged = rules.flags(reads, t)
    users = User.objects.in_bulk([f.user_id for f in flagged])
    teams: dict[int, list[str]] = {}
    for uid, name in (
        Membership.objects.filter(user_id__in=users, team__isnull=False)
        .order_by("team__name")
        .values_list("user_id", "team__name")
    ):
        teams.setdefault(uid, []).append(name)
    return [UnusualReader(users[f.user_id], teams.get(f.user_id, []), f) for f in flagged]
