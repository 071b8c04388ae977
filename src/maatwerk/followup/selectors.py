"""Reads for follow-up, with the access rules of the plan applied (need-to-know: the plan's
case belongs to one of the user's teams)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import memberships
from maatwerk.cases.models import Case
from maatwerk.cases.selectors import writable_team_ids
from maatwerk.costs import engine
from maatwerk.costs.indexation import index_amount
from maatwerk.costs.selectors import price_changes
from maatwerk.decisions import ledger
from maatwerk.decisions.models import DecisionStep, LedgerEntry
from maatwerk.plans.models import Scenario, ScenarioLine
from maatwerk.plans.selectors import visible_plans

from . import realised, rules
from .models import (
    ActionCarriedOut,
    CheckIn,
    CorrectedLine,
    FollowUp,
    OrganisationSettings,
    PilotLight,
)


@dataclass(frozen=True)
class Moments:
    """An organisation's follow-up moments: the months after the end of the action of the two
    later follow-ups and the grace days before an overdue one goes to the team lead. `own`:
    the organisation set them; otherwise they are the deployment's settings."""

    offsets: tuple[int, int]
    grace_days: int
    own: bool = False


def default_moments() -> Moments:
    return Moments(
        tuple(settings.MAATWERK_FOLLOWUP_OFFSETS), settings.MAATWERK_FOLLOWUP_GRACE_DAYS, False
    )


def _from_row(row: OrganisationSettings) -> Moments:
    return Moments((row.first_offset_months, row.second_offset_months), row.grace_days, True)


def _moments_of(organisation_ids) -> dict[int, Moments]:
    """Moments per organisation (one query; the deployment's settings for those without)."""
    rows = {
        r.organisation_id: _from_row(r)
        for r in OrganisationSettings.objects.filter(organisation_id__in=list(organisation_ids))
    }
    return {org: rows.get(org, default_moments()) for org in organisation_ids}


def moments_for(organisation_id: int | None) -> Moments:
    """The follow-up moments of an organisation (its own row, else the deployment's)."""
    row = OrganisationSettings.objects.filter(organisation_id=organisation_id).first()
    return _from_row(row) if row else default_moments()


def moments_for_team(team_id: int) -> Moments:
    """The follow-up moments of the organisation a team belongs to."""
    row = OrganisationSettings.objects.filter(organisation__teams=team_id).first()
    return _from_row(row) if row else default_moments()


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


def awaiting_action() -> Q:
    """End-of-action follow-ups whose action is not over yet: the worker has not marked it
    carried out and nothing was paid. They are not due, whatever their day says (no task, no
    reminder, no escalation): the end of the action sets their day once it is known."""
    return (
        Q(moment=FollowUp.Moment.END_OF_ACTION)
        & ~Exists(ActionCarriedOut.objects.filter(plan=OuterRef("plan")))
        & ~Exists(LedgerEntry.objects.filter(plan=OuterRef("plan"), kind=LedgerEntry.Kind.PAYMENT))
    )


def action_over(plan) -> bool:
    """Whether `plan`'s action is over (marked carried out, or paid): its end-of-action
    follow-up may then come due."""
    return (
        ActionCarriedOut.objects.filter(plan=plan).exists()
        or LedgerEntry.objects.filter(plan=plan, kind=LedgerEntry.Kind.PAYMENT).exists()
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
        .exclude(awaiting_action())
        .select_related("plan__case__household")
        .order_by("due_on", "id")
    )


def overdue_for_lead(user, today: date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups overdue by more than the grace period of the case's organisation
    (`moments_for`) in the teams the user leads: the escalation to the team lead."""
    today = today or timezone.localdate()
    led = [(m.team_id, m.organisation_id) for m in memberships(user) if m.role == Role.TEAM_LEAD]
    led = [(team, org) for team, org in led if team]
    grace = _moments_of({org for _team, org in led})
    overdue = Q(pk__in=[])
    for team, org in led:
        overdue |= Q(
            plan__case__team_id=team,
            due_on__lt=today - timedelta(days=grace[org].grace_days),
        )
    return (
        FollowUp.objects.filter(overdue, status=FollowUp.Status.SCHEDULED)
        .exclude(awaiting_action())
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


def marked_carried_out(plan) -> bool:
    """Whether the day the plan's action was carried out has been marked (so a new day
    corrects it)."""
    return ActionCarriedOut.objects.filter(plan=plan).exists()


def realised_for(plan) -> realised.Realised | None:
    """The realised return of `plan` at its latest recorded follow-up: None when nothing was
    recorded yet, when that follow-up was not measured, or when the plan has no snapshot.
    The prediction is the plan's frozen snapshot; payments and the commitment come from the
    ledger (entries in force only)."""
    followup = (
        FollowUp.objects.filter(plan=plan, status=FollowUp.Status.RECORDED)
        .prefetch_related("outcomes", with_corrections())
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
    start: date, result, followup: FollowUp, outcomes, rows, changes=None
) -> realised.Realised | None:
    """The realised return from what was read: the plan's start, its snapshot's result, its
    latest recorded follow-up with that follow-up's outcomes, and its ledger rows
    (id, kind, amount, refers_to_id, paid_on, created_at; in id order). Shared by
    `realised_for` (one plan) and the cohorts (many plans, read in a fixed number of queries:
    they pass `changes`, a `price_changes()` read once for all plans, or a callable giving it).

    Which months count is `rules.realised_window`: only the months that had passed by the day
    of measurement, from the month the earliest outcome started (the plan's start when it held
    before), and only when it *holds* (at least six months at the measurement). A later
    measured follow-up replaces this one. So a plan measured on its first day has realised
    nothing yet, in work since the plan's start and measured twelve months later realises the
    prediction, and work that started four months late lowers it by those months.

    "Measured: none of the outcomes holds" (`FollowUp.none_holds`) is measured, with no months
    of the standard route avoided: the realised return is what was paid against nothing."""
    if followup.measured != FollowUp.Measured.YES or not (outcomes or followup.none_holds):
        return realised.NOT_MEASURED
    prediction = realised.prediction_from_snapshot(result)
    corrected = list(followup.corrections.all())
    if not corrected:
        changes = {}
    elif callable(changes):
        changes = changes()
    elif changes is None:
        changes = price_changes()
    corrections = [
        realised.line_difference(line, c.corrected_amount, prediction.horizon_months)
        for c in corrected
        if (line := engine_line(c.line, changes)) is not None
    ]
    since = None if followup.none_holds else min(o.holds_since for o in outcomes)
    held_from, held_until = rules.realised_window(
        start, since, followup.recorded_on, prediction.horizon_months
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
        held_from_month=held_from,
        held_until_month=held_until,
        committed=committed,
        payments=payments,
        corrections=corrections,
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


# --- the waakvlam (pilot light) ----------------------------------------------------------------


def pilot_lights_of(case) -> list[PilotLight]:
    """A case's pilot lights, newest first, with their check-ins (the caller may read the
    case already)."""
    return list(
        PilotLight.objects.filter(case=case)
        .prefetch_related("check_ins")
        .order_by("-started_on", "-id")
    )


def active_pilot_light(case) -> PilotLight | None:
    return PilotLight.objects.filter(case=case, status=PilotLight.Status.ACTIVE).first()


def check_ins_due_for(user, today: date | None = None) -> QuerySet[PilotLight]:
    """Active pilot lights whose check-in is due, on closed cases the user started the pilot
    light of or is assigned to, in the teams they write for: their task list."""
    today = today or timezone.localdate()
    mine = Q(started_by=user) | Q(
        case__in=Case.assigned_workers.through.objects.filter(user=user).values("case_id")
    )
    return (
        PilotLight.objects.filter(
            mine,
            status=PilotLight.Status.ACTIVE,
            next_due_on__lte=today,
            case__status=Case.Status.CLOSED,
            case__team_id__in=writable_team_ids(user),
        )
        .select_related("case__household")
        .order_by("next_due_on", "id")
    )


def latest_check_in(pilot_light: PilotLight) -> CheckIn | None:
    return pilot_light.check_ins.order_by("-checked_on", "-id").first()


# --- corrected lines ---------------------------------------------------------------------------


def with_corrections() -> Prefetch:
    """Prefetch a follow-up's corrected lines with their plan lines (one query)."""
    return Prefetch(
        "corrections",
        queryset=CorrectedLine.objects.select_related(
            "line__plan", "line__version", "line__cost_item"
        ),
    )


def predicted_amount(line: ScenarioLine, changes=None) -> Decimal | None:
    """The amount per unit the plan's calculation used for a line: its own amount, or its
    frozen catalogue price version indexed to the plan's price year (the index only grows, so
    a past year's figure stays)."""
    if line.amount is not None:
        return line.amount
    if line.version is None:
        return None
    changes = price_changes() if changes is None else changes
    return index_amount(
        line.version.amount, line.version.price_year, line.plan.price_year, changes
    )[0]


def engine_line(line: ScenarioLine, changes=None) -> engine.Line | None:
    """A standard-route line as the engine took it, when it can be corrected: with an amount
    (its own or its frozen catalogue price) and a unit."""
    unit = line.unit or (line.cost_item.unit if line.cost_item_id else "")
    if line.scenario != Scenario.STANDARD or not unit:
        return None
    amount = predicted_amount(line, changes)
    if amount is None:
        return None
    return engine.Line(
        label=line.label or "line",
        amount=amount,
        unit=unit,
        bearer="realised",
        cost_type="fiscal",
        quantity=line.quantity,
        start_month=line.start_month,
        duration_months=None if unit in engine.ONCE_UNITS else line.duration_months,
        probability=line.probability,
    )


def correctable_lines(plan) -> list[ScenarioLine]:
    """The plan's standard-route lines a worker may correct at a follow-up, each with
    `predicted` (the amount per unit the calculation used)."""
    lines = (
        ScenarioLine.objects.filter(plan=plan, scenario=Scenario.STANDARD)
        .select_related("plan", "version", "cost_item")
        .order_by("position", "id")
    )
    changes = price_changes()
    found = []
    for line in lines:
        predicted = engine_line(line, changes)
        if predicted is not None:
            line.predicted, line.predicted_unit = predicted.amount, predicted.unit
            found.append(line)
    return found
