"""What the start page shows, per role. Aggregates only where the role sees no personal data."""

from django.db.models import Count, Q

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, has_role, organisation_ids, roles
from maatwerk.cases.models import Case

# Roles that may decide on plans: on the ladder, or (workers, team leads) by peer vote.
DECIDING_ROLES = {Role.WORKER, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR, Role.DECIDER}


def start_page(user) -> dict:
    user_roles = roles(user)
    data: dict = {"roles": user_roles}
    team_ids = case_team_ids(user)
    if team_ids:
        cases = Case.objects.filter(team_id__in=team_ids)
        open_cases = cases.filter(status=Case.Status.OPEN)
        # Mine and unassigned need the workers join (one row per case and worker, or one
        # empty row): neither counts a case twice. The open total is counted without the join,
        # which would count a case with two workers twice, and is an index-only count.
        data["case_counts"] = {
            "open": open_cases.count(),
            **open_cases.aggregate(
                mine=Count("id", filter=Q(assigned_workers=user)),
                unassigned=Count("id", filter=Q(assigned_workers__isnull=True)),
            ),
        }
        data["recent_cases"] = list(
            cases.filter(status=Case.Status.OPEN, assigned_workers=user)
            .select_related("household")
            .order_by("-opened_on", "-id")[:5]
        )
    if user_roles & DECIDING_ROLES:
        from maatwerk.decisions.selectors import awaiting_count

        data["awaiting"] = awaiting_count(user)
    if Role.POLICY_ANALYST in user_roles:
        # Counts per team only: no household, no name, no case link.
        data["team_totals"] = list(
            Case.objects.filter(team__organisation_id__in=organisation_ids(user))
            .values("team__name")
            .annotate(open=Count("id", filter=Q(status=Case.Status.OPEN)), total=Count("id"))
            .order_by("team__name")
        )
    if has_role(user, Role.PRIVACY_OFFICER):
        from maatwerk.audit.selectors import audit_events

        data["audit_today"] = audit_events(user).filter(action="view").count()
    return data
