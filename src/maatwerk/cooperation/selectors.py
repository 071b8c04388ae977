"""Reads of the cooperation app, with need-to-know applied through the case's team.

Requests are personal data of a household: a user sees a request exactly when they see its
case (`cases.selectors.visible_cases`), and writes to it exactly when they write to its case.
The directory of outside organisations holds no personal data.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, has_role, memberships
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case

from .models import (
    ContactPoint,
    CooperationRequest,
    DirectoryCategory,
    DirectoryStatus,
    ExternalOrganisation,
    overdue_q,
)

Status = CooperationRequest.Status


def _with_minutes(qs: QuerySet[CooperationRequest]) -> QuerySet[CooperationRequest]:
    return qs.annotate(
        minutes_spent=Coalesce(Sum("contacts__minutes"), Value(0), output_field=IntegerField())
    )


def visible_requests(user) -> QuerySet[CooperationRequest]:
    """Requests of cases the user may see."""
    return CooperationRequest.objects.filter(case__team_id__in=case_team_ids(user))


def request_list(user, *, case=None, plan=None, status: str = "") -> QuerySet[CooperationRequest]:
    qs = visible_requests(user).select_related("organisation", "case__household", "plan")
    if case is not None:
        qs = qs.filter(case=case)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    return _with_minutes(qs).order_by("-created_at", "-id")


def request_detail(user, pk: int) -> CooperationRequest:
    """One request with what its page shows; raises CooperationRequest.DoesNotExist for a
    request the user may not see, so views answer 404."""
    return (
        _with_minutes(visible_requests(user))
        .select_related(
            "organisation",
            "contact_point",
            "provision__law",
            "case__household",
            "case__team",
            "plan",
            "created_by",
            "answered_by",
            "consent_recorded_by",
        )
        .get(pk=pk)
    )


def contacts_of(request: CooperationRequest):
    return request.contacts.select_related("created_by").order_by("-occurred_on", "-id")


def may_write(user, request: CooperationRequest) -> bool:
    return case_selectors.may_write(user, request.case)


def may_write_case(user, case: Case) -> bool:
    """Whether the user may make requests on this case (its team's workers and team leads)."""
    return case_selectors.may_write(user, case)


def minutes_total(requests) -> int:
    """The minutes spent on `requests` (annotated by `request_list`)."""
    return sum(r.minutes_spent for r in requests)


def overdue_requests(user, today: datetime.date | None = None) -> QuerySet[CooperationRequest]:
    """Sent requests without an answer past their due date that wait for this user: those they
    made, and those of cases they work on, in teams where they write. Earliest due date first."""
    today = today or timezone.localdate()
    through = Case.assigned_workers.through
    assigned = Exists(through.objects.filter(case_id=OuterRef("case_id"), user_id=user.pk))
    return (
        CooperationRequest.objects.filter(
            overdue_q(today), case__team_id__in=case_selectors.writable_team_ids(user)
        )
        .filter(Q(created_by=user) | assigned)
        .select_related("case__household", "organisation")
        .order_by("due_on", "id")
    )


# --- the directory ----------------------------------------------------------------------------


def directory(*, category: str = "") -> QuerySet[ExternalOrganisation]:
    """The organisations in the directory (accepted), with their active contact points."""
    qs = ExternalOrganisation.objects.filter(status=DirectoryStatus.ACTIVE)
    if category:
        qs = qs.filter(category=category)
    return qs.prefetch_related(
        _active_points(),
    ).order_by("category", "name")


def _active_points():
    from django.db.models import Prefetch

    return Prefetch(
        "contact_points",
        queryset=ContactPoint.objects.filter(active=True).order_by("department", "id"),
        to_attr="active_points",
    )


def organisation_detail(pk: int) -> ExternalOrganisation:
    return ExternalOrganisation.objects.prefetch_related(_active_points()).get(pk=pk)


def usable_organisations(team_id: int) -> QuerySet[ExternalOrganisation]:
    """Organisations a request of this team may go to: the accepted ones, and the ones this
    team suggested and the administrator has not decided on yet. Escalation routes take
    referrals, not requests."""
    return (
        ExternalOrganisation.objects.filter(
            Q(status=DirectoryStatus.ACTIVE)
            | Q(status=DirectoryStatus.SUGGESTED, suggested_by_team_id=team_id)
        )
        .exclude(category=DirectoryCategory.ESCALATION)
        .order_by("name")
    )


def is_usable(organisation: ExternalOrganisation, team_id: int) -> bool:
    return usable_organisations(team_id).filter(pk=organisation.pk).exists()


def contact_points_for(organisation_ids) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(organisation_id__in=organisation_ids, active=True)


def is_directory_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def pending_suggestions(user) -> QuerySet[ExternalOrganisation]:
    """Suggestions waiting for a functional administrator, oldest first."""
    if not is_directory_admin(user):
        return ExternalOrganisation.objects.none()
    return (
        ExternalOrganisation.objects.filter(status=DirectoryStatus.SUGGESTED)
        .select_related("suggested_by_team", "suggested_by")
        .order_by("created_at", "id")
    )


def suggesting_team_ids(user) -> list[int]:
    """Teams in which the user may suggest an organisation (where they write to cases)."""
    return sorted(case_selectors.writable_team_ids(user))


def own_suggestions(user) -> QuerySet[ExternalOrganisation]:
    """The suggestions of the user's teams, still open or decided, newest first."""
    team_ids = [m.team_id for m in memberships(user) if m.team_id]
    return (
        ExternalOrganisation.objects.filter(suggested_by_team_id__in=team_ids)
        .exclude(status=DirectoryStatus.ACTIVE, suggested_by_team__isnull=True)
        .select_related("suggested_by_team")
        .order_by("-created_at", "-id")
    )
