"""Reads for the privacy officer. Every function returns nothing for anyone else."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Cast, ExtractHour
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maatwerk.accounts.models import Membership, User
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Case, CaseLifeDomain
from maatwerk.decisions.models import DecisionStep
from maatwerk.plans.models import Plan, PlanProvision

from . import access, retention, rules
from .models import DestructionItem, DestructionList, LegalHold, RetentionRule

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


# --- retention and destruction (issue 17, points 1 and 2) -------------------------------------

RETENTION_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.ADMIN})


def may_see_retention(user) -> bool:
    return any(has_role(user, role) for role in RETENTION_ROLES)


def retention_rules_for(organisation_id: int | None) -> dict[str, retention.Rule]:
    """Per code the rule that applies in the organisation: its own row where it set one, else
    the shared row from the data files."""
    found: dict[str, retention.Rule] = {}
    rows = RetentionRule.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
    ).order_by(F("organisation_id").asc(nulls_first=True))
    for row in rows:
        found[row.code] = retention.Rule(
            row.code, row.period_years, row.period_days, row.counted_from
        )
    return found


def visible_retention_rules(user) -> list[RetentionRule]:
    if not may_see_retention(user):
        return []
    return list(
        RetentionRule.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids(user))
        )
        .select_related("organisation")
        .order_by("code", F("organisation_id").asc(nulls_first=True))
    )


@dataclass(frozen=True)
class CaseRetention:
    case_id: int
    organisation_id: int
    reference: str
    codes: frozenset[str]
    end: date | None


def case_retention(cases) -> list[CaseRetention]:
    """The retention of each case of `cases` (a queryset): its kinds of help and end date.
    A fixed number of queries, whatever the number of cases."""
    cases = list(
        cases.select_related("household", "team").values_list(
            "id", "team__organisation_id", "household__reference", "closed_on", "close_reason"
        )
    )
    ids = [c[0] for c in cases]
    domains: dict[int, set[str]] = {}
    for case_id, domain in CaseLifeDomain.objects.filter(case_id__in=ids).values_list(
        "case_id", "domain"
    ):
        domains.setdefault(case_id, set()).add(domain)
    approved_step = DecisionStep.objects.filter(
        plan=OuterRef("pk"), outcome=DecisionStep.Outcome.APPROVE, decided_at__isnull=False
    )
    plans: dict[int, list[tuple]] = {}
    for row in (
        Plan.objects.filter(case_id__in=ids)
        .annotate(approved=Exists(approved_step))
        .values_list("id", "case_id", "status", "approved", "closed_at")
    ):
        plans.setdefault(row[1], []).append(row)
    laws: dict[int, set[str]] = {}
    for plan_id, law in PlanProvision.objects.filter(plan__case_id__in=ids).values_list(
        "plan_id", "provision__law__code"
    ):
        laws.setdefault(plan_id, set()).add(law)
    rules_by_org: dict[int, dict[str, retention.Rule]] = {}
    result = []
    for case_id, org_id, reference, closed_on, close_reason in cases:
        own = plans.get(case_id, [])
        approved = [p for p in own if p[3]]
        running = any(p[2] != Plan.Status.CLOSED for p in approved)
        ended = [timezone.localtime(p[4]).date() for p in approved if p[4] is not None]
        codes = retention.kinds_of(
            approved_laws={law for p in approved for law in laws.get(p[0], ())},
            rejected_plans=any(p[2] == Plan.Status.REJECTED for p in own),
            has_approved_plan=bool(approved),
            life_domains=domains.get(case_id, ()),
            close_reason=close_reason or "",
        )
        if org_id not in rules_by_org:
            rules_by_org[org_id] = retention_rules_for(org_id)
        rules = rules_by_org[org_id]
        missing = codes - set(rules)
        if missing:
            raise LookupError(f"no retention rule loaded for {sorted(missing)}: load_catalogue")
        facts = retention.CaseFacts(
            closed_on=closed_on,
            provision_ended_on=max(ended) if ended else None,
            provision_running=running,
        )
        end = retention.end_date(facts, [rules[c] for c in codes])
        result.append(CaseRetention(case_id, org_id, reference, frozenset(codes), end))
    return result


def held_case_ids(case_ids) -> set[int]:
    return set(
        LegalHold.objects.filter(case_id__in=case_ids, lifted_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )


def destroyed_case_ids() -> QuerySet:
    return DestructionItem.objects.filter(status=DestructionItem.Status.DESTROYED).values("case_id")


def expired_cases(organisation_id: int, today: date) -> list[CaseRetention]:
    """Closed cases of the organisation whose retention ended before `today`, without a legal
    hold and not destroyed yet."""
    candidates = Case.objects.filter(
        team__organisation_id=organisation_id, status=Case.Status.CLOSED
    ).exclude(pk__in=destroyed_case_ids())
    found = [r for r in case_retention(candidates) if r.end is not None and r.end < today]
    held = held_case_ids([r.case_id for r in found])
    return [r for r in found if r.case_id not in held]


def open_list(user) -> DestructionList | None:
    if not has_role(user, Role.PRIVACY_OFFICER):
        return None
    return (
        DestructionList.objects.filter(
            organisation_id__in=organisation_ids(user), status=DestructionList.Status.PROPOSED
        )
        .order_by("-proposed_on")
        .first()
    )


def past_lists(user) -> list[DestructionList]:
    if not has_role(user, Role.PRIVACY_OFFICER):
        return []
    return list(
        DestructionList.objects.filter(
            organisation_id__in=organisation_ids(user), status=DestructionList.Status.APPROVED
        )
        .annotate(
            destroyed=Count("items", filter=Q(items__status=DestructionItem.Status.DESTROYED))
        )
        .select_related("approved_by")
        .order_by("-approved_at")[:20]
    )


def hold_case(user, pk: int) -> Case:
    """A case of the privacy officer's organisation (404 otherwise)."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        raise Http404
    return get_object_or_404(
        Case.objects.select_related("household", "team"),
        pk=pk,
        team__organisation_id__in=organisation_ids(user),
    )


def cases_by_reference(user, reference: str) -> list[Case]:
    """The cases of a household of the privacy officer's organisation(s), newest first."""
    return _officer_cases(user, Q(household__reference=reference))


def cases_by_bsn(user, number: str) -> list[Case]:
    """The cases of the households of the person with this (validated) BSN in the privacy
    officer's organisation(s), newest first. The person is found as the right of access finds
    them: through the keyed hash only."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        return []
    residents = access.residents_for(number, organisation_ids(user))
    return _officer_cases(user, Q(household_id__in={r.household_id for r in residents}))


def _officer_cases(user, where: Q) -> list[Case]:
    if not has_role(user, Role.PRIVACY_OFFICER):
        return []
    return list(
        Case.objects.filter(where, team__organisation_id__in=organisation_ids(user))
        .select_related("household")
        .order_by("-opened_on")
    )


def open_item_of(case) -> DestructionItem | None:
    """The case's place on an open destruction list, if it has one."""
    return (
        DestructionItem.objects.filter(
            case=case, destruction_list__status=DestructionList.Status.PROPOSED
        )
        .exclude(status=DestructionItem.Status.REMOVED)
        .first()
    )


def destroyed_item_of(case) -> DestructionItem | None:
    return DestructionItem.objects.filter(
        case=case, status=DestructionItem.Status.DESTROYED
    ).first()


def holds_of(case) -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(case=case)
        .select_related("set_by", "lifted_by")
        .order_by("-set_at")
    )


def active_holds(user) -> list[LegalHold]:
    """The holds that stand on cases of the privacy officer's organisation(s), newest first."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        return []
    return list(
        LegalHold.objects.filter(organisation_id__in=organisation_ids(user), lifted_at__isnull=True)
        .select_related("case__household", "set_by")
        .order_by("-set_at", "-id")
    )


def rule_names(codes, organisation_id: int) -> list[str]:
    """The kinds of help of retention rule codes, as the officer reads them (an organisation's
    own row wins); a code without a loaded rule is shown as the code."""
    names = rule_labels(codes, organisation_id)
    return [names.get(code, code) for code in sorted(codes)]


def rule_labels(codes, organisation_id: int) -> dict[str, str]:
    """{code: kind of help} for the loaded rules among `codes` (the organisation's own row
    wins), in one query."""
    names = {}
    for code, name in (
        RetentionRule.objects.filter(code__in=codes)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .order_by(F("organisation_id").asc(nulls_first=True))
        .values_list("code", "kind_of_help")
    ):
        names[code] = name
    return names
