"""Reads of cases with need-to-know applied: only cases of teams the user works for."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import User
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, case_team_ids, memberships
from maatwerk.core import personal_data

from . import bsn
from .models import Case, CaseNote, Obstacle, Resident

# Roles that may see a full BSN, and only for cases of their own team.
FULL_BSN_ROLES = frozenset({Role.WORKER, Role.TEAM_LEAD})
# Roles that write to cases (create, notes, obstacles), in their own team.
CASE_WRITE_ROLES = frozenset({Role.WORKER, Role.TEAM_LEAD})
# Roles that get the team overview.
TEAM_OVERVIEW_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
TIMELINE_LENGTH = 50


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.filter(team_id__in=case_team_ids(user))


def writable_team_ids(user) -> frozenset[int]:
    """Teams in which the user may create cases and write to them."""
    return frozenset(
        m.team_id for m in memberships(user) if m.role in CASE_WRITE_ROLES and m.team_id is not None
    )


def may_write(user, case: Case) -> bool:
    return case.team_id in writable_team_ids(user)


def may_assign(user, case: Case) -> bool:
    """Team leads of the case's team assign and reassign its workers."""
    return any(m.role == Role.TEAM_LEAD and m.team_id == case.team_id for m in memberships(user))


def team_workers(team_id: int) -> QuerySet[User]:
    """The people who may work on the team's cases (its workers and team leads)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__team_id=team_id,
            memberships__role__in=CASE_WRITE_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def sees_full_bsn(user, case: Case) -> bool:
    return any(m.role in FULL_BSN_ROLES and m.team_id == case.team_id for m in memberships(user))


# Orders the case list offers: key -> order_by. Each ends in -id, so pages never overlap.
CASE_ORDERS = {
    "newest": ("-opened_on", "-id"),
    "oldest": ("opened_on", "id"),
    "household": ("household__reference", "-id"),
    "deadline": (F("next_deadline").asc(nulls_last=True), "-opened_on", "-id"),
}


def case_list(
    user,
    *,
    query: str = "",
    status: str = "",
    mine: bool = False,
    life_domain: str = "",
    team_id: int | None = None,
    bsn_hash: str = "",
    order: str = "newest",
) -> QuerySet[Case]:
    """The cases the user may see, filtered and sorted, each with the deadline of its plans'
    open decision step (`next_deadline`). Rows carry their workers and plans when the caller
    prefetches them (`with_list_columns`)."""
    qs = visible_cases(user).select_related("household", "team")
    if team_id:
        qs = qs.filter(team_id=team_id)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(
            Exists(
                Case.assigned_workers.through.objects.filter(
                    case_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
    if life_domain:
        qs = qs.filter(life_domains__domain=life_domain)
    if query and bsn.is_valid(bsn.normalise(query)):
        bsn_hash = bsn.lookup_hash(query)
        query = ""
    if bsn_hash:
        # A BSN is found through its keyed hash (indexed); the number itself is never stored.
        qs = qs.filter(
            Exists(
                Resident.objects.filter(household_id=OuterRef("household_id"), bsn_hash=bsn_hash)
            )
        )
    elif query:
        words = query.split()
        residents = Resident.objects.annotate(
            full_name=Concat("first_name", Value(" "), "last_name")
        ).filter(household_id=OuterRef("household_id"))
        for word in words:
            residents = residents.filter(full_name__icontains=word)
        qs = qs.filter(
            Q(household__reference__iexact=query.strip())
            | Q(title__icontains=query.strip())
            | Exists(residents)
        )
    # Open decision steps only (outcome empty); the reverse names are strings, so cases does
    # not import the plans or decisions apps above it.
    qs = qs.annotate(
        next_deadline=Min("plans__decisions__deadline", filter=Q(plans__decisions__outcome=""))
    )
    return qs.order_by(*CASE_ORDERS.get(order, CASE_ORDERS["newest"]))


def with_list_columns(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The case list's worker and plan columns: two queries per page, whatever its length."""
    return qs.prefetch_related("assigned_workers", "plans")


def latest_plan(case: Case):
    """The newest plan of a case whose plans are prefetched (None without plans)."""
    plans = sorted(case.plans.all(), key=lambda p: (p.created_at, p.pk), reverse=True)
    return plans[0] if plans else None


def caseload(team_ids) -> list[tuple[User, int]]:
    """Open cases per worker of these teams, busiest first: two queries (team lead's view)."""
    team_ids = list(team_ids)
    workers = list(
        User.objects.filter(
            is_active=True,
            memberships__team_id__in=team_ids,
            memberships__role__in=CASE_WRITE_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    counts = dict(
        Case.assigned_workers.through.objects.filter(
            case__team_id__in=team_ids, case__status=Case.Status.OPEN
        )
        .values("user_id")
        .annotate(n=Count("case_id"))
        .values_list("user_id", "n")
    )
    rows = [(w, counts.get(w.pk, 0)) for w in workers]
    return sorted(rows, key=lambda row: -row[1])


def residents_by_bsn(user, number: str) -> QuerySet[Resident]:
    """Residents with this BSN in the cases the user may see (empty for an invalid number)."""
    if not bsn.is_valid(bsn.normalise(number)):
        return Resident.objects.none()
    return Resident.objects.filter(
        bsn_hash=bsn.lookup_hash(number), household__team_id__in=case_team_ids(user)
    ).select_related("household")


def case_detail(user, case_id: int) -> Case:
    """Raises Case.DoesNotExist for cases the user may not see, so views answer 404."""
    return (
        visible_cases(user)
        .select_related("household", "team")
        .prefetch_related(
            "household__residents",
            "assigned_workers",
            "life_domains",
            "organisations",
            Prefetch(
                "notes",
                queryset=CaseNote.objects.select_related("author")[:TIMELINE_LENGTH],
                to_attr="timeline",
            ),
            Prefetch(
                "obstacles",
                queryset=Obstacle.objects.select_related("blocking_rule").annotate(
                    plan_count=Count("plans")
                ),
            ),
        )
        .get(pk=case_id)
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case timeline: a note, or what happened to an obstacle, plan or decision."""

    day: date
    at: datetime
    kind: str  # "note", "event", "obstacle", "plan", "submitted", "decided"
    label: str
    text: str = ""
    author: User | None = None
    note_id: int | None = None
    plan_id: int | None = None
    url: str = ""  # a page of an app above this one (a request to an outside organisation)


def _day(moment: datetime) -> date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def merge_timeline(*parts: list[TimelineEntry]) -> list[TimelineEntry]:
    """Timelines merged newest first and cut to TIMELINE_LENGTH: the case's own and the ones
    apps above this one build (requests to outside organisations)."""
    entries = [e for part in parts for e in part]
    entries.sort(key=lambda e: (e.day, e.at), reverse=True)
    return entries[:TIMELINE_LENGTH]


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Newest first: the case's notes (`case_detail` prefetches them) and the dates its
    obstacles, plans and decision steps carry: added, plan created, submitted, decided.

    Read from the models' own dates, so the timeline needs no extra writes; the plans and
    decisions apps are above this one, so their rows come through the reverse relations by name.
    """
    notes = getattr(case, "timeline", None)
    if notes is None:
        notes = list(case.notes.select_related("author")[:TIMELINE_LENGTH])
    entries = [
        TimelineEntry(
            day=n.happened_on,
            at=n.created_at,
            kind=n.kind,
            label=n.get_kind_display(),
            text=n.text,
            author=n.author,
            note_id=n.pk,
        )
        for n in notes
    ]
    for o in case.obstacles.select_related("blocking_rule", "created_by"):
        entries.append(
            TimelineEntry(
                day=_day(o.created_at),
                at=o.created_at,
                kind="obstacle",
                label=_("Obstacle added"),
                text=o.blocking_rule.name if o.blocking_rule else o.description_new_rule,
                author=o.created_by,
            )
        )
    plan_model = Case._meta.get_field("plans").related_model
    step_model = plan_model._meta.get_field("decisions").related_model
    plans = list(case.plans.select_related("author", "submitted_by"))
    for p in plans:
        entries.append(
            TimelineEntry(
                day=_day(p.created_at),
                at=p.created_at,
                kind="plan",
                label=_("Plan created"),
                text=_("Plan {n}").format(n=p.pk),
                author=p.author,
                plan_id=p.pk,
            )
        )
        if p.submitted_at:
            entries.append(
                TimelineEntry(
                    day=_day(p.submitted_at),
                    at=p.submitted_at,
                    kind="submitted",
                    label=_("Plan submitted"),
                    text=_("Plan {n}").format(n=p.pk),
                    author=p.submitted_by,
                    plan_id=p.pk,
                )
            )
    steps = (
        step_model.objects.filter(plan__case=case, decided_at__isnull=False)
        .exclude(outcome__in=["", step_model.Outcome.SKIP])
        .select_related("decided_by")
    )
    for step in steps:
        entries.append(
            TimelineEntry(
                day=_day(step.decided_at),
                at=step.decided_at,
                kind="decided",
                label=_("Decision on the plan"),
                text=_("Plan {n}: {outcome}").format(
                    n=step.plan_id, outcome=step.get_outcome_display()
                ),
                author=step.decided_by,
                plan_id=step.plan_id,
            )
        )
    return merge_timeline(entries)


def case_header(user, case_id: int) -> Case:
    """Just the case and its household, for form pages. Raises Case.DoesNotExist."""
    return visible_cases(user).select_related("household", "team").get(pk=case_id)


def new_rule_obstacles(user) -> QuerySet[Obstacle]:
    """Obstacles with a newly described rule, for an administrator of their organisation.

    Only what promotion needs: the description and who applies it, never the case or household.
    """
    organisation_id = admin_organisation_id(user)
    if organisation_id is None:
        return Obstacle.objects.none()
    return (
        Obstacle.objects.filter(
            blocking_rule__isnull=True, case__team__organisation_id=organisation_id
        )
        .only("id", "description_new_rule", "applied_by", "created_at", "case_id")
        .order_by("created_at", "id")
    )


def known_last_names(organisation_id: int, texts) -> list[str]:
    """The distinct last names of the residents of the organisation's households that may occur
    in `texts`: a superset (a name containing one of the texts' words), for
    `core.personal_data.found` to match as whole words. Never shown; only checked against."""
    words = set().union(*(personal_data.words(t) for t in texts))
    words = sorted(w for w in words if len(w) > 1 and not w.isdigit())
    if not words:
        return []
    contains = Q()
    for word in words:
        contains |= Q(last_name__icontains=word)
    return list(
        Resident.objects.filter(contains, household__team__organisation_id=organisation_id)
        .values_list("last_name", flat=True)
        .distinct()
        .order_by()
    )
