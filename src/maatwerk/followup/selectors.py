"""Reads for follow-up, with the access rules of the plan applied (need-to-know: the plan's
case belongs to one of the user's teams)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import memberships
from maatwerk.cases.models import Case
from maatwerk.cases.selectors import writable_team_ids
from maatwerk.decisions import ledger
from maatwerk.decisions.models import DecisionStep, LedgerEntry
from maatwerk.plans.selectors import visible_plans

from . import realised, rules
from .models import FollowUp


def visible_followups(user) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(plan__in=visible_plans(user))


def followup_detail(user, pk: int) -> FollowUp:
    """One follow-up the user may see; FollowUp.DoesNotExist otherwise (the view answers 404)."""
    return (
        visible_followups(user)
        .select_related("plan__case__household", "plan__case__team", "recorded_by")
        .prefetch_related("outcomes")
        .get(pk=pk)
    )


def due_for(user, today: date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups the user is to record (their task list): scheduled, due, on plans they wrote
    or of cases assigned to them, in the teams they write for. Colleagues of the team may
    record them too (from the plan page); the escalation of overdue ones to the team lead is
    later work (issue 13, point 1)."""
    today = today or timezone.localdate()
    mine = Q(plan__author=user) | Q(
        plan__case__in=Case.assigned_workers.through.objects.filter(user=user).values("case_id")
    )
    return (
        FollowUp.objects.filter(
            mine,
            status=FollowUp.Status.SCHEDULED,
            due_on__lte=today,
            plan__case__team_id__in=writable_team_ids(user),
        )
        .select_related("plan__case__household")
        .order_by("due_on", "id")
    )


def overdue_for_lead(user, today: date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups overdue by more than the grace period (MAATWERK_FOLLOWUP_GRACE_DAYS) in the
    teams the user leads: the escalation to the team lead (issue 13, point 1)."""
    today = today or timezone.localdate()
    led = [m.team_id for m in memberships(user) if m.role == Role.TEAM_LEAD and m.team_id]
    return (
        FollowUp.objects.filter(
            status=FollowUp.Status.SCHEDULED,
            due_on__lt=today - timedelta(days=settings.MAATWERK_FOLLOWUP_GRACE_DAYS),
            plan__case__team_id__in=led,
        )
        .select_related("plan__case__household")
        .order_by("due_on", "id")
    )


def of_plan(plan) -> list[FollowUp]:
    """A plan's follow-ups (the caller already may read the plan)."""
    return list(FollowUp.objects.filter(plan=plan).prefetch_related("outcomes").order_by("due_on"))


def plan_start(plan) -> date | None:
    """Month 0 of the plan's calculation: the day it was approved."""
    step = (
        DecisionStep.objects.filter(plan=plan, outcome=DecisionStep.Outcome.APPROVE)
        .order_by("-decided_at")
        .first()
    )
    return timezone.localdate(step.decided_at) if step and step.decided_at else None


def realised_for(plan) -> realised.Realised | None:
    """The realised return of `plan` at its latest recorded follow-up: None when nothing was
    recorded yet, when that follow-up was not measured, or when the plan has no snapshot.
    The prediction is the plan's frozen snapshot; payments and the commitment come from the
    ledger (entries in force only)."""
    followup = (
        FollowUp.objects.filter(plan=plan, status=FollowUp.Status.RECORDED)
        .prefetch_related("outcomes")
        .order_by("-recorded_on", "-id")
        .first()
    )
    snapshot = plan.snapshots.order_by("-created_at", "-id").first()
    start = plan_start(plan)
    if followup is None or snapshot is None or start is None:
        return None
    rows = list(
        LedgerEntry.objects.filter(plan=plan)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id", "paid_on", "created_at")
    )
    return realised_from(start, snapshot.result, followup, list(followup.outcomes.all()), rows)


def realised_from(
    start: date, result, followup: FollowUp, outcomes, rows
) -> realised.Realised | None:
    """The realised return from what was read: the plan's start, its snapshot's result, its
    latest recorded follow-up with that follow-up's outcomes, and its ledger rows
    (id, kind, amount, refers_to_id, paid_on, created_at; in id order). Shared by
    `realised_for` (one plan) and the cohorts (many plans, read in a fixed number of queries).

    The outcome counts from the month it started (the plan's start when it held before):
    - when it *holds* at the measurement (held at least six months, `rules.holds`), up to the
      end of the calculation's horizon: the standard route is avoided, as predicted, for as
      long as the outcome keeps holding (a later follow-up that is measured replaces this one);
    - when it does not hold yet, only up to the day of measurement: what was realised so far.
    So a resident in work since before the plan realises the prediction already at the end of
    the action, and work that started four months late lowers it by those months."""
    if followup.measured != FollowUp.Measured.YES or not outcomes:
        return realised.NOT_MEASURED
    since = min(o.holds_since for o in outcomes)
    measured_month = rules.months_between(start, followup.recorded_on)
    prediction = realised.prediction_from_snapshot(result)
    until = (
        prediction.horizon_months if rules.holds(since, followup.recorded_on) else measured_month
    )
    entries = [ledger.Entry(pk, kind, amount, ref) for pk, kind, amount, ref, _p, _c in rows]
    active = ledger.active_ids(entries)
    committed = sum(
        (amount for pk, kind, amount, *_ in rows if kind == ledger.COMMITMENT and pk in active),
        realised.ZERO,
    )
    payments = [
        realised.Payment(
            amount, max(0, rules.months_between(start, paid_on or timezone.localdate(created)))
        )
        for pk, kind, amount, _ref, paid_on, created in rows
        if kind == ledger.PAYMENT and pk in active
    ]
    return realised.realised_return(
        prediction,
        held_from_month=rules.months_between(start, since),
        held_until_month=max(until, measured_month),
        committed=committed,
        payments=payments,
    )


def last_payment_on(plan) -> date | None:
    """The day of the plan's last payment in force (a reversed one does not count)."""
    rows = list(
        LedgerEntry.objects.filter(plan=plan)
        .order_by("id")
        .values_list("id", "kind", "amount", "refers_to_id", "paid_on", "created_at")
    )
    active = ledger.active_ids([ledger.Entry(pk, k, a, ref) for pk, k, a, ref, _p, _c in rows])
    days = [
        paid_on or timezone.localdate(created)
        for pk, kind, _a, _r, paid_on, created in rows
        if kind == ledger.PAYMENT and pk in active
    ]
    return max(days) if days else None
