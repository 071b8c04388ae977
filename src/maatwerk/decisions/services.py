"""Writes for decisions: routing a submitted plan, approving (commits the budget), rejecting,
escalating, MDT consultations, and ledger movements (payment, release, reversal).

Every write runs in one transaction with its audit event. Money is only ever appended to the
ledger; the budget row is locked (`select_for_update`, a row lock on PostgreSQL) before the
available amount is recomputed from the ledger, so concurrent approvals can never overdraw it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.accounts.models import Department
from maatwerk.audit import services as audit
from maatwerk.cases.selectors import known_last_names, may_write
from maatwerk.core import dates, formatting, personal_data
from maatwerk.core import holidays as calendar
from maatwerk.core.errors import ServiceError
from maatwerk.plans import lifecycle
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from . import events, ledger, notify, routing, selectors
from .models import (
    Budget,
    CollectiveActivity,
    CollectiveApproach,
    Consultation,
    DecisionStep,
    LedgerEntry,
    LedgerEntryDetail,
    PeerVote,
)

ZERO = Decimal("0.00")


class DecisionError(ServiceError):
    """A decision rule refused the action; codes `decisions.<reason>` (`mandate`, …)."""

    app = "decisions"


LEDGER_MESSAGES = {
    "insufficient": gettext_lazy(
        "Budget insufficient: the amount does not fit in what is still available."
    ),
    "overpaid": gettext_lazy("The payment exceeds what is still open of the commitment."),
    "over_released": gettext_lazy("The release exceeds what is still open of the commitment."),
    "reversed": gettext_lazy("This entry has already been reversed."),
    "settled": gettext_lazy("Reverse the payments and releases of this commitment first."),
    "refers_to": gettext_lazy(
        "A payment or release settles a commitment: choose it on the row of the plan's "
        "commitment, or use “Record a payment” on the plan."
    ),
    "amount": gettext_lazy("Enter an amount above zero."),
}

# What a person needs to try again after paying or releasing too much: the amount still open.
OVER_OPEN = {
    "overpaid": gettext_lazy(
        "The payment is higher than what is still open (%(open)s). Enter at most that amount, "
        "or first reverse an earlier payment."
    ),
    "over_released": gettext_lazy(
        "The release is higher than what is still open (%(open)s). Enter at most that amount."
    ),
}


def holidays() -> calendar.Calendar:
    """The days deadlines skip besides weekends: Dutch public holidays and the organisation's
    own days off (settings ``MAATWERK_HOLIDAYS``, ``MAATWERK_LIBERATION_DAY``)."""
    return calendar.Calendar(
        frozenset(settings.MAATWERK_HOLIDAYS),
        getattr(settings, "MAATWERK_LIBERATION_DAY", calendar.YEARLY),
    )


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- submitting and routing -------------------------------------------------------------------

NO_MANDATES = gettext_lazy(
    "Your organisation has not configured its mandates yet, so nobody may decide this plan. "
    "Ask the functional administrator to configure the mandates per role."
)
NO_DECIDER = gettext_lazy(
    "Nobody holds a level of the escalation ladder that can decide this plan for this team. "
    "Ask the functional administrator to appoint a decider; the plan stays a draft."
)
NO_LEVEL = gettext_lazy(
    "No level of the escalation ladder has a mandate for this amount. Ask the functional "
    "administrator to configure the ladder and the mandates; the plan stays a draft."
)


def _deadline(now: datetime, working_days: int) -> date:
    return routing.deadline(timezone.localdate(now), working_days, holidays())


def _level_step(plan: Plan, level: routing.Level, now: datetime, config, **fields) -> DecisionStep:
    """A step of `plan` at a ladder `level`, with its organisation and team worked out."""
    organisation, team = selectors.level_scope(plan, level, config)
    return DecisionStep.objects.create(
        plan=plan,
        level=config.rows.get(level.position),
        assigned_role=level.role,
        assigned_body=level.body,
        organisation=organisation,
        team=team,
        position=level.position,
        opened_at=now,
        **fields,
    )


def _open(
    actor,
    plan: Plan,
    now: datetime,
    reason: str,
    *,
    level: routing.Level | None = None,
    department: routing.DepartmentRoute | None = None,
    config=None,
) -> DecisionStep:
    """The one place a step opens: at a ladder `level`, or for a `department`, with its
    deadline in working days. The deciders are told, and an audit event records the opening
    with `reason` (``routed``, ``escalated``, ``consultation``)."""
    if department is not None:
        row = Department.objects.get(pk=department.department)
        step = DecisionStep.objects.create(
            plan=plan,
            organisation_id=row.organisation_id,
            department=row,
            opened_at=now,
            deadline=_deadline(now, department.deadline_working_days),
        )
    else:
        config = config or selectors.config_for(plan.case.team.organisation)
        step = _level_step(
            plan, level, now, config, deadline=_deadline(now, level.deadline_working_days)
        )
    notify.routed(step)
    _audit_routed(actor, step, reason)
    return step


def _record_skip(actor, plan: Plan, level: routing.Level, now: datetime, config) -> DecisionStep:
    """A level nobody holds, passed over: a closed step in the trail, and an audit event."""
    step = _level_step(
        plan,
        level,
        now,
        config,
        deadline=timezone.localdate(now),
        outcome=DecisionStep.Outcome.SKIP,
        decided_at=now,
        automatic=True,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=step,
        reason="skipped",
        changes={"plan": plan.pk, "level": level.key},
    )
    return step


def _audit_routed(actor, step: DecisionStep, reason: str = "routed") -> None:
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=step,
        reason=reason,
        changes={
            "plan": step.plan_id,
            "level": step.key or f"department:{step.department_id}",
            "deadline": str(step.deadline),
        },
    )


def route(actor, plan: Plan, *, now: datetime | None = None) -> DecisionStep:
    """Give a just-submitted plan its first open step. The caller holds the transaction.

    A plan without money goes to the department that decides what it asks, when one is
    configured and has a decider; otherwise (and for money) up the ladder, past the levels
    nobody holds. Refuses with a ValidationError (codes ``no_mandates``, ``no_decider``,
    ``no_level``) when nobody can decide it: the caller's transaction then rolls back.
    """
    now = _now(now)
    config = selectors.config_for(plan.case.team.organisation)
    if not config.mandates_configured:
        raise DecisionError(NO_MANDATES, code="no_mandates")
    amount = plan.amount_requested or ZERO
    if amount == 0:
        department = routing.department_for(selectors.plan_asks(plan), config.departments)
        if (
            department is not None
            and selectors.department_holders(plan, department.department).exists()
        ):
            return _open(actor, plan, now, "routed", department=department)
    try:
        routed = routing.route_to_holder(
            amount, config.ladder, config.mandates, selectors.held_positions(plan, config)
        )
    except routing.NoHolder as e:
        raise DecisionError(NO_DECIDER, code="no_decider") from e
    except routing.RoutingError as e:
        raise DecisionError(NO_LEVEL, code="no_level") from e
    for level in routed.skipped:
        _record_skip(actor, plan, level, now, config)
    return _open(actor, plan, now, "routed", level=routed.level, config=config)


def submit_plan(actor, plan: Plan, *, now: datetime | None = None) -> DecisionStep:
    """Submit a plan and route it, in one transaction: the one service a submit click calls.

    The value-triangle checks are `plans.services.submit`'s; a plan nobody can decide is
    refused with a clear message and stays a draft. Returns the open step.
    """
    with transaction.atomic():
        plan_services.submit(actor, plan)
        plan = Plan.objects.select_related("case__team__organisation").get(pk=plan.pk)
        return route(actor, plan, now=now)


def _locked_open_step(plan: Plan) -> DecisionStep:
    step = (
        DecisionStep.objects.select_for_update(of=("self",))
        .select_related("plan__case__team__organisation", "organisation")
        .filter(plan=plan, outcome="")
        .first()
    )
    if step is None:
        raise DecisionError(_("This plan does not wait for a decision."), code="not_open")
    return step


OWN_PLAN = gettext_lazy("Nobody decides on their own plan.")
MANDATE = gettext_lazy(
    "This amount is beyond the mandate of this level: pass the plan on to the next level."
)


def _require_decider(
    actor, step: DecisionStep, *, amount: Decimal | None = None, mandates=None
) -> None:
    """Refuse unless `actor` may take the decision on `step` (`routing.refusal`, fed the real
    facts). `amount` is what the decision grants: None for one that grants nothing."""
    why = routing.refusal(
        step.key,
        amount,
        mandates or {},
        author_is_decider=selectors.is_author(actor, step.plan),
        holds_step=selectors.is_decider(actor, step),
    )
    if why == routing.OWN_PLAN:
        raise PermissionDenied(str(OWN_PLAN))
    if why == routing.NOT_ROUTED:
        raise PermissionDenied(_("This plan is not routed to you."))
    if why == routing.BEYOND_MANDATE:
        raise DecisionError(MANDATE, code="mandate")


def _locked_plan(plan: Plan) -> Plan:
    """The plan row locked; always after its open step (the order every writer here keeps)."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _set_status(actor, step: DecisionStep, status: str) -> None:
    """The plan's status follows the final decision, in the same transaction."""
    step.plan = plan_services.change_status(actor, _locked_plan(step.plan), status, reason=status)
    if status == Plan.Status.APPROVED:
        events.plan_approved.send(sender=Plan, plan=step.plan, actor=actor, now=step.decided_at)


def _close(
    step: DecisionStep,
    actor,
    outcome: str,
    reason: str,
    now: datetime,
    *,
    automatic=False,
    tell_author=True,
):
    step.outcome = outcome
    step.reason = reason
    step.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    step.decided_at = now
    step.automatic = automatic
    step.save(update_fields=["outcome", "reason", "decided_by", "decided_at", "automatic"])
    if tell_author:
        notify.decided(step)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=step,
        reason=outcome,
        changes={"plan": step.plan_id, "outcome": outcome, "automatic": automatic},
    )


# --- the ledger --------------------------------------------------------------------------------


def budget_for(plan: Plan, year: int, *, lock: bool = False) -> Budget:
    """The plan's team's budget for `year`, or else its organisation's pool."""
    return team_budget(plan.case.team, year, lock=lock)


def team_budget(team, year: int, *, lock: bool = False) -> Budget:
    """The team's budget for `year`, or else its organisation's pool: the one rule of which
    budget a team spends from, for plans and collective approaches alike."""
    qs = Budget.objects.order_by("pk")  # no joins: FOR UPDATE locks the budget row only
    qs = qs.select_for_update() if lock else qs
    budget = (
        qs.filter(team=team, year=year).first()
        or qs.filter(organisation_id=team.organisation_id, team__isnull=True, year=year).first()
    )
    if budget is None:
        raise DecisionError(
            _("There is no budget for this team in %(year)s.") % {"year": year},
            code="no_budget",
        )
    return budget


def left_after_pending(budget: Budget) -> Decimal:
    """What `budget` has left after the pending decisions: available now minus what submitted
    plans ask (the budget overview's "Left after the pending decisions"). The one rule for
    spending that is no plan decision (a collective approach): it may not take the money that
    plans waiting for a decision ask for, and its refusal names the figure the overview shows."""
    return selectors.budget_rows([budget])[0].left


def _append(
    actor,
    budget: Budget,
    plan: Plan | None,
    kind: str,
    amount: Decimal,
    *,
    refers_to: LedgerEntry | None = None,
    payee: str = "",
    payee_kind: str = "",
    in_kind: bool = False,
    note: str = "",
    paid_on: date | None = None,
    collective_approach=None,
) -> LedgerEntry:
    """Append one entry to a budget the caller has locked, after checking the ledger rules.
    The entry is for `plan`, or (plan None) for `collective_approach`. Its payee and note go
    into a LedgerEntryDetail beside the row (destruction of the case empties that one)."""
    entries = [
        ledger.Entry(pk, kind_, amount_, ref)
        for pk, kind_, amount_, ref in LedgerEntry.objects.filter(budget=budget)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id")
    ]
    try:
        ledger.validate(
            budget.amount,
            entries,
            ledger.Entry("new", kind, Decimal(amount), refers_to.pk if refers_to else None),
        )
    except ledger.LedgerError as e:
        message = LEDGER_MESSAGES.get(e.code)
        if e.code in OVER_OPEN and kind in ledger.SETTLING and refers_to is not None:
            rest = ledger.open_amount(entries, refers_to.pk)
            message = OVER_OPEN[e.code] % {"open": formatting.money(rest)}
        raise DecisionError(
            message or _("This ledger entry is not possible."),
            code="budget_insufficient" if e.code == "insufficient" else e.code,
        ) from e
    entry = LedgerEntry.objects.create(
        budget=budget,
        plan=plan,
        collective_approach=collective_approach,
        kind=kind,
        amount=amount,
        refers_to=refers_to,
        payee_kind=payee_kind if kind == ledger.PAYMENT else "",
        in_kind=in_kind,
        paid_on=paid_on,
        created_by=actor,
    )
    payee, note = (payee or "").strip()[:200], (note or "").strip()[:500]
    if payee or note:
        LedgerEntryDetail.objects.create(entry=entry, payee=payee, note=note)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=entry,
        reason=kind,
        changes={
            "budget": budget.pk,
            "plan": plan.pk if plan else None,
            "collective_approach": collective_approach.pk if collective_approach else None,
            "kind": kind,
            "amount": str(amount),
            "refers_to": refers_to.pk if refers_to else None,
        },
    )
    return entry


def _household_granted(plan: Plan, year: int) -> Decimal:
    """What the household of `plan` was granted in `year`: commitments minus releases in force."""
    rows = LedgerEntry.objects.filter(
        plan__case__household_id=plan.case.household_id, created_at__year=year
    ).values_list("budget_id", "id", "kind", "amount", "refers_to_id")
    per_budget: dict[int, list[ledger.Entry]] = {}
    for budget_id, pk, kind, amount, ref in rows.order_by("id"):
        per_budget.setdefault(budget_id, []).append(ledger.Entry(pk, kind, amount, ref))
    total = ZERO
    for entries in per_budget.values():
        active = ledger.active_ids(entries)
        for e in entries:
            if e.id in active and e.kind == ledger.COMMITMENT:
                total += e.amount
            elif e.id in active and e.kind == ledger.RELEASE:
                total -= e.amount
    return total


# --- decisions ---------------------------------------------------------------------------------


def _commit(actor, step: DecisionStep, config, mandate_key: str, now: datetime) -> None:
    """Check the household cap and commit the plan's amount on its budget (locked)."""
    plan = step.plan
    amount = plan.amount_requested or ZERO
    year = timezone.localdate(now).year
    mandate = config.mandates.get(mandate_key)
    if mandate is not None and not routing.within_household_cap(
        mandate, amount, _household_granted(plan, year)
    ):
        raise DecisionError(
            _("This would exceed the cap per household per year: escalate the plan."),
            code="household_cap",
        )
    if amount > 0:
        budget = budget_for(plan, year, lock=True)
        _append(
            actor,
            budget,
            plan,
            ledger.COMMITMENT,
            amount,
            in_kind=plan.form == Plan.Form.IN_KIND,
        )  # no payee: money is paid to someone only by a payment (which takes the plan's)


def approve(actor, plan: Plan, *, reason: str = "", now: datetime | None = None) -> DecisionStep:
    """Approve within the decider's mandate; commits the amount on the budget.

    Refuses with a ValidationError (code ``budget_insufficient``) when it does not fit.
    """
    now = _now(now)
    with transaction.atomic():
        step = _locked_open_step(plan)
        plan = step.plan
        config = selectors.config_for(plan.case.team.organisation)
        amount = plan.amount_requested or ZERO
        _require_decider(actor, step, amount=amount, mandates=config.mandates)
        _commit(actor, step, config, step.key, now)
        _close(step, actor, DecisionStep.Outcome.APPROVE, reason.strip(), now)
        _set_status(actor, step, Plan.Status.APPROVED)
    return step


def peer_vote(actor, plan: Plan, approve: bool, *, now: datetime | None = None) -> bool:
    """A colleague of the author's team votes on a small plan under the peer rule.

    Each colleague counts once (a new vote replaces their earlier one); the author's never
    counts. When enough colleagues agree, the plan is approved and its amount committed.
    Returns whether the plan is now approved.
    """
    now = _now(now)
    with transaction.atomic():
        step = _locked_open_step(plan)
        plan = step.plan
        config = selectors.config_for(plan.case.team.organisation)
        rule = config.peer_rule
        amount = plan.amount_requested or ZERO
        why = selectors.vote_refusal(actor, plan, rule)
        if why == routing.ABOVE_PEER_LIMIT:
            raise DecisionError(
                _("This plan cannot be decided by colleagues: it is above the peer limit."),
                code="peer_limit",
            )
        if why == routing.OWN_PLAN:
            raise PermissionDenied(str(OWN_PLAN))
        if why is not None:
            raise PermissionDenied(_("Only colleagues of the plan's team may vote."))
        vote, _created = PeerVote.objects.update_or_create(
            plan=plan, voter=actor, defaults={"approve": bool(approve), "voted_at": now}
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=vote,
            changes={"plan": plan.pk, "approve": bool(approve)},
        )
        votes = [
            routing.Vote(voter_id, ok, plan.case.team_id)
            for voter_id, ok in PeerVote.objects.filter(plan=plan)
            .order_by("voted_at", "id")
            .values_list("voter_id", "approve")
        ]
        if not routing.peer_approved(amount, rule, votes, plan.author_id, plan.case.team_id):
            return False
        _commit(actor, step, config, "", now)
        agreed = sum(routing.counting_votes(votes, plan.author_id).values())
        _close(
            step,
            actor,
            DecisionStep.Outcome.APPROVE,
            _("Peer decision: %(n)s colleagues agree.") % {"n": agreed},
            now,
        )
        _set_status(actor, step, Plan.Status.APPROVED)
        return True


def reject(actor, plan: Plan, reason: str, *, now: datetime | None = None) -> DecisionStep:
    """Reject with a reason the worker sees."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the rejection.")]})
    now = _now(now)
    with transaction.atomic():
        step = _locked_open_step(plan)
        _require_decider(actor, step)
        _close(step, actor, DecisionStep.Outcome.REJECT, reason, now)
        _set_status(actor, step, Plan.Status.REJECTED)
    return step


def withdraw(actor, plan: Plan, *, reason: str = "", now: datetime | None = None) -> Plan:
    """The author withdraws a submitted plan that is not decided yet.

    The open step closes as withdrawn (its deciders are told it no longer waits for them) and
    the plan becomes withdrawn, in one transaction. Lives here, not in plans, because it closes
    a decision step: plans knows nothing of decisions.
    """
    now = _now(now)
    with transaction.atomic():
        # The step first, then the plan: the order approve and reject lock them in.
        step = (
            DecisionStep.objects.select_for_update(of=("self",))
            .filter(plan_id=plan.pk, outcome="")
            .first()
        )
        locked = _locked_plan(plan)
        if actor is None or actor.pk != locked.author_id or not may_write(actor, locked.case):
            raise PermissionDenied(_("Only the author of the plan may withdraw it."))
        if locked.status != Plan.Status.SUBMITTED:
            raise DecisionError(
                _("Only a submitted plan that is not decided yet can be withdrawn."),
                code="transition",
            )
        if step is not None:
            step.plan = locked
            text = (reason or "").strip()[:4000] or _("Withdrawn by the author.")
            _close(step, actor, DecisionStep.Outcome.WITHDRAW, text, now, tell_author=False)
            notify.withdrawn(step)
        return plan_services.change_status(actor, locked, Plan.Status.WITHDRAWN, reason="withdrawn")


def _escalate(
    actor, step: DecisionStep, reason: str, now: datetime, *, automatic: bool
) -> DecisionStep:
    """Close `step` and open the first level above it that someone holds (a department's step
    goes to the ladder from the bottom); the empty levels passed over are in the trail."""
    plan = step.plan
    config = selectors.config_for(plan.case.team.organisation)
    current = None if step.department_id else step.position
    try:
        routed = routing.escalate_to_holder(
            config.ladder, current, selectors.held_positions(plan, config)
        )
    except routing.NoHolder:
        raise DecisionError(
            _("Nobody decides above this level: the decision is taken here."),
            code="top_of_ladder",
        ) from None
    _close(step, actor, DecisionStep.Outcome.ESCALATE, reason, now, automatic=automatic)
    notify.escalated_away(step)
    for level in routed.skipped:
        _record_skip(actor, plan, level, now, config)
    return _open(actor, plan, now, "escalated", level=routed.level, config=config)


def escalate(actor, plan: Plan, *, reason: str = "", now: datetime | None = None) -> DecisionStep:
    """Send the plan one level up. The decider may always; the plan's team only once overdue."""
    now = _now(now)
    with transaction.atomic():
        step = _locked_open_step(plan)
        overdue = routing.is_overdue(timezone.localtime(now), step.deadline)
        decider = (
            routing.refusal(
                step.key,
                None,
                {},
                author_is_decider=selectors.is_author(actor, step.plan),
                holds_step=selectors.is_decider(actor, step),
            )
            is None
        )
        if not decider and not (overdue and may_write(actor, step.plan.case)):
            raise PermissionDenied(_("You may escalate this plan only once it is overdue."))
        return _escalate(actor, step, reason.strip(), now, automatic=False)


def ask_consultation(
    actor, plan: Plan, question: str, *, now: datetime | None = None
) -> DecisionStep:
    """The decider asks for an MDT consultation: the step closes with that question and a new
    step at the same level opens, with a fresh deadline."""
    question = (question or "").strip()
    if not question:
        raise ValidationError({"reason": [_("Write the question for the MDT consultation.")]})
    now = _now(now)
    with transaction.atomic():
        step = _locked_open_step(plan)
        _require_decider(actor, step)
        _close(step, actor, DecisionStep.Outcome.CONSULT, question, now)
        config = selectors.config_for(step.plan.case.team.organisation)
        if step.department_id:
            route = next(
                (r for r in config.departments if r.department == step.department_id),
                routing.DepartmentRoute(step.department_id),
            )
            return _open(actor, step.plan, now, "consultation", department=route)
        level = next(lv for lv in config.ladder if lv.position == step.position)
        return _open(actor, step.plan, now, "consultation", level=level, config=config)


def consult(
    actor,
    plan: Plan,
    *,
    date: date,
    question: str,
    participants: str = "",
    users: Iterable = (),
    advice: str = "",
    decided_with_it: str = "",
) -> Consultation:
    """Record an MDT consultation on a submitted plan (its team or its current decider)."""
    if plan.status != Plan.Status.SUBMITTED:
        raise DecisionError(
            _("Only a submitted plan can be discussed in an MDT consultation."),
            code="not_submitted",
        )
    step = DecisionStep.objects.filter(plan=plan, outcome="").first()
    if not may_write(actor, plan.case) and not (step and selectors.is_decider(actor, step)):
        raise PermissionDenied
    if not (question or "").strip():
        raise ValidationError({"question": [_("Write the question for the MDT consultation.")]})
    dates.check({"date": date}, {"date": dates.PLANNED_DATE})
    with transaction.atomic():
        consultation = Consultation.objects.create(
            plan=plan,
            date=date,
            participants=participants.strip(),
            question=question.strip(),
            advice=advice.strip(),
            decided_with_it=decided_with_it.strip(),
            created_by=actor,
        )
        consultation.users.set(list(users))
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=consultation,
            changes={"plan": plan.pk, "date": str(date)},
        )
    return consultation


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every open step past its deadline one level up (the periodic job).

    Idempotent: a second run at the same moment finds the new steps within their deadline.
    Steps at the top of the ladder stay where they are. Returns how many were escalated.
    """
    now = _now(now)
    today = timezone.localdate(now)
    count = 0
    for pk in DecisionStep.objects.filter(outcome="", deadline__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            step = (
                DecisionStep.objects.select_for_update(of=("self",))
                .select_related("plan__case__team__organisation")
                .filter(pk=pk, outcome="", deadline__lt=today)
                .first()
            )
            if step is None:
                continue
            try:
                _escalate(None, step, "deadline passed", now, automatic=True)
            except ValidationError:
                continue  # top of the ladder
            count += 1
    return count


# --- ledger movements after approval -----------------------------------------------------------


def _locked_entry(entry: LedgerEntry) -> tuple[Budget, LedgerEntry]:
    budget = Budget.objects.order_by("pk").select_for_update().get(pk=entry.budget_id)
    return budget, LedgerEntry.objects.select_related("plan", "collective_approach").get(
        pk=entry.pk
    )


def _owner(entry: LedgerEntry) -> dict:
    """What a movement of `entry` is for: the same plan or collective approach as `entry`."""
    return {"plan": entry.plan, "collective_approach": entry.collective_approach}


def _require_budget_holder(actor, budget: Budget) -> None:
    if not selectors.manages_budget(actor, budget):
        raise PermissionDenied(_("Only the team lead or manager of this budget may do this."))


def _sync_paid_status(actor, plan: Plan | None) -> None:
    """An approved plan is partly paid or paid as its ledger says (after every movement).

    A closed plan keeps its status: the ledger may still be corrected after it closed. A
    collective approach's entry has no plan: nothing to do.
    """
    if plan is None:
        return
    plan = _locked_plan(plan)
    if plan.status not in lifecycle.PAYABLE:
        return
    events.ledger_moved.send(sender=Plan, plan=plan, actor=actor)
    paid, still_open = selectors.plan_paid_and_open(plan)
    new = lifecycle.payment_status(paid, still_open)
    if new != plan.status:
        plan_services.change_status(actor, plan, new, reason="ledger")


def _check_paid_on(paid_on: date, commitment: LedgerEntry) -> None:
    """A payment date is not in the future and not before the plan was granted."""
    if paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": [_("The payment date cannot lie in the future.")]}, code="paid_on"
        )
    granted_on = timezone.localdate(commitment.created_at)
    if paid_on < granted_on:
        raise ValidationError(
            {
                "paid_on": [
                    _("The payment date cannot lie before the grant on %(date)s.")
                    % {"date": formatting.long_date(granted_on)}
                ]
            },
            code="paid_on",
        )


def record_payment(
    actor,
    commitment: LedgerEntry,
    amount: Decimal,
    *,
    payee: str = "",
    payee_kind: str = LedgerEntry.PayeeKind.ORGANISATION,
    in_kind: bool = False,
    paid_on: date | None = None,
) -> LedgerEntry:
    """A payment that settles (part of) a commitment; the plan becomes partly paid or paid.

    `paid_on` is the day it was paid (today when not given): not in the future, not before the
    commitment."""
    with transaction.atomic():
        budget, commitment = _locked_entry(commitment)
        _require_budget_holder(actor, budget)
        paid_on = paid_on or timezone.localdate()
        _check_paid_on(paid_on, commitment)
        owner = _owner(commitment)
        if payee_kind not in LedgerEntry.PayeeKind.values:
            raise ValidationError({"payee_kind": [_("Choose who was paid.")]})
        detail = commitment.detail_or_none
        booked = detail.payee if detail is not None and detail.destroyed_at is None else ""
        payee = payee or booked or (commitment.plan.payee if commitment.plan else "")
        entry = _append(
            actor, budget, owner["plan"], ledger.PAYMENT, Decimal(amount), refers_to=commitment,
            payee=payee, payee_kind=payee_kind, in_kind=in_kind, paid_on=paid_on,
            collective_approach=owner["collective_approach"],
        )  # fmt: skip
        _sync_paid_status(actor, commitment.plan)
        return entry


def release(actor, commitment: LedgerEntry, amount: Decimal | None = None) -> LedgerEntry:
    """Free the unused rest of a commitment (all of it when `amount` is None)."""
    with transaction.atomic():
        budget, commitment = _locked_entry(commitment)
        _require_budget_holder(actor, budget)
        if amount is None:
            amount = selectors.open_amount(commitment)
            if amount <= 0:
                raise DecisionError(
                    _("Nothing of this commitment is still open."), code="nothing_open"
                )
        owner = _owner(commitment)
        entry = _append(
            actor, budget, owner["plan"], ledger.RELEASE, Decimal(amount), refers_to=commitment,
            collective_approach=owner["collective_approach"],
        )  # fmt: skip
        _sync_paid_status(actor, commitment.plan)
        return entry


def release_unspent(actor, plan: Plan, *, note: str = "") -> list[LedgerEntry]:
    """Release what is still open of every commitment of `plan`, as when the plan closes after
    its last follow-up (followup.services): one release entry per commitment with a rest.

    The budget holder is not asked: closing a plan frees what it did not spend. The caller
    checks that `actor` may close the plan. Afterwards the plan is approved (nothing paid) or
    paid, so it can close."""
    released = []
    with transaction.atomic():
        commitments = list(
            LedgerEntry.objects.filter(plan=plan, kind=ledger.COMMITMENT).order_by("id")
        )
        for commitment in commitments:
            budget, commitment = _locked_entry(commitment)
            rest = selectors.open_amount(commitment)
            if rest > 0:
                released.append(
                    _append(
                        actor, budget, plan, ledger.RELEASE, rest, refers_to=commitment, note=note
                    )
                )
        _sync_paid_status(actor, plan)
    return released


def reverse(actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Correct a mistake: an entry of the same amount that cancels `entry`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    with transaction.atomic():
        budget, entry = _locked_entry(entry)
        _require_budget_holder(actor, budget)
        owner = _owner(entry)
        reversal = _append(
            actor, budget, owner["plan"], ledger.REVERSAL, entry.amount, refers_to=entry,
            note=reason, collective_approach=owner["collective_approach"],
        )  # fmt: skip
        _sync_paid_status(actor, entry.plan)
        return reversal


# The movements a ledger row may take (the budget page's one form per row).
LEDGER_ACTIONS = (ledger.PAYMENT, ledger.RELEASE, ledger.REVERSAL)


def ledger_action(
    actor,
    entry: LedgerEntry,
    action: str,
    *,
    amount: Decimal | None = None,
    payee: str = "",
    payee_kind: str = LedgerEntry.PayeeKind.ORGANISATION,
    in_kind: bool = False,
    reason: str = "",
    paid_on: date | None = None,
) -> LedgerEntry:
    """One movement chosen on a ledger row: a payment, a release or a correction of `entry`.

    Refuses (code ``not_fitting``) a movement the row no longer takes — someone else paid,
    released or corrected it since the page was loaded; the ledger shows what it still takes.
    """
    if action not in LEDGER_ACTIONS:
        raise ValueError(f"unknown ledger action: {action!r}")
    with transaction.atomic():
        budget, entry = _locked_entry(entry)
        fitting = selectors.entry_actions(selectors.budget_entries(budget)).get(entry.pk, [])
        if action not in fitting:
            raise DecisionError(
                _("Entry #%(entry)s does not take this action any more; the ledger below shows "
                  "what it still takes.") % {"entry": entry.pk},
                code="not_fitting",
            )  # fmt: skip
        if action == ledger.PAYMENT:
            return record_payment(
                actor, entry, amount or Decimal(0), payee=payee, payee_kind=payee_kind,
                in_kind=in_kind, paid_on=paid_on,
            )  # fmt: skip
        if action == ledger.RELEASE:
            return release(actor, entry, amount)
        return reverse(actor, entry, reason)


# The actions of one decision click (the decision page and `POST /api/v1/decisions/<id>/`).
DECIDE_ACTIONS = ("approve", "reject", "consult", "escalate")


def decide(
    actor, plan: Plan, action: str, reason: str = "", *, now: datetime | None = None
) -> DecisionStep:
    """One decision on a plan routed to `actor`: approve, reject (reason required), ask for an
    MDT consultation (the reason is the question) or escalate (reason required: the next level
    reads it). The page and the API call this,
    so both take the same action for the same choice."""
    if action == "approve":
        return approve(actor, plan, reason=reason, now=now)
    if action == "reject":
        return reject(actor, plan, reason, now=now)
    if action == "consult":
        return ask_consultation(actor, plan, reason, now=now)
    if action == "escalate":
        # The next level reads why it got the plan (an overdue plan's own button needs none).
        if not reason.strip():
            raise ValidationError(
                {"reason": [_("Say why whoever decides above you should decide.")]}
            )
        return escalate(actor, plan, reason=reason, now=now)
    raise ValueError(f"unknown decision action: {action!r}")


# --- collective approaches ---------------------------------------------------------------------
#
# A team lead marks a recurring pattern (signals' collective patterns page) for a collective
# approach. Its money is a commitment of its own on the team's budget (else the organisation's
# pool), on the same ledger and under the same row lock as a plan's: it can never overdraw the
# budget. What was done is recorded as dated lines (append-only); a line may book a payment on
# the approach's commitment.

# Status moves forward only (a line may also keep the status).
COLLECTIVE_NEXT = {
    CollectiveApproach.Status.PLANNED: {"planned", "running", "done"},
    CollectiveApproach.Status.RUNNING: {"running", "done"},
    CollectiveApproach.Status.DONE: {"done"},
}


def _require_team_lead(actor, team_id: int) -> None:
    if not selectors.leads_team(actor, team_id):
        raise PermissionDenied(_("Only a team lead of this team may do this."))


def _require_approach_starter(actor, team) -> None:
    if not selectors.approach_roles(actor, team):
        raise PermissionDenied(
            _("Only a team lead or manager of this team, or a director, may do this.")
        )


def _refuse_personal_data(organisation_id: int, fields: dict[str, str]) -> None:
    """A collective approach's name and activities are shown to policy roles, who never read a
    case (the public page never shows the name): a BSN, an e-mail address, a phone number, a
    postcode or the last name of a household known to the organisation is refused at the
    field."""
    personal_data.refuse(
        fields,
        known_last_names(organisation_id, fields.values()),
        _(
            "This seems to contain %(what)s. Policy makers read this text, as do the other "
            "teams: leave personal data out and describe the approach in general terms."
        ),
        name_word=_("a name of a household"),
    )


def _approach_budget(team, amount: Decimal, now: datetime, *, lock: bool) -> Budget:
    """The team's budget of this year, refused when `amount` does not fit in it: one rule with
    the budget overview (left_after_pending), at the budget field with the overview's own words
    and figure (walk 14)."""
    budget = team_budget(team, timezone.localdate(now).year, lock=lock)
    left = left_after_pending(budget)
    if amount > left:
        raise DecisionError(
            {
                "amount": [
                    _(
                        "More than your team's budget of %(year)s allows: left after "
                        "the pending decisions is %(left)s."
                    )
                    % {"year": budget.year, "left": formatting.money(max(left, ZERO))}
                ]
            },
            code="budget_insufficient",
        )
    return budget


def _approach_fields(actor, team, name: str, kind: str, amount) -> tuple[str, Decimal]:
    """The checks a collective approach's proposal passes before anything else."""
    _require_approach_starter(actor, team)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the collective approach a name.")]})
    if kind not in CollectiveApproach.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of collective approach.")]})
    amount = Decimal(amount) if amount else ZERO
    if amount < 0:
        raise ValidationError({"amount": [_("Enter an amount above zero.")]})
    return name[:200], amount


def start_collective_approach(
    actor,
    *,
    team,
    name: str,
    kind: str,
    neighbourhood_code: str = "",
    life_domain: str = "",
    blocking_rule=None,
    amount: Decimal | None = None,
    public: bool = False,
    now: datetime | None = None,
) -> CollectiveApproach:
    """A team lead (or the team's manager, or a director) marks a pattern for a collective
    approach; with `amount`, its budget is committed on the team's budget of this year.

    Refused, and nothing recorded, when the amount does not fit in the budget, or when it is
    above the actor's mandate: the same mandates as for plans, judged by
    `selectors.approach_mandate_refusal`, whose message names who can decide it."""
    name, amount = _approach_fields(actor, team, name, kind, amount)
    now = _now(now)
    with transaction.atomic():
        _refuse_personal_data(team.organisation_id, {"name": name})
        approach = CollectiveApproach.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            neighbourhood_code=neighbourhood_code,
            life_domain=life_domain,
            blocking_rule=blocking_rule,
            name=name,
            kind=kind,
            public=bool(public),
            created_by=actor,
        )
        CollectiveActivity.objects.create(
            approach=approach,
            day=timezone.localdate(now),
            status=approach.status,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=approach,
            reason="collective approach",
            changes={
                "team": team.pk,
                "kind": kind,
                "amount": str(amount),
                "public": bool(public),
            },
        )
        if amount > 0:
            budget = _approach_budget(team, amount, now, lock=True)
            # The mandate ladder of the plans (issue 14): checked after the budget, so that a
            # refusal never sends someone up the ladder for money the budget does not have.
            beyond = selectors.approach_mandate_refusal(actor, team, amount)
            if beyond:
                raise DecisionError({"amount": [beyond]}, code="mandate")
            # The ledger page names the approach in the plan's column: no note needed.
            _append(actor, budget, None, ledger.COMMITMENT, amount, collective_approach=approach)
    return approach


def hand_over_collective_approach(
    actor,
    *,
    team,
    name: str,
    kind: str,
    amount: Decimal,
    link: str,
    now: datetime | None = None,
) -> selectors.ApproachDecider:
    """A proposed collective approach whose budget is above the actor's mandate goes up the
    escalation ladder, as a plan does: to the lowest level whose mandate covers it
    (`selectors.approach_decider`), whose holders get an e-mail with `link` (the form, filled
    in) to start it under their own mandate. Nothing is committed and no approach recorded
    until they do; the hand-over is audited.

    Refused when the amount is within the actor's own mandate (start it yourself), when it does
    not fit in the team's budget (no level can grant money the budget does not have), and when
    no level of the ladder covers it."""
    name, amount = _approach_fields(actor, team, name, kind, amount)
    now = _now(now)
    if amount <= 0 or selectors.approach_mandate_refusal(actor, team, amount) is None:
        raise DecisionError(
            {"amount": [_("This budget is within your mandate: start the approach yourself.")]},
            code="within_mandate",
        )
    _refuse_personal_data(team.organisation_id, {"name": name})
    _approach_budget(team, amount, now, lock=False)
    decider = selectors.approach_decider(team, amount)
    if decider is None:
        raise DecisionError(
            {"amount": [selectors.approach_mandate_refusal(actor, team, amount)]}, code="mandate"
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=team,
            reason="collective approach handed over to the mandate",
            changes={"kind": kind, "amount": str(amount), "to": decider.label},
        )
        notify.approach_handed_over(actor, decider, name=name, amount=amount, link=link)
    return decider


def record_collective_activity(
    actor,
    approach: CollectiveApproach,
    *,
    day: date,
    note: str = "",
    status: str | None = None,
    amount: Decimal | None = None,
    payee: str = "",
) -> CollectiveActivity:
    """A dated line of what was done, optionally moving the status on and paying `amount` from
    the approach's commitment (the oldest one with enough open)."""
    _require_team_lead(actor, approach.team_id)
    if day > timezone.localdate():
        raise ValidationError({"day": [_("The day cannot lie in the future.")]})
    note = (note or "").strip()
    amount = Decimal(amount) if amount else ZERO
    with transaction.atomic():
        approach = CollectiveApproach.objects.select_for_update().get(pk=approach.pk)
        status = status or approach.status
        if status not in COLLECTIVE_NEXT[approach.status]:
            raise DecisionError(
                _("A collective approach's status only moves forward."), code="collective_status"
            )
        if not note and not amount and status == approach.status:
            raise ValidationError({"note": [_("Say what was done.")]})
        _refuse_personal_data(approach.organisation_id, {"note": note})
        payment = None
        if amount > 0:
            commitments = list(
                LedgerEntry.objects.filter(
                    collective_approach=approach, kind=ledger.COMMITMENT
                ).order_by("id")
            )
            if not commitments:
                raise DecisionError(
                    _("This collective approach has no budget: nothing can be paid from it."),
                    code="collective_no_budget",
                )
            budget = (
                Budget.objects.order_by("pk").select_for_update().get(pk=commitments[0].budget_id)
            )
            open_per = {c.pk: selectors.open_amount(c) for c in commitments}
            commitment = next((c for c in commitments if open_per[c.pk] >= amount), commitments[0])
            payment = _append(
                actor, budget, None, ledger.PAYMENT, amount, refers_to=commitment,
                payee=payee, paid_on=day, collective_approach=approach, note=note,
            )  # fmt: skip
        activity = CollectiveActivity.objects.create(
            approach=approach,
            day=day,
            note=note,
            status=status,
            payment=payment,
            created_by=actor,
        )
        if status != approach.status:
            CollectiveApproach.objects.filter(pk=approach.pk).update(status=status)
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=activity,
            reason="collective activity",
            changes={
                "approach": approach.pk,
                "status": status,
                "amount": str(amount),
                "note": "***" if note else "",
            },
        )
    return activity
