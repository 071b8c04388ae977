"""Reads of cases with need-to-know applied: only cases of teams the user works for."""

from django.db.models import Q, QuerySet

from maatwerk.accounts.selectors import case_team_ids

from .models import Case


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.filter(team_id__in=case_team_ids(user))


def case_list(user, *, query: str = "", status: str = "", mine: bool = False) -> QuerySet[Case]:
    qs = visible_cases(user).select_related("household", "team")
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assigned_workers=user)
    if query:
        qs = qs.filter(Q(household__reference__iexact=query) | Q(title__icontains=query))
    return qs


def case_detail(user, case_id: int) -> Case:
    """Raises Case.DoesNotExist for cases the user may not see, so views answer 404."""
    return (
        visible_cases(user)
        .select_related("household", "team")
        .prefetch_related("household__residents", "assigned_workers")
        .get(pk=case_id)
    )
