"""Reads for decisions: an organisation's configuration as routing data, who decides a step,
the inbox, the decision trail and the budget overview."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.accounts.models import Department, Membership, User
from maatwerk.accounts.roles import TEAM_ROLES, Role
from maatwerk.accounts.selectors import memberships
from maatwerk.core.formatting import long_date, money

from . import ledger, routing
from .models import (
    Budget,
    Consultation,
    DecisionStep,
    DepartmentRoute,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
    PeerRule,
)

ZERO = Decimal("0.00")

# The amounts of the example, offered to new organisations (the demo data uses them).
# They never apply by themselves: an organisation without mandates cannot submit plans.
DEFAULT_MANDATES = {
    Role.WORKER.value: routing.Mandate(Role.WORKER.value, Decimal("500")),
    Role.TEAM_LEAD.value: routing.Mandate(Role.TEAM_LEAD.value, Decimal("2500")),
    Role.MANAGER.value: routing.Mandate(Role.MANAGER.value, Decimal("10000")),
    Role.DIRECTOR.value: routing.Mandate(Role.DIRECTOR.value, None),
}
DEFAULT_LADDER = (
    routing.Level(0, role=Role.WORKER.value, deadline_working_days=3),
    routing.Level(1, role=Role.TEAM_LEAD.value, deadline_working_days=5),
    routing.Level(2, role=Role.MANAGER.value, deadline_working_days=5),
    routing.Level(3, role=Role.DIRECTOR.value, deadline_working_days=10),
)
BUDGET_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})


@dataclass
class Config:
    ladder: list[routing.Level]
    mandates: dict[str, routing.Mandate]
    peer_rule: routing.PeerLimit | None = None
    rows: dict[int, EscalationLevel] = field(default_factory=dict)
    departments: list[routing.DepartmentRoute] = field(default_factory=list)

    @property
    def mandates_configured(self) -> bool:
        return bool(self.mandates)


def config_for(organisation) -> Config:
    """The organisation's mandates, peer rule, ladder (the default ladder where it set none)
    and routes for plans without money. Mandates have no default: see `mandates_configured`."""
    rows = list(
        EscalationLevel.objects.filter(organisation=organisation).select_related(
            "decider_organisation"
        )
    )
    mandates = {
        m.key: routing.Mandate(m.key, m.amount, m.household_cap_per_year)
        for m in MandateSetting.objects.filter(organisation=organisation)
    }
    peer = PeerRule.objects.filter(organisation=organisation).first()
    return Config(
        ladder=[
            routing.Level(r.position, r.role, r.body, r.deadline_working_days, r.non_financial)
            for r in rows
        ]
        or list(DEFAULT_LADDER),
        mandates=mandates,
        peer_rule=routing.PeerLimit(peer.limit, peer.peers_required) if peer else None,
        rows={r.position: r for r in rows},
        departments=[
            routing.DepartmentRoute(
                r.department_id, r.applier, r.blocking_rule_id, r.deadline_working_days
            )
            for r in DepartmentRoute.objects.filter(organisation=organisation).order_by("pk")
        ],
    )


# --- who decides -------------------------------------------------------------------------------


def level_scope(plan, level: routing.Level, config: Config):
    """The organisation and team (None: organisation-wide) whose people decide `level` for
    `plan`: team roles of the plan's own organisation are its team's."""
    row = config.rows.get(level.position)
    home = plan.case.team.organisation
    organisation = (
        row.decider_organisation if row and row.decider_organisation_id else None
    ) or home
    team = plan.case.team if level.role in TEAM_ROLES and organisation.pk == home.pk else None
    return organisation, team


def holders(organisation_id, *, role="", body="", team_id=None, department_id=None):
    """Active users who hold a level: the role (in the team, for a team level), a named body
    (its organisation's directors) or a department's deciders."""
    if department_id is not None:
        q = Q(role=Role.DECIDER, department_id=department_id)
    elif body:
        q = Q(role=Role.DIRECTOR)
    else:
        q = Q(role=role)
        if team_id is not None:
            q &= Q(team_id=team_id)
    user_ids = Membership.objects.filter(q, organisation_id=organisation_id).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def _not_authors(users, plan):
    return users.exclude(pk__in=[pk for pk in (plan.author_id, plan.submitted_by_id) if pk])


def level_holders(plan, level: routing.Level, config: Config):
    """Who could decide `plan` at `level` (never its author)."""
    organisation, team = level_scope(plan, level, config)
    users = holders(
        organisation.pk, role=level.role, body=level.body, team_id=team.pk if team else None
    )
    return _not_authors(users, plan)


def department_holders(plan, department_id):
    """The deciders of a department who could decide `plan` (never its author)."""
    department = Department.objects.get(pk=department_id)
    return _not_authors(holders(department.organisation_id, department_id=department_id), plan)


def held_positions(plan, config: Config) -> set[int]:
    """The positions of the ladder that someone (not the plan's author) holds for `plan`."""
    return {lv.position for lv in config.ladder if level_holders(plan, lv, config).exists()}


def plan_asks(plan) -> list[tuple[int | None, str]]:
    """Per obstacle of `plan` (oldest first): its blocking rule and who applies it (the
    obstacle's own record of that, so a newly described rule without a catalogue entry too)."""
    return [
        (rule_id, applied_by or rule_applied_by or "")
        for rule_id, applied_by, rule_applied_by in plan.obstacles.order_by("pk").values_list(
            "blocking_rule_id", "applied_by", "blocking_rule__applied_by"
        )
    ]


@dataclass(frozen=True)
class SubmitPreview:
    """Who a plan goes to when it is submitted now: the level's (or department's) name and
    its people."""

    level: str
    deciders: list


def submit_preview(plan, actor) -> SubmitPreview | None:
    """Where `plan` goes when `actor` submits it now: the same choice `services.route` makes
    (a department for a plan without money, else the first level up the ladder that someone
    other than the author and `actor` holds), read without writing. None when nobody can
    decide it: submitting then refuses with the reason."""
    plan = copy.copy(plan)
    plan.submitted_by_id = actor.pk  # as submitting sets it: the submitter never decides
    config = config_for(plan.case.team.organisation)
    if not config.mandates_configured:
        return None
    amount = plan.amount_requested or ZERO
    if amount == 0:
        department = routing.department_for(plan_asks(plan), config.departments)
        if department is not None:
            people = list(department_holders(plan, department.department))
            if people:
                name = Department.objects.get(pk=department.department).name
                return SubmitPreview(name, people)
    try:
        routed = routing.route_to_holder(
            amount, config.ladder, config.mandates, held_positions(plan, config)
        )
    except routing.RoutingError:
        return None
    level = routed.level
    try:
        label = level.body or str(Role(level.role).label)
    except ValueError:
        label = level.role
    return SubmitPreview(label, list(level_holders(plan, level, config)))


def step_deciders(step: DecisionStep) -> list:
    """The people the step is routed to (never the plan's author)."""
    users = holders(
        step.organisation_id,
        role=step.assigned_role,
        body=step.assigned_body,
        team_id=step.team_id,
        department_id=step.department_id,
    )
    return list(_not_authors(users, step.plan))


@dataclass(frozen=True)
class OwnMandate:
    """What one of the user's roles may grant alone per plan (``amount`` None: no limit)."""

    label: str
    amount: Decimal | None


def level_name(key: str) -> str:
    try:
        return str(Role(key).label)
    except ValueError:
        return key  # a named body


def own_mandates(user) -> list[OwnMandate]:
    """The mandates of the user's roles in their organisations, highest first, once each: what
    the inbox says as "Uw mandaat: tot € X"."""
    found: dict[tuple[str, Decimal | None], OwnMandate] = {}
    configs: dict[int, Config] = {}
    for m in memberships(user):
        if m.organisation_id not in configs:
            configs[m.organisation_id] = config_for(m.organisation)
        mandate = configs[m.organisation_id].mandates.get(m.role)
        if mandate is not None and (mandate.amount is None or mandate.amount > 0):
            found[(m.role, mandate.amount)] = OwnMandate(level_name(m.role), mandate.amount)
    return sorted(
        found.values(), key=lambda o: (o.amount is not None, -(o.amount or ZERO), o.label)
    )


@dataclass(frozen=True)
class StepMandates:
    """For the decision page: the mandate of the step's level, the level below it that the
    amount passed by because it is above that level's mandate, and where escalating leads
    (None at the top: nobody decides above)."""

    own: routing.Mandate | None = None
    below_label: str = ""
    below: routing.Mandate | None = None
    escalates_to: routing.Routed | None = None


def step_mandates(step: DecisionStep) -> StepMandates:
    """The mandate facts of an open step (see `StepMandates`), from the plan organisation's
    configuration: the same mandates approving checks."""
    plan = step.plan
    config = config_for(plan.case.team.organisation)
    try:
        escalates_to = routing.escalate_to_holder(
            config.ladder,
            None if step.department_id else step.position,
            held_positions(plan, config),
        )
    except routing.RoutingError:
        escalates_to = None
    if step.department_id:
        return StepMandates(escalates_to=escalates_to)
    own = config.mandates.get(step.key)
    amount = plan.amount_requested or ZERO
    below_label, below = "", None
    if amount > 0 and step.position is not None:
        lower = [
            lv
            for lv in config.ladder
            if lv.position < step.position and not lv.non_financial and lv.key in config.mandates
        ]
        for level in sorted(lower, key=lambda lv: lv.position, reverse=True):
            mandate = config.mandates[level.key]
            if mandate.amount is not None and 0 < mandate.amount < amount:
                below_label, below = level_name(level.key), mandate
                break
    return StepMandates(own, below_label, below, escalates_to)


@dataclass(frozen=True)
class RevisionNote:
    """On the decision page of a revised plan: the version it revises, the decision on that
    version, and what changed since (label, before, after; before and after empty for a text
    that changed)."""

    previous: object
    step: DecisionStep | None
    changes: list[tuple[str, str, str]]


def _shown(plan, name: str) -> str:
    value = getattr(plan, name)
    if name == "amount_requested":
        return money(value) if value else _("no money")
    if name == "form":
        return plan.get_form_display() if value else "–"
    if name == "when":
        return long_date(value) if value else "–"
    return value or "–"


# The plan's fields a decider compares with the version before: (field, label, is long text).
REVISED_FIELDS = (
    ("amount_requested", gettext_lazy("amount"), False),
    ("form", gettext_lazy("form"), False),
    ("payee", gettext_lazy("paid to"), False),
    ("by_whom", gettext_lazy("by whom"), False),
    ("when", gettext_lazy("when"), False),
    ("solution", gettext_lazy("the solution (text)"), True),
)


def revision_note(plan) -> RevisionNote | None:
    """For a plan that revises an earlier version: that version, the decision that ended it
    (rejected, withdrawn) and the fields that differ. None for a first version."""
    previous = plan.previous_version
    if previous is None:
        return None
    final = [s for s in trail(previous) if s.outcome in FINAL_OUTCOMES]
    changes = []
    for name, label, long_text in REVISED_FIELDS:
        if getattr(previous, name) != getattr(plan, name):
            before, after = ("", "") if long_text else (_shown(previous, name), _shown(plan, name))
            changes.append((str(label), before, after))
    return RevisionNote(previous, final[-1] if final else None, changes)


def level_deciders(plan, level: routing.Level) -> list:
    """The people who decide `level` for `plan` (never its author)."""
    return list(level_holders(plan, level, config_for(plan.case.team.organisation)))


# The outcomes that end a plan's way up the ladder: what a revision answers to.
FINAL_OUTCOMES = (
    DecisionStep.Outcome.REJECT,
    DecisionStep.Outcome.WITHDRAW,
    DecisionStep.Outcome.APPROVE,
)


def open_step(plan) -> DecisionStep | None:
    return (
        DecisionStep.objects.filter(plan=plan, outcome="")
        .select_related("department", "organisation")
        .first()
    )


@dataclass(frozen=True)
class EmptyLevel:
    team: object
    level: routing.Level
    label: str


def empty_levels(organisation) -> list[EmptyLevel]:
    """Per team of `organisation`: the levels of its ladder that nobody holds."""
    config = config_for(organisation)
    result = []
    for team in organisation.teams.order_by("name"):
        for level in config.ladder:
            row = config.rows.get(level.position)
            target = (
                row.decider_organisation if row and row.decider_organisation_id else organisation
            )
            in_team = level.role in TEAM_ROLES and target.pk == organisation.pk
            users = holders(
                target.pk, role=level.role, body=level.body, team_id=team.pk if in_team else None
            )
            if not users.exists():
                label = level.body or str(Role(level.role).label)
                result.append(EmptyLevel(team, level, label))
    return result


def empty_departments(organisation) -> list:
    """Departments that plans without money are routed to, but that have no decider."""
    used = DepartmentRoute.objects.filter(organisation=organisation).values("department_id")
    return [
        d
        for d in Department.objects.filter(pk__in=used).order_by("name")
        if not holders(d.organisation_id, department_id=d.pk).exists()
    ]


def peer_limit(organisation_id) -> routing.PeerLimit | None:
    """The organisation's peer rule as routing data (None: colleagues decide nothing)."""
    row = PeerRule.objects.filter(organisation_id=organisation_id).first()
    return routing.PeerLimit(row.limit, row.peers_required) if row else None


def is_author(user, plan) -> bool:
    """The fact `routing.refusal` needs: whether `user` wrote or submitted `plan`."""
    return user is not None and routing.is_own_plan(user.pk, plan.author_id, plan.submitted_by_id)


def is_peer(user, plan) -> bool:
    """A worker or team lead of the plan's team (not checking authorship)."""
    return any(
        m.role in (Role.WORKER, Role.TEAM_LEAD) and m.team_id == plan.case.team_id
        for m in memberships(user)
    )


def vote_refusal(user, plan, limit: routing.PeerLimit | None) -> str | None:
    """`routing.vote_refusal` fed the facts of `user` and `plan`."""
    return routing.vote_refusal(
        plan.amount_requested or ZERO,
        limit,
        author_is_voter=is_author(user, plan),
        is_colleague=is_peer(user, plan),
    )


def may_vote(user, plan) -> bool:
    """Whether `user` may vote on `plan` under its organisation's peer rule."""
    return vote_refusal(user, plan, peer_limit(plan.case.team.organisation_id)) is None


def _matches(m, step: DecisionStep) -> bool:
    if m.organisation_id != step.organisation_id:
        return False
    if step.department_id or m.role == Role.DECIDER:
        return m.role == Role.DECIDER and m.department_id == step.department_id
    if step.assigned_body:
        return m.role == Role.DIRECTOR
    if m.role != step.assigned_role:
        return False
    return step.team_id is None or m.team_id == step.team_id


def is_decider(user, step: DecisionStep) -> bool:
    """Whether `user` holds the role (or sits on the body) the open step is routed to."""
    return step.is_open and any(_matches(m, step) for m in memberships(user))


def _inbox_filter(user) -> Q | None:
    q = None
    for m in memberships(user):
        if m.role == Role.DECIDER:
            if m.department_id is not None:
                part = Q(department_id=m.department_id)
                q = part if q is None else q | part
            continue
        part = Q(organisation_id=m.organisation_id, assigned_role=m.role) & (
            Q(team__isnull=True) | Q(team_id=m.team_id)
        )
        if m.role == Role.DIRECTOR:
            part |= Q(organisation_id=m.organisation_id) & ~Q(assigned_body="")
        q = part if q is None else q | part
    return q


def _open_steps(q: Q | None, user) -> QuerySet[DecisionStep]:
    """Open steps matching `q`, never on the user's own plans, oldest deadline first."""
    if q is None:
        return DecisionStep.objects.none()
    return (
        DecisionStep.objects.filter(q, outcome="")
        .exclude(plan__author=user)
        .exclude(plan__submitted_by=user)
        .select_related("plan__case__team", "plan__case__household", "department")
        .order_by("deadline", "opened_at", "id")
    )


def inbox(user) -> QuerySet[DecisionStep]:
    """Open steps routed to `user` (never their own plans), oldest deadline first."""
    return _open_steps(_inbox_filter(user), user)


def _peer_filter(user) -> Q | None:
    """Open steps on small plans of the user's team(s) that the peer rule lets them vote on."""
    teams = {
        m.team_id: m.organisation_id
        for m in memberships(user)
        if m.role in (Role.WORKER, Role.TEAM_LEAD) and m.team_id
    }
    if not teams:
        return None
    limits = {
        organisation_id: routing.PeerLimit(limit, required)
        for organisation_id, limit, required in PeerRule.objects.filter(
            organisation_id__in=set(teams.values())
        ).values_list("organisation_id", "limit", "peers_required")
    }
    q = None
    for team_id, organisation_id in teams.items():
        if organisation_id not in limits:
            continue
        part = Q(plan__case__team_id=team_id) & peer_amount_q(limits[organisation_id])
        q = part if q is None else q | part
    return q


def peer_amount_q(limit: routing.PeerLimit, field: str = "plan__amount_requested") -> Q:
    """`PeerLimit.allows` as a query: amounts above zero up to the limit (the same bounds;
    tests/decisions/test_decisions_selectors.py checks they agree)."""
    low, high = limit.bounds
    return Q(**{f"{field}__gt": low, f"{field}__lte": high})


def peer_votes_waiting(user) -> QuerySet[DecisionStep]:
    """Open steps of colleagues' small plans the user may still vote on (never their own)."""
    return _open_steps(_peer_filter(user), user).exclude(plan__peer_votes__voter=user)


def awaiting_count(user) -> int:
    """How many plans wait for the user: routed to them, or open to their peer vote.

    One count (plus the peer rules when the user is in a team), whatever the data.
    """
    inbox_q, peer_q = _inbox_filter(user), _peer_filter(user)
    if peer_q is not None:
        peer_q &= ~Q(plan__peer_votes__voter=user)
    parts = [q for q in (inbox_q, peer_q) if q is not None]
    if not parts:
        return 0
    q = parts[0] if len(parts) == 1 else parts[0] | parts[1]
    return (
        DecisionStep.objects.filter(q, outcome="")
        .exclude(plan__author=user)
        .exclude(plan__submitted_by=user)
        .count()
    )


def open_step_for(user, plan_pk: int) -> DecisionStep:
    """The open step of plan `plan_pk` if it is routed to `user`; else DecisionStep.DoesNotExist."""
    return (
        inbox(user)
        .select_related("plan__case__team__organisation", "plan__author", "organisation")
        .get(plan_id=plan_pk)
    )


def trail(plan) -> list[DecisionStep]:
    """Every step of the plan, oldest first: who, when, what, why."""
    return list(
        DecisionStep.objects.filter(plan=plan)
        .select_related("decided_by", "organisation", "department")
        .order_by("opened_at", "id")
    )


def last_decided_step(plan) -> DecisionStep | None:
    """The plan's latest closed step (the decision that took it out of the user's hands)."""
    return (
        DecisionStep.objects.filter(plan=plan)
        .exclude(outcome="")
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def decided_on(user, plan) -> bool:
    """Whether `user` decided a step of `plan`, or held a step of it that is now closed (a
    department decider whose colleague decided): they may hear that it is decided."""
    steps = DecisionStep.objects.filter(plan=plan).exclude(outcome="")
    if steps.filter(decided_by=user).exists():
        return True
    own = memberships(user)
    return any(_matches(m, step) for step in steps.exclude(department=None) for m in own)


def consultations(plan) -> list[Consultation]:
    return list(Consultation.objects.filter(plan=plan).prefetch_related("users"))


def age_in_days(step: DecisionStep, now: datetime | None = None) -> int:
    return (timezone.localdate(now) - timezone.localdate(step.opened_at)).days


def is_overdue(step: DecisionStep, now: datetime | None = None) -> bool:
    return step.is_open and routing.is_overdue(timezone.localdate(now), step.deadline)


# --- budgets -----------------------------------------------------------------------------------


def manages_budget(user, budget: Budget) -> bool:
    """Team leads and managers of the budget's team, managers and directors of a pool's
    organisation, and directors of the budget's organisation."""
    for m in memberships(user):
        if m.role not in BUDGET_ROLES or m.organisation_id != budget.organisation_id:
            continue
        if m.role == Role.DIRECTOR:
            return True
        if budget.team_id is None and m.role == Role.MANAGER:
            return True
        if budget.team_id is not None and m.team_id == budget.team_id:
            return True
    return False


def visible_budgets(user, year: int | None = None) -> QuerySet[Budget]:
    q = None
    for m in memberships(user):
        if m.role not in BUDGET_ROLES:
            continue
        if m.role == Role.DIRECTOR:
            part = Q(organisation_id=m.organisation_id)
        elif m.role == Role.MANAGER:
            part = Q(team_id=m.team_id) | Q(organisation_id=m.organisation_id, team__isnull=True)
        else:
            part = Q(team_id=m.team_id)
        q = part if q is None else q | part
    if q is None:
        return Budget.objects.none()
    qs = Budget.objects.filter(q).select_related("team", "organisation")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "organisation__name", "team__name")


@dataclass(frozen=True)
class BudgetRow:
    budget: Budget
    committed: Decimal
    paid: Decimal
    available: Decimal
    pending: Decimal = ZERO  # asked for in plans still waiting for a decision

    @property
    def left(self) -> Decimal:
        """What stays available when every pending plan is approved (may be below zero)."""
        return self.available - self.pending

    @property
    def bar(self) -> list[tuple[str, int, int]]:
        """(part, start, width) in thousandths of the budget for paid, committed and pending,
        for the bar on the overview; the rest of the bar is what is left. Capped at the whole."""
        total = self.budget.amount
        segments, start = [], 0
        for name in ("paid", "committed", "pending"):
            part = getattr(self, name)
            width = 0 if total <= 0 else int(min(max(part / total, 0), 1) * 1000)
            width = min(width, 1000 - start)
            segments.append((name, start, width))
            start += width
        return segments


def _pending(budgets: list[Budget]) -> dict[int, Decimal]:
    """Per budget of this year: what submitted plans ask that an approval would book on it.

    An approval books on this year's budget of the plan's team, or else on its organisation's
    pool (services.budget_for); other years have nothing pending. Two queries."""
    from maatwerk.plans.lifecycle import SUBMITTED
    from maatwerk.plans.models import Plan

    year = timezone.localdate().year
    current = [b for b in budgets if b.year == year]
    if not current:
        return {}
    orgs = {b.organisation_id for b in current}
    asked = (
        Plan.objects.filter(
            status=SUBMITTED, amount_requested__gt=0, case__team__organisation_id__in=orgs
        )
        .values_list("case__team_id", "case__team__organisation_id")
        .annotate(total=Sum("amount_requested"))
        .order_by()
    )
    with_budget = set(
        Budget.objects.filter(organisation_id__in=orgs, year=year, team__isnull=False).values_list(
            "team_id", flat=True
        )
    )
    per_team: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_pool: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for team_id, org_id, total in asked:
        if team_id in with_budget:
            per_team[team_id] += total
        else:
            per_pool[org_id] += total
    return {
        b.pk: (per_team[b.team_id] if b.team_id else per_pool[b.organisation_id]) for b in current
    }


def budget_rows(budgets) -> list[BudgetRow]:
    """Budget, open commitments, payments, available and pending per budget, in four queries."""
    budgets = list(budgets)
    pending = _pending(budgets)
    per_budget: dict[int, list[ledger.Entry]] = defaultdict(list)
    for budget_id, pk, kind, amount, ref in (
        LedgerEntry.objects.filter(budget__in=budgets)
        .order_by("id")
        .values_list("budget_id", "id", "kind", "amount", "refers_to_id")
    ):
        per_budget[budget_id].append(ledger.Entry(pk, kind, amount, ref))
    rows = []
    for b in budgets:
        committed, paid, available = ledger.balances(b.amount, per_budget.get(b.pk, []))
        rows.append(BudgetRow(b, committed, paid, available, pending.get(b.pk, ZERO)))
    return rows


def plan_paid_and_open(plan) -> tuple[Decimal, Decimal]:
    """What was paid on `plan` and what is still committed to it, from its ledger entries."""
    entries = [
        ledger.Entry(pk, kind, amount, ref)
        for pk, kind, amount, ref in LedgerEntry.objects.filter(plan=plan)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id")
    ]
    return ledger.plan_totals(entries)


def decisions_for_author(user, limit: int = 5) -> list[DecisionStep]:
    """The latest final decisions (approved, rejected) on plans `user` wrote, newest first.

    Only the author's own plans: what they may read anyway.
    """
    if user is None or not user.is_authenticated:
        return []
    return list(
        DecisionStep.objects.filter(
            plan__author=user,
            outcome__in=[DecisionStep.Outcome.APPROVE, DecisionStep.Outcome.REJECT],
        )
        .select_related("plan", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def open_amount(commitment: LedgerEntry) -> Decimal:
    entries = [
        ledger.Entry(pk, kind, amount, ref)
        for pk, kind, amount, ref in LedgerEntry.objects.filter(budget_id=commitment.budget_id)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id")
    ]
    return ledger.open_amount(entries, commitment.pk)


def budget_entries(budget: Budget) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(budget=budget)
        .select_related("created_by", "plan__case__household", "collective_approach", "detail")
        .order_by("id")
    )


def corrected_by(entries: list[LedgerEntry]) -> dict[int, int]:
    """Per entry cancelled by a correction in force: that correction's id (a correction that
    is itself corrected no longer cancels its entry, which is then in force again)."""
    plain = [ledger.Entry(e.pk, e.kind, e.amount, e.refers_to_id) for e in entries]
    active = ledger.active_ids(plain)
    return {e.refers_to: e.id for e in plain if e.kind == ledger.REVERSAL and e.id in active}


def open_amounts(budget: Budget, entries: list[LedgerEntry]) -> dict[int, Decimal]:
    """Per commitment in force: what is still open of it (for the ledger page)."""
    plain = [ledger.Entry(e.pk, e.kind, e.amount, e.refers_to_id) for e in entries]
    active = ledger.active_ids(plain)
    settled = ledger.settled_by_commitment(plain, active)
    result = {}
    for e in plain:
        if e.kind == ledger.COMMITMENT and e.id in active:
            paid, released = settled.get(e.id, (ZERO, ZERO))
            result[e.id] = e.amount - paid - released
    return result


def granted_per_plan(budgets, *, per: str = "plan_id") -> dict[int, Decimal]:
    """Per plan: what was granted on these budgets (commitments in force minus releases).
    `per="collective_approach_id"`: the same per collective approach."""
    per_budget: dict[int, list[tuple[ledger.Entry, int]]] = defaultdict(list)
    for budget_id, pk, kind, amount, ref, plan_id in (
        LedgerEntry.objects.filter(budget__in=list(budgets))
        .order_by("id")
        .values_list("budget_id", "id", "kind", "amount", "refers_to_id", per)
    ):
        per_budget[budget_id].append((ledger.Entry(pk, kind, amount, ref), plan_id))
    granted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for rows in per_budget.values():
        entries = [e for e, _plan in rows]
        active = ledger.active_ids(entries)
        settled = ledger.settled_by_commitment(entries, active)
        for e, plan_id in rows:
            if e.kind == ledger.COMMITMENT and e.id in active:
                granted[plan_id] += e.amount - settled.get(e.id, (ZERO, ZERO))[1]
    return dict(granted)


def spending(budgets) -> tuple[list[tuple[str, Decimal]], list[tuple[str, Decimal]]]:
    """What was granted per blocking rule and per life domain (no household, no name).

    A plan for several obstacles (or a case in several life domains) counts under each, so the
    columns do not add up to the total.
    """
    from maatwerk.cases.models import Obstacle
    from maatwerk.core.domains import LifeDomain
    from maatwerk.plans.models import Plan

    from .models import CollectiveApproach

    budgets = list(budgets)
    granted = granted_per_plan(budgets)
    granted.pop(None, None)  # a collective approach's money: counted below, on rows of its own
    by_rule: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_domain: dict[str, Decimal] = defaultdict(lambda: ZERO)
    # Walk 14: the collective approaches spend from the same budgets; their money goes under
    # the approach's rule and life domain, labelled, so the tables show all that was granted.
    approaches = granted_per_plan(budgets, per="collective_approach_id")
    approaches.pop(None, None)
    for rule_name, domain, amount in (
        (name, domain, approaches[pk])
        for pk, name, domain in CollectiveApproach.objects.filter(
            pk__in=list(approaches)
        ).values_list("pk", "blocking_rule__name_nl", "life_domain")
    ):
        label = (
            _("%(rule)s (collective approach)") % {"rule": rule_name}
            if rule_name
            else _("Collective approach without a rule")
        )
        by_rule[str(label)] += amount
        if domain:
            by_domain[
                str(_("%(domain)s (collective approach)") % {"domain": LifeDomain(domain).label})
            ] += amount
    if not granted:
        return (
            sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])),
            sorted(by_domain.items(), key=lambda kv: (-kv[1], kv[0])),
        )
    rules = Obstacle.objects.filter(plans__in=list(granted)).values_list(
        "plans", "blocking_rule__name_nl"
    )
    for plan_id, name in rules.distinct():
        by_rule[name or str(_("New obstacle"))] += granted[plan_id]
    domains = Plan.objects.filter(pk__in=list(granted)).values_list(
        "pk", "case__life_domains__domain"
    )
    for plan_id, domain in domains.distinct():
        if domain:
            by_domain[str(LifeDomain(domain).label)] += granted[plan_id]
    return (
        sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])),
        sorted(by_domain.items(), key=lambda kv: (-kv[1], kv[0])),
    )


@dataclass(frozen=True)
class PlanPayment:
    """What the ledger says of one plan: granted (paid + open), paid, still open, and the
    commitment in force a next payment settles (the oldest with something open)."""

    granted: Decimal
    paid: Decimal
    open: Decimal
    commitment: LedgerEntry | None
    entries: int


def plan_payment(plan) -> PlanPayment:
    """The plan's payment position from its own ledger entries (one query)."""
    entries = list(
        LedgerEntry.objects.filter(plan=plan).select_related("budget", "detail").order_by("id")
    )
    plain = [ledger.Entry(e.pk, e.kind, e.amount, e.refers_to_id) for e in entries]
    paid, still_open = ledger.plan_totals(plain)
    open_per = open_amounts(None, entries)
    commitment = next((e for e in entries if open_per.get(e.pk, ZERO) > 0), None)
    return PlanPayment(paid + still_open, paid, still_open, commitment, len(entries))


def entry_actions(entries: list[LedgerEntry]) -> dict[int, list[str]]:
    """Per ledger row the movements that fit it (the ledger rules would refuse the others):
    a commitment with something open may be paid or released; anything in force that is not a
    reversal may be reversed, a commitment only once nothing settles it any more; a reversed
    entry or a reversal takes nothing."""
    plain = [ledger.Entry(e.pk, e.kind, e.amount, e.refers_to_id) for e in entries]
    active = ledger.active_ids(plain)
    settled = ledger.settled_by_commitment(plain, active)
    open_per = open_amounts(None, entries)
    result = {}
    for e in plain:
        actions = []
        if e.id in active and e.kind != ledger.REVERSAL:
            if open_per.get(e.id, ZERO) > 0:
                actions += [ledger.PAYMENT, ledger.RELEASE]
            if settled.get(e.id, (ZERO, ZERO)) == (ZERO, ZERO):
                actions.append(ledger.REVERSAL)
        result[e.id] = actions
    return result


@dataclass(frozen=True)
class BudgetAfter:
    """What approving a plan does to its budget: the budget row now and what is left after."""

    row: BudgetRow
    amount: Decimal
    left: Decimal

    @property
    def enough(self) -> bool:
        return self.left >= 0


def budget_after(plan, year: int) -> BudgetAfter | None:
    """The budget a plan's money would come from in `year` (the team's, else its
    organisation's pool, as approving takes it) and what is left after approving the plan.
    None for a plan without money or a team without a budget that year."""
    if not plan.amount_requested:
        return None
    team = plan.case.team
    budget = (
        Budget.objects.filter(team=team, year=year).order_by("pk").first()
        or Budget.objects.filter(organisation_id=team.organisation_id, team__isnull=True, year=year)
        .order_by("pk")
        .first()
    )
    if budget is None:
        return None
    row = budget_rows([budget])[0]
    return BudgetAfter(row, plan.amount_requested, row.available - plan.amount_requested)


@dataclass(frozen=True)
class PendingPlan:
    """A submitted plan whose asked amount an approval would book on a budget: the plan, the
    amount, the level it waits at and the people who decide it."""

    plan_id: int
    amount: Decimal
    level: str
    deciders: list


def pending_plans(budget: Budget) -> list[PendingPlan]:
    """The plans behind a budget's "pending" figure (the same plans `_pending` adds up), oldest
    submitted first, each with who decides it. No personal data: plan number and amount."""
    from maatwerk.plans.lifecycle import SUBMITTED
    from maatwerk.plans.models import Plan

    if budget.year != timezone.localdate().year:
        return []
    plans = Plan.objects.filter(
        status=SUBMITTED,
        amount_requested__gt=0,
        case__team__organisation_id=budget.organisation_id,
    )
    if budget.team_id:
        plans = plans.filter(case__team_id=budget.team_id)
    else:
        with_budget = Budget.objects.filter(
            organisation_id=budget.organisation_id, year=budget.year, team__isnull=False
        ).values("team_id")
        plans = plans.exclude(case__team_id__in=with_budget)
    steps = (
        DecisionStep.objects.filter(plan__in=plans, outcome="")
        .select_related("plan", "department", "organisation")
        .order_by("plan_id")
    )
    return [
        PendingPlan(
            s.plan_id,
            s.plan.amount_requested,
            s.level_label,
            [u.get_full_name() or u.username for u in step_deciders(s)],
        )
        for s in steps
    ]


def mdt_state(plan_ids) -> dict[int, str]:
    """Per plan whose latest closed step asked for an MDT consultation: ``"asked"``, or
    ``"held"`` once a consultation was recorded after that (for the inbox)."""
    asked: dict[int, datetime] = {}
    for plan_id, outcome, decided_at in (
        DecisionStep.objects.filter(plan_id__in=list(plan_ids))
        .exclude(outcome="")
        .order_by("plan_id", "decided_at", "id")
        .values_list("plan_id", "outcome", "decided_at")
    ):
        if outcome == DecisionStep.Outcome.CONSULT:
            asked[plan_id] = decided_at
        else:
            asked.pop(plan_id, None)
    held = set(
        Consultation.objects.filter(plan_id__in=list(asked))
        .values_list("plan_id", "created_at")
        .order_by()
    )
    held_plans = {p for p, at in held if at >= asked[p]}
    return {p: ("held" if p in held_plans else "asked") for p in asked}


def consultation_question(plan) -> str:
    """The question the decider wrote when asking for the MDT consultation on `plan` (the
    latest such step's reason), to start the record of that consultation with."""
    step = (
        DecisionStep.objects.filter(plan=plan, outcome=DecisionStep.Outcome.CONSULT)
        .order_by("-decided_at", "-id")
        .first()
    )
    return step.reason if step else ""


# --- collective approaches ---------------------------------------------------------------------


def leads_team(user, team_id: int) -> bool:
    """A team lead of `team_id` (who records what was done for a collective approach)."""
    return any(m.role == Role.TEAM_LEAD and m.team_id == team_id for m in memberships(user))


# Who may start a collective approach for a team: its team lead and manager, and a director
# of its organisation. How much budget each may commit alone is their role's mandate, the same
# mandates and ladder that route plans (`approach_mandate_refusal`).
APPROACH_ROLES = (Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR)


def approach_roles(user, team) -> list[str]:
    """The roles `user` starts a collective approach of `team` in (empty: may not)."""
    found = []
    for m in memberships(user):
        if m.role not in APPROACH_ROLES or m.organisation_id != team.organisation_id:
            continue
        if m.role == Role.DIRECTOR or m.team_id == team.pk:
            found.append(m.role)
    return found


def approach_teams(user) -> list:
    """The teams `user` may start a collective approach for, by name."""
    from maatwerk.accounts.models import Team

    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role == Role.DIRECTOR:
            q |= Q(organisation_id=m.organisation_id)
        elif m.role in APPROACH_ROLES and m.team_id:
            q |= Q(pk=m.team_id)
    return list(Team.objects.filter(q).order_by("name"))


NO_APPROACH_MANDATES = gettext_lazy(
    "Your organisation has not configured its mandates yet, so nobody may commit budget to a "
    "collective approach. Ask the functional administrator to configure the mandates per role, "
    "or start the approach without a budget."
)
BEYOND_APPROACH_MANDATE = gettext_lazy(
    "%(amount)s is more than your mandate (%(own)s). A budget this size is decided by: "
    "%(who)s. Ask them to start this collective approach, or give it a smaller budget."
)
NO_APPROACH_LEVEL = gettext_lazy(
    "%(amount)s is more than your mandate (%(own)s), and no level of the escalation ladder has "
    "a mandate for it. Give the approach a smaller budget, or ask the functional administrator "
    "to configure the ladder and the mandates."
)


def _mandate_label(key: str, mandate: routing.Mandate | None) -> str:
    if mandate is None:
        return _("%(who)s: no mandate") % {"who": level_name(key)}
    if mandate.amount is None:
        return _("%(who)s: no upper limit") % {"who": level_name(key)}
    return _("%(who)s: up to %(amount)s") % {
        "who": level_name(key),
        "amount": money(mandate.amount),
    }


def _mandate_rank(mandate: routing.Mandate | None) -> tuple[int, Decimal]:
    """Orders mandates: none < an amount (by size) < no upper limit."""
    if mandate is None:
        return (0, ZERO)
    return (2, ZERO) if mandate.amount is None else (1, mandate.amount)


@dataclass(frozen=True)
class ApproachDecider:
    """The level of the escalation ladder that decides a collective approach's budget above
    someone's mandate: its mandate as a label ("Leidinggevende: tot € 10.000"), who holds it
    (at most three, by name) and their e-mail addresses (for the hand-over)."""

    label: str
    level: str
    names: tuple[str, ...]
    emails: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label} ({', '.join(self.names)})" if self.names else self.label

    @property
    def addressee(self) -> str:
        """The level and who holds it, without the amount ("Leidinggevende (Mila Manager)")."""
        return f"{self.level} ({', '.join(self.names)})" if self.names else self.level


@dataclass(frozen=True)
class ApproachMandate:
    """What `user` may commit to a collective approach of `team` alone, to show on the form
    before anything is submitted: their own mandate (a label; `limit` None when it has no upper
    limit) and who decides above it (None: nobody on the ladder, or no upper limit)."""

    configured: bool
    own: str
    limit: Decimal | None
    above: ApproachDecider | None


def _own_approach_mandate(user, team, config) -> tuple[str, routing.Mandate | None]:
    """The user's highest mandate for this team (its role key and the mandate)."""
    roles = approach_roles(user, team)
    own = max(roles, key=lambda r: _mandate_rank(config.mandates.get(r)), default="")
    return own, config.mandates.get(own) if own else None


def approach_decider(team, amount: Decimal) -> ApproachDecider | None:
    """Who decides a collective approach of `team` with budget `amount`: `routing.route` names
    the lowest level of the ladder whose mandate covers it (the plans' rule, not a copy), and
    `holders` who holds that level. None when no level of the ladder covers the amount."""
    config = config_for(team.organisation)
    try:
        level = routing.route(Decimal(amount), config.ladder, config.mandates, non_financial=False)
    except routing.RoutingError:
        return None
    people = list(
        holders(
            team.organisation_id,
            role=level.role,
            body=level.body,
            team_id=team.pk if level.role in TEAM_ROLES else None,
        )
    )
    return ApproachDecider(
        label=_mandate_label(level.key, config.mandates.get(level.key)),
        level=level_name(level.key),
        names=tuple(u.get_full_name() or u.username for u in people[:3]),
        emails=tuple(sorted({u.email for u in people if u.email})),
    )


def approach_mandate(user, team) -> ApproachMandate:
    """`user`'s mandate for a collective approach of `team` and who decides above it, for the
    form to say before submit (walk of issue 14: the limit only showed in the refusal)."""
    config = config_for(team.organisation)
    if not config.mandates_configured:
        return ApproachMandate(False, str(NO_APPROACH_MANDATES), ZERO, None)
    own, mandate = _own_approach_mandate(user, team, config)
    label = _mandate_label(own, mandate) if own else _("none")
    if mandate is not None and mandate.amount is None:
        return ApproachMandate(True, label, None, None)
    limit = mandate.amount if mandate is not None else ZERO
    return ApproachMandate(True, label, limit, approach_decider(team, limit + Decimal("0.01")))


def approach_mandate_refusal(user, team, amount: Decimal | None) -> str | None:
    """Why `user` may not commit `amount` to a collective approach of `team` alone, in the
    interface language, or None when they may.

    The plans' mandate rules, not a copy of them: `routing.refusal` judges each of the user's
    roles for the team against the organisation's mandates (`config_for`); above all of them,
    `approach_decider` names the lowest level of the ladder whose mandate covers the amount and
    who holds it. An approach has no decision step of its own: the service refuses, and the
    page offers to hand the proposal over to that level (`hand_over_collective_approach`).
    Without money nothing is granted: no mandate."""
    if not amount or Decimal(amount) <= 0:
        return None
    amount = Decimal(amount)
    config = config_for(team.organisation)
    if not config.mandates_configured:
        return str(NO_APPROACH_MANDATES)
    for role in approach_roles(user, team):
        if routing.refusal(role, amount, config.mandates, author_is_decider=False) is None:
            return None
    own, mandate = _own_approach_mandate(user, team, config)
    facts = {
        "amount": money(amount),
        "own": _mandate_label(own, mandate) if own else _("none"),
    }
    decider = approach_decider(team, amount)
    if decider is None:
        return str(NO_APPROACH_LEVEL) % facts
    return str(BEYOND_APPROACH_MANDATE) % {**facts, "who": str(decider)}


def led_teams(user) -> list:
    """The teams `user` leads, by name."""
    from maatwerk.accounts.models import Team

    ids = [m.team_id for m in memberships(user) if m.role == Role.TEAM_LEAD and m.team_id]
    return list(Team.objects.filter(id__in=ids).order_by("name"))


def collective_approaches(organisation_ids) -> QuerySet:
    """The collective approaches of these organisations, newest first (no personal data)."""
    from .models import CollectiveApproach

    return CollectiveApproach.objects.filter(
        organisation_id__in=list(organisation_ids)
    ).select_related("team", "blocking_rule")


@dataclass(frozen=True)
class CollectiveMoney:
    """A collective approach's budget on the ledger: granted (paid + open), paid, open."""

    granted: Decimal
    paid: Decimal
    open: Decimal
    budget_id: int | None


def collective_money(approach) -> CollectiveMoney:
    entries = list(
        LedgerEntry.objects.filter(collective_approach=approach)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id", "budget_id")
    )
    plain = [ledger.Entry(pk, kind, amount, ref) for pk, kind, amount, ref, _b in entries]
    paid, still_open = ledger.plan_totals(plain)
    return CollectiveMoney(paid + still_open, paid, still_open, entries[0][4] if entries else None)
