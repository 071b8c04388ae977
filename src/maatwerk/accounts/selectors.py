"""Reads about who may see what. Every other app's selectors build on these."""

from django.db.models import Q, QuerySet

from .models import ClaimMapping, Membership, RoleGrantRequest, Team, TeamArea, User
from .roles import CASE_ROLES, PERSONAL_DATA_ROLES, ROLE_APPROVER_ROLES, Role

_CACHE_ATTR = "_maatwerk_memberships"


def memberships(user: User) -> list[Membership]:
    """The user's memberships, fetched once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("team", "organisation"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles(user: User) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user: User, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def sees_personal_data(user: User) -> bool:
    return bool(roles(user) & PERSONAL_DATA_ROLES)


def case_team_ids(user: User) -> frozenset[int]:
    """Ids of the teams whose cases (and so personal data) the user may see.

    Team roles see their own team; a director sees every team of their organisation.
    Policy analysts, privacy officers, admins and partner clients see no case at all.
    """
    return team_ids_for(user, CASE_ROLES)


def team_scope(user: User, wanted_roles) -> tuple[set[int], set[int]]:
    """The user's own teams and the organisations whose every team they see, with
    `wanted_roles` (the rule of `team_ids_for`, for a caller that reads those teams itself)."""
    team_ids: set[int] = set()
    org_wide: set[int] = set()
    for m in memberships(user):
        if m.role not in wanted_roles:
            continue
        if m.role == Role.DIRECTOR:
            org_wide.add(m.organisation_id)
        elif m.team_id is not None:
            team_ids.add(m.team_id)
    return team_ids, org_wide


def team_ids_for(user: User, wanted_roles) -> frozenset[int]:
    """Ids of the teams the user works in with one of `wanted_roles`: a team role its own
    team, a director every team of their organisation (one rule for cases and for the cohorts)."""
    team_ids, org_wide = team_scope(user, wanted_roles)
    if org_wide:
        team_ids |= set(
            Team.objects.filter(organisation_id__in=org_wide).values_list("id", flat=True)
        )
    return frozenset(team_ids)


def visible_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(id__in=case_team_ids(user)).select_related("organisation")


def organisation_ids(user: User) -> frozenset[int]:
    return frozenset(m.organisation_id for m in memberships(user))


def users_of_organisations(user: User) -> QuerySet[User]:
    """For admins: the users of their own organisation(s)."""
    if not has_role(user, Role.ADMIN):
        return User.objects.none()
    return User.objects.filter(
        Q(organisation_id__in=organisation_ids(user))
        | Q(memberships__organisation_id__in=organisation_ids(user))
    ).distinct()


def admin_organisation_id(user: User) -> int | None:
    """The organisation a functional administrator manages (their first admin membership)."""
    for m in memberships(user):
        if m.role == Role.ADMIN:
            return m.organisation_id
    return None


def has_confirmed_device(user: User) -> bool:
    """Whether the user has a confirmed TOTP device (so their second factor exists)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def role_request_approver_orgs(user: User) -> frozenset[int]:
    """Organisations in which the user approves or refuses four-eyes role requests."""
    return frozenset(m.organisation_id for m in memberships(user) if m.role in ROLE_APPROVER_ROLES)


def open_role_requests(user: User) -> QuerySet[RoleGrantRequest]:
    """Open role requests the user may decide: their organisations', not their own, not for
    themselves (those stay visible to other approvers only)."""
    orgs = role_request_approver_orgs(user)
    if not orgs:
        return RoleGrantRequest.objects.none()
    return (
        RoleGrantRequest.objects.filter(
            organisation_id__in=orgs, status=RoleGrantRequest.Status.REQUESTED
        )
        .exclude(requested_by=user)
        .exclude(user=user)
        .select_related("user", "requested_by", "team", "organisation")
    )


def decided_role_requests(user: User, limit: int = 20) -> list[RoleGrantRequest]:
    """The latest decided requests of the user's approver organisations, newest first."""
    orgs = role_request_approver_orgs(user)
    if not orgs:
        return []
    return list(
        RoleGrantRequest.objects.filter(organisation_id__in=orgs)
        .exclude(status=RoleGrantRequest.Status.REQUESTED)
        .select_related("user", "requested_by", "decided_by", "team")
        .order_by("-decided_at", "-pk")[:limit]
    )


def area_name(organisation_id: int, code: str) -> str:
    """The name of a neighbourhood or district (CBS code) as the organisation's teams call it;
    the code itself when no team area of the organisation names it, "" for no code."""
    if not code:
        return ""
    names = TeamArea.objects.filter(team__organisation_id=organisation_id, code=code).exclude(
        name=""
    )
    return names.values_list("name", flat=True).first() or code


def open_claim_mappings(user: User) -> QuerySet[ClaimMapping]:
    """Claim mappings waiting for the user's approval: their organisations', not their own."""
    orgs = role_request_approver_orgs(user)
    if not orgs:
        return ClaimMapping.objects.none()
    return (
        ClaimMapping.objects.filter(organisation_id__in=orgs, status=ClaimMapping.Status.REQUESTED)
        .exclude(requested_by=user)
        .select_related("requested_by", "team", "organisation")
    )
