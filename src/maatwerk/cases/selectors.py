"""Reads of cases with need-to-know applied: only cases of teams the user works for."""

from django.db.models import Prefetch, Q, QuerySet

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, case_team_ids, memberships

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


def sees_full_bsn(user, case: Case) -> bool:
    return any(m.role in FULL_BSN_ROLES and m.team_id == case.team_id for m in memberships(user))


def case_list(
    user,
    *,
    query: str = "",
    status: str = "",
    mine: bool = False,
    life_domain: str = "",
    team_id: int | None = None,
) -> QuerySet[Case]:
    qs = visible_cases(user).select_related("household", "team")
    if team_id:
        qs = qs.filter(team_id=team_id)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assigned_workers=user)
    if life_domain:
        qs = qs.filter(life_domains__domain=life_domain)
    if query and bsn.is_valid(bsn.normalise(query)):
        # A BSN is found through its keyed hash (indexed); the number itself is never stored.
        qs = qs.filter(household__residents__bsn_hash=bsn.lookup_hash(query)).distinct()
    elif query:
        qs = qs.filter(Q(household__reference__iexact=query) | Q(title__icontains=query))
    return qs


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
                queryset=Obstacle.objects.select_related("blocking_rule"),
            ),
        )
        .get(pk=case_id)
    )


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
