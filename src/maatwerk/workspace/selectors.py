"""What the start page shows, per role: the task list of what waits for this person, the main
action of the role, a team lead's caseload per worker, and aggregates only where the role sees no
personal data.

This app sits on top (DESIGN.md "Layers"): it reads cases, plans and decisions through their
selectors and models, and no app below imports it. Every part is a fixed number of queries,
whatever the data (tests/test_query_counts.py).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import (
    case_team_ids,
    has_role,
    memberships,
    open_role_requests,
    organisation_ids,
    roles,
)
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.cooperation import selectors as cooperation_selectors
from maatwerk.decisions import selectors as decision_selectors
from maatwerk.followup import selectors as followup_selectors
from maatwerk.library import selectors as library_selectors
from maatwerk.partners import selectors as partner_selectors
from maatwerk.plans.models import Plan

# Roles that may decide on plans: on the ladder, or (workers, team leads) by peer vote.
DECIDING_ROLES = {Role.WORKER, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR, Role.DECIDER}
# Rows per kind of task: the start page points at the full lists for the rest.
TASKS_PER_KIND = 10
RECENT_CASES = 5


@dataclass(frozen=True)
class Task:
    """One thing that waits for the user. `due` orders the list: the earliest first."""

    kind: str  # decide, overdue_request, returned, draft, unassigned, role_request, suggestion,
    # followup, followup_overdue, pilot_light, signal_*, example_returned, example_review
    label: str
    subject: str  # the household reference and short description: no names
    url: str
    due: date | None = None
    since: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


# On the same day, the kinds in this order: a decision has a deadline, an outside organisation
# did not answer a request in time, a returned plan lets a household wait, a draft is the user's
# own unfinished work, an unassigned case waits for someone to take it on; a role request waits
# for a second person; a suggested outside organisation waits for the functional administrator.
KIND_RANK = {
    "decide": 0,
    "overdue_request": 1,
    "returned": 2,
    "draft": 3,
    "unassigned": 4,
    "role_request": 5,
    "suggestion": 6,
    "followup": 7,
    "followup_overdue": 8,
    "pilot_light": 9,
    "signal_escalated": 10,
    "signal_queue": 11,
    "example_returned": 12,
    "example_review": 13,
}


def task_order(task: Task) -> tuple:
    """Tasks with a deadline first, the earliest deadline first; then those without one, the
    longest waiting first (JOURNEYS: "each with its deadline, most urgent first")."""
    if task.due is not None:
        return (0, task.due, task.since or date.max, KIND_RANK[task.kind])
    return (1, task.since or date.max, KIND_RANK[task.kind], date.max)


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def _subject(case: Case) -> str:
    return f"{case.household.reference} – {case.title}"


def draft_plans(user) -> QuerySet[Plan]:
    """The user's own draft plans, in cases they may still see, oldest first."""
    return (
        Plan.objects.filter(
            author=user, status=Plan.Status.DRAFT, case__team_id__in=case_team_ids(user)
        )
        .select_related("case__household")
        .order_by("created_at", "id")
    )


def returned_plans(user) -> QuerySet[Plan]:
    """The user's rejected or withdrawn plans that still wait to be revised or closed.

    A plan leaves the list once it has a newer version (the revision carries the work on), is
    closed (closing changes its status), or its case is closed: nothing is left to revise.
    """
    return (
        Plan.objects.filter(
            author=user,
            case__team_id__in=case_team_ids(user),
            case__status=Case.Status.OPEN,
            status__in=[Plan.Status.REJECTED, Plan.Status.WITHDRAWN],
        )
        .exclude(Exists(Plan.objects.filter(previous_version=OuterRef("pk"))))
        .select_related("case__household")
        .order_by("updated_at", "id")
    )


def lead_team_ids(user) -> list[int]:
    return sorted({m.team_id for m in memberships(user) if m.role == Role.TEAM_LEAD and m.team_id})


def unassigned_cases(user) -> QuerySet[Case]:
    """Open cases without a worker in the teams the user leads, longest waiting first."""
    through = Case.assigned_workers.through
    return (
        Case.objects.filter(team_id__in=lead_team_ids(user), status=Case.Status.OPEN)
        .exclude(Exists(through.objects.filter(case_id=OuterRef("pk"))))
        .select_related("household")
        .order_by("opened_on", "id")
    )


def tasks(user) -> list[Task]:
    """Everything that waits for the user, most urgent first."""
    found: list[Task] = []
    user_roles = roles(user)
    if user_roles & DECIDING_ROLES:
        steps = list(
            decision_selectors.inbox(user).select_related("plan__case__household")[:TASKS_PER_KIND]
        )
        seen = {s.pk for s in steps}
        steps += [
            s
            for s in decision_selectors.peer_votes_waiting(user).select_related(
                "plan__case__household"
            )[:TASKS_PER_KIND]
            if s.pk not in seen
        ]
        for step in steps:
            found.append(
                Task(
                    "decide",
                    _("Decide on plan %(n)s") % {"n": step.plan_id},
                    _subject(step.plan.case),
                    reverse("decisions:decide", args=[step.plan_id])
                    if decision_selectors.is_decider(user, step)
                    else reverse("plans:detail", args=[step.plan_id]),
                    due=step.deadline,
                    since=_day(step.opened_at),
                )
            )
    if user_roles & set(case_selectors.CASE_WRITE_ROLES):
        for plan in returned_plans(user)[:TASKS_PER_KIND]:
            label = (
                _("Revise or close withdrawn plan %(n)s")
                if plan.status == Plan.Status.WITHDRAWN
                else _("Revise rejected plan %(n)s")
            )
            found.append(
                Task(
                    "returned",
                    label % {"n": plan.pk},
                    _subject(plan.case),
                    reverse("plans:detail", args=[plan.pk]),
                    since=_day(plan.updated_at),
                )
            )
        for request in cooperation_selectors.overdue_requests(user)[:TASKS_PER_KIND]:
            if request.pending_referral_id:  # escalated: waiting for the route's answer
                label = _("Escalated to %(route)s: record its answer when it comes") % {
                    "route": request.pending_referral_to
                }
                url = reverse("cooperation:referral", args=[request.pending_referral_id])
            else:
                label = _("No answer from %(org)s: follow up or escalate") % {
                    "org": request.organisation.name
                }
                url = reverse("cooperation:detail", args=[request.pk])
            found.append(
                Task(
                    "overdue_request",
                    label,
                    _subject(request.case),
                    url,
                    due=request.due_on,
                    since=request.sent_on,
                )
            )
        own_followups = set()
        for followup in followup_selectors.due_for(user)[:TASKS_PER_KIND]:
            own_followups.add(followup.pk)
            found.append(
                Task(
                    "followup",
                    _("Record the follow-up of plan %(n)s (%(moment)s)")
                    % {"n": followup.plan_id, "moment": followup.get_moment_display()},
                    _subject(followup.plan.case),
                    reverse("followup:record", args=[followup.pk]),
                    due=followup.due_on,
                )
            )
        if lead_team_ids(user):
            # Overdue beyond the grace period: escalated to the team lead of the case's team.
            for followup in followup_selectors.overdue_for_lead(user)[:TASKS_PER_KIND]:
                if followup.pk not in own_followups:
                    found.append(
                        Task(
                            "followup_overdue",
                            _("Follow-up of plan %(n)s is overdue: see that it is recorded")
                            % {"n": followup.plan_id},
                            _subject(followup.plan.case),
                            reverse("followup:record", args=[followup.pk]),
                            due=followup.due_on,
                        )
                    )
        for light in followup_selectors.check_ins_due_for(user)[:TASKS_PER_KIND]:
            found.append(
                Task(
                    "pilot_light",
                    _("Pilot light: check in with the household of case %(n)s")
                    % {"n": light.case_id},
                    _subject(light.case),
                    reverse("followup:pilot_light", args=[light.case_id]),
                    due=light.next_due_on,
                )
            )
        for plan in draft_plans(user)[:TASKS_PER_KIND]:
            found.append(
                Task(
                    "draft",
                    _("Finish draft plan %(n)s") % {"n": plan.pk},
                    _subject(plan.case),
                    reverse("plans:edit", args=[plan.pk]),
                    since=_day(plan.created_at),
                )
            )
    for case in unassigned_cases(user)[:TASKS_PER_KIND]:
        found.append(
            Task(
                "unassigned",
                _("Assign a worker"),
                _subject(case),
                reverse("cases:assign", args=[case.pk]),
                since=case.opened_on,
            )
        )
    found += role_request_tasks(user)
    found += suggestion_tasks(user)
    found += signal_tasks(user)
    found += example_tasks(user)
    return sorted(found, key=task_order)


def signal_tasks(user) -> list[Task]:
    """Early signals (issue 15, item 4): one task for the queue (its earliest deadline), and
    for a team lead each untouched signal past its deadline (the escalation). The subject
    names the partner, never the household."""
    if not partner_selectors.may_triage(user):
        return []
    rows = partner_selectors.queue(user)
    if not rows:
        return []
    url = reverse("partners:queue")
    found = [
        Task(
            "signal_queue",
            _("Pick up early signals"),
            ngettext("%(n)d signal waiting", "%(n)d signals waiting", len(rows)) % {"n": len(rows)},
            url,
            due=min(r.due for r in rows),
        )
    ]
    for row in partner_selectors.escalated(user, rows=rows)[:TASKS_PER_KIND]:
        found.append(
            Task(
                "signal_escalated",
                _("Escalated: an early signal nobody reached out on"),
                f"{row.signal.partner.name} – {row.signal.get_kind_display()}",
                reverse("partners:signal", args=[row.signal.public_id]),
                due=row.due,
            )
        )
    return found


def example_tasks(user) -> list[Task]:
    """The library (issue 16): for a team lead or privacy officer each good example waiting for
    their review; for the person who proposed one, each example returned to them, linked to
    the reason. The subject is the example's de-identified title: no household, no name."""
    found = []
    if library_selectors.may_review_any(user):
        for example in (
            library_selectors.review_queue(user)
            .select_related(None)
            .prefetch_related(None)
            .only("pk", "title", "proposed_at")[:TASKS_PER_KIND]
        ):
            found.append(
                Task(
                    "example_review",
                    _("Review a good example for the library"),
                    example.title,
                    reverse("library:detail", args=[example.pk]) + "#review",
                    since=_day(example.proposed_at),
                )
            )
    if any(m.role in library_selectors.PROPOSERS for m in memberships(user)):
        for example in library_selectors.returned_to(user).only("pk", "title", "reviewed_at")[
            :TASKS_PER_KIND
        ]:
            found.append(
                Task(
                    "example_returned",
                    _("Your good example was returned: read why and change it"),
                    example.title,
                    reverse("library:detail", args=[example.pk]) + "#return-reason",
                    since=_day(example.reviewed_at),
                )
            )
    return found


def suggestion_tasks(user) -> list[Task]:
    """Outside organisations a team suggested, for the functional administrator to accept into
    the directory or reject. The subject names the organisation and the team: no resident."""
    url = reverse("cooperation:suggestions")
    return [
        Task(
            "suggestion",
            _("Suggestion for an outside organisation"),
            f"{organisation.name} – {organisation.suggested_by_team}",
            f"{url}#s-{organisation.pk}",
            since=_day(organisation.created_at),
        )
        for organisation in cooperation_selectors.pending_suggestions(user)[:TASKS_PER_KIND]
    ]


def role_request_tasks(user) -> list[Task]:
    """Role requests this director or privacy officer may approve or refuse: the four-eyes step
    waits for them. The subject names the role and team, not the person."""
    url = reverse("accounts:role_requests")
    return [
        Task(
            "role_request",
            _("Approve or refuse a role request"),
            f"{request.get_role_display()} – {request.team or request.organisation}",
            url,
            since=_day(request.requested_at),
        )
        for request in open_role_requests(user).order_by("requested_at")[:TASKS_PER_KIND]
    ]


@dataclass(frozen=True)
class MainAction:
    label: str
    url: str


def main_action(user, awaiting: int | None = None) -> MainAction | None:
    """The one button a role starts from. A manager's or director's is the decision inbox,
    but only while something waits there (`awaiting`, counted when not given)."""
    if case_selectors.writable_team_ids(user):
        return MainAction(_("New case"), reverse("cases:new"))
    if has_role(user, Role.MANAGER, Role.DIRECTOR):
        if awaiting is None:
            awaiting = decision_selectors.awaiting_count(user)
        if awaiting:
            return MainAction(
                _("Go to the plans awaiting your decision"), reverse("decisions:inbox")
            )
        return None
    if has_role(user, Role.PRIVACY_OFFICER):
        return MainAction(_("Search the audit log"), reverse("audit:list"))
    if has_role(user, Role.ADMIN):
        return MainAction(_("Go to administration"), reverse("admin:index"))
    return None


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
        # Newest case first, by the date the list shows (an assignment has no date of its
        # own); on the same day the latest assignment first.
        data["recent_cases"] = [
            row.case
            for row in Case.assigned_workers.through.objects.filter(
                user_id=user.pk, case__team_id__in=team_ids, case__status=Case.Status.OPEN
            )
            .select_related("case__household")
            .order_by("-case__opened_on", "-id")[:RECENT_CASES]
        ]
    data["tasks"] = tasks(user)
    if user_roles & DECIDING_ROLES:
        data["awaiting"] = decision_selectors.awaiting_count(user)
    data["main_action"] = main_action(user, data.get("awaiting"))
    lead_teams = lead_team_ids(user)
    if lead_teams:
        data["caseload"] = case_selectors.caseload(lead_teams)
    if Role.POLICY_ANALYST in user_roles:
        # Counts per team only: no household, no name, no case link.
        data["team_totals"] = list(
            Case.objects.filter(team__organisation_id__in=organisation_ids(user))
            .values("team__name")
            .annotate(open=Count("id", filter=Q(status=Case.Status.OPEN)), total=Count("id"))
            .order_by("team__name")
        )
    from maatwerk.signals import selectors as signal_selectors

    if user_roles & signal_selectors.START_ROLES:
        today = timezone.localdate()
        data["signals_card"] = True
        shown, total = signal_selectors.open_signals(user, today)
        data["open_signals"] = [(s, s.is_overdue(today)) for s in shown]
        data["open_signals_total"] = total
    if has_role(user, Role.PRIVACY_OFFICER):
        from maatwerk.audit.selectors import audit_events

        data["audit_today"] = audit_events(user).filter(action="view").count()
    return data
