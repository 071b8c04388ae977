"""Reads of the library, with its access rules in one place.

- An approved example is visible to every person of the deployment (not to partner clients:
  they reach nothing but their own API).
- Drafts, proposals and returned examples are visible to the team that wrote them, and to the
  people who review them (the team lead of that team, the privacy officers of the organisation;
  for an imported example the privacy officers, team leads and administrators of the importing
  organisation).
- The link to the source plan is for the team alone.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, memberships
from maatwerk.cases import selectors as case_selectors
from maatwerk.plans import lifecycle
from maatwerk.plans.models import Plan, Scenario

from .models import Example, ExampleCostLine

Status = Example.Status
# Who may propose an example from a plan: the people who write in the team's cases.
PROPOSERS = frozenset({Role.WORKER, Role.TEAM_LEAD})
# Who may export and import examples.
EXCHANGERS = frozenset({Role.ADMIN, Role.PRIVACY_OFFICER})


def reads_library(user) -> bool:
    return any(m.role != Role.PARTNER_CLIENT for m in memberships(user))


def _role_orgs(user, *roles) -> set[int]:
    return {m.organisation_id for m in memberships(user) if m.role in roles}


def _lead_teams(user) -> set[int]:
    return {m.team_id for m in memberships(user) if m.role == Role.TEAM_LEAD and m.team_id}


def _visible_filter(user) -> Q:
    if not reads_library(user):
        return Q(pk__in=[])
    q = Q(status=Status.APPROVED) | Q(team_id__in=case_team_ids(user))
    if orgs := _role_orgs(user, Role.PRIVACY_OFFICER):
        q |= Q(organisation_id__in=orgs) & ~Q(status=Status.DRAFT)
    if orgs := _role_orgs(user, Role.PRIVACY_OFFICER, Role.TEAM_LEAD, Role.ADMIN):
        q |= Q(organisation_id__in=orgs, team__isnull=True)
    return q


def _with_facts(qs: QuerySet[Example]) -> QuerySet[Example]:
    return qs.select_related("blocking_rule", "team").prefetch_related(
        "life_domains", "organisations", Prefetch("provisions", to_attr="provision_list")
    )


def visible_examples(user) -> QuerySet[Example]:
    """Every example the user may read, approved ones first, newest first. The library list
    and the API start here; search and filters narrow this queryset."""
    return _with_facts(Example.objects.filter(_visible_filter(user))).order_by(
        "-reviewed_at", "-id"
    )


def approved_examples(user) -> QuerySet[Example]:
    return visible_examples(user).filter(status=Status.APPROVED)


def example_detail(user, pk: int) -> Example:
    """Raises Example.DoesNotExist when the user may not read it."""
    return visible_examples(user).select_related("proposed_by", "reviewed_by").get(pk=pk)


def in_team(user, example: Example) -> bool:
    """Whether the user works in the example's team: only they see the source plan."""
    return example.team_id is not None and example.team_id in case_team_ids(user)


def source_plan_id(user, example: Example) -> int | None:
    return example.source_plan_id if in_team(user, example) else None


def may_edit(user, example: Example) -> bool:
    if example.status not in (Status.DRAFT, Status.RETURNED):
        return False
    if example.team_id is None:
        return example.organisation_id in _role_orgs(user, *EXCHANGERS)
    return example.team_id in case_selectors.writable_team_ids(user)


def may_review(user, example: Example) -> bool:
    """A second person: the team lead of its team or a privacy officer of its organisation
    (for an imported example also a team lead of the organisation), never the proposer."""
    if example.status != Status.PROPOSED or example.proposed_by_id == user.pk:
        return False
    if example.organisation_id in _role_orgs(user, Role.PRIVACY_OFFICER):
        return True
    if example.team_id is None:
        return example.organisation_id in _role_orgs(user, Role.TEAM_LEAD)
    return example.team_id in _lead_teams(user)


def may_withdraw(user, example: Example) -> bool:
    if example.status == Status.WITHDRAWN:
        return False
    if example.proposed_by_id == user.pk:
        return True
    if example.team_id is not None and example.team_id in _lead_teams(user):
        return True
    return example.organisation_id in _role_orgs(user, Role.PRIVACY_OFFICER)


def review_queue(user) -> QuerySet[Example]:
    """Proposed examples the user may approve or return (not their own)."""
    q = Q(team_id__in=_lead_teams(user))
    if orgs := _role_orgs(user, Role.PRIVACY_OFFICER):
        q |= Q(organisation_id__in=orgs)
    if orgs := _role_orgs(user, Role.TEAM_LEAD):
        q |= Q(organisation_id__in=orgs, team__isnull=True)
    return (
        _with_facts(Example.objects.filter(q, status=Status.PROPOSED))
        .exclude(proposed_by=user)
        .order_by("proposed_at", "id")
    )


def my_team_examples(user) -> QuerySet[Example]:
    """The team's drafts, proposals and returned examples (the worker's to-do)."""
    return _with_facts(
        Example.objects.filter(
            team_id__in=case_team_ids(user),
            status__in=[Status.DRAFT, Status.PROPOSED, Status.RETURNED],
        )
    ).order_by("-updated_at", "-id")


def is_decided(plan: Plan) -> bool:
    return plan.status in lifecycle.DECIDED or (
        plan.status == lifecycle.CLOSED
        and plan.decisions.filter(outcome__in=["approve", "reject"]).exists()
    )


def may_propose(user, plan: Plan) -> bool:
    """A worker or team lead of the plan's team, for a decided plan."""
    if not any(m.role in PROPOSERS for m in memberships(user)):
        return False
    return case_selectors.may_write(user, plan.case) and is_decided(plan)


def may_exchange(user) -> bool:
    return bool(_role_orgs(user, *EXCHANGERS))


def examples_of_plan(user, plan: Plan) -> QuerySet[Example]:
    """The team's examples proposed from this plan (for the plan page)."""
    if plan.case.team_id not in case_team_ids(user):
        return Example.objects.none()
    return Example.objects.filter(source_plan=plan).exclude(status=Status.WITHDRAWN)


def exportable_examples(user) -> QuerySet[Example]:
    """What an export holds: the approved examples (an export leaves the deployment)."""
    if not may_exchange(user):
        return Example.objects.none()
    return _with_cost_lines(_with_facts(Example.objects.filter(status=Status.APPROVED))).order_by(
        "id"
    )


def _with_cost_lines(qs: QuerySet[Example]) -> QuerySet[Example]:
    """`example.cost_lines.all()` in route and position order, with their catalogue items, in
    one query for any number of examples."""
    return qs.prefetch_related(
        Prefetch(
            "cost_lines",
            queryset=ExampleCostLine.objects.select_related("cost_item").order_by(
                "scenario", "position", "pk"
            ),
        )
    )


def api_examples(user) -> QuerySet[Example]:
    """What the API lists: approved examples, and the user's team's own in any status, with
    their cost lines (structure only: ExampleCostLine holds nothing of a household)."""
    return _with_cost_lines(
        visible_examples(user).filter(
            Q(status=Status.APPROVED) | Q(team_id__in=case_team_ids(user))
        )
    )


def open_example_of_plan(plan: Plan) -> Example | None:
    """The example from this plan that is still open (a draft, proposed, approved or returned):
    one plan gives one example at a time; a withdrawn one makes room for a new proposal."""
    return (
        Example.objects.filter(source_plan=plan)
        .exclude(status=Status.WITHDRAWN)
        .order_by("-id")
        .first()
    )


def cost_routes(example: Example) -> list[tuple[str, list]]:
    """The example's cost lines per route, standard route first (one query)."""
    lines = list(example.cost_lines.select_related("cost_item"))
    return [(s, [x for x in lines if x.scenario == s]) for s in Scenario.values]


def returned_to(user) -> QuerySet[Example]:
    """The examples this person proposed that a reviewer returned: theirs to change (the
    start page's task). Oldest return first."""
    return Example.objects.filter(
        status=Status.RETURNED, proposed_by=user, team_id__in=case_team_ids(user)
    ).order_by("reviewed_at", "id")


def may_review_any(user) -> bool:
    """Whether the user reviews examples at all (a team lead or a privacy officer): spares the
    start page a query for everyone else."""
    return any(m.role in (Role.TEAM_LEAD, Role.PRIVACY_OFFICER) for m in memberships(user))
