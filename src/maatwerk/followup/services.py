"""Writes for follow-up: scheduling the moments of an approved plan, recording a follow-up with
its outcomes, and closing the plan when its last follow-up is recorded (releasing what it did
not spend through the decisions service that owns the ledger)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit import services as audit
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case
from maatwerk.cases.selectors import may_write
from maatwerk.core.errors import ServiceError
from maatwerk.decisions import services as decisions
from maatwerk.plans import lifecycle
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from . import cohorts, rules, selectors
from .models import (
    ActionCarriedOut,
    CheckIn,
    CohortFigures,
    CohortRule,
    CohortStamp,
    CorrectedLine,
    FollowUp,
    OrganisationSettings,
    Outcome,
    PilotLight,
    since_after_message,
    since_missing_message,
    ticked_with_none_holds_message,
    ticked_with_not_measured_message,
)


class FollowUpError(ServiceError):
    """A follow-up rule refused the action; codes `followup.<reason>`."""

    app = "followup"


def end_of_action(plan: Plan, approved_on: date) -> date:
    """When the plan's action is expected to be carried out: its planned date, or the day it
    was approved when that date is missing or already past."""
    return plan.when if plan.when and plan.when > approved_on else approved_on


@transaction.atomic
def schedule(actor, plan: Plan, *, now: datetime | None = None) -> list[FollowUp]:
    """Schedule the follow-up moments of an approved plan. Idempotent: a moment the plan has
    already is left as it is; returns the follow-ups made now."""
    approved_on = timezone.localdate(now or timezone.now())
    offsets = selectors.moments_for_team(plan.case.team_id).offsets
    due = rules.due_dates(end_of_action(plan, approved_on), offsets)
    months = rules.moment_offsets(offsets)
    have = set(FollowUp.objects.filter(plan=plan).values_list("moment", flat=True))
    made = []
    for moment, due_on in due.items():
        if moment in have:
            continue
        followup, created = FollowUp.objects.get_or_create(
            plan=plan,
            moment=moment,
            defaults={"due_on": due_on, "offset_months": months[moment]},
        )
        if created:
            made.append(followup)
            audit.record(
                actor=actor,
                action=audit.Action.CREATE,
                obj=followup,
                reason="scheduled",
                changes={"plan": plan.pk, "moment": moment, "due_on": due_on.isoformat()},
            )
    refresh_cohort_figures(plan)
    return made


def _clean_outcomes(
    outcomes: Iterable[Mapping], recorded_on: date
) -> tuple[list[dict], dict[str, list[str]]]:
    cleaned: list[dict] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for row in outcomes:
        code = row.get("code")
        if code not in Outcome.Code.values:
            errors.setdefault("outcomes", []).append(_("Choose an outcome from the list."))
            continue
        if code in seen:
            errors.setdefault("outcomes", []).append(_("Each outcome can be chosen once."))
            continue
        seen.add(code)
        since = row.get("holds_since")
        if not isinstance(since, date):
            errors.setdefault(f"{code}_since", []).append(since_missing_message(code))
        elif since > recorded_on:
            errors.setdefault(f"{code}_since", []).append(since_after_message(code))
        text = (row.get("text") or "").strip()
        if len(text) > 300:
            errors.setdefault(f"{code}_text", []).append(_("Keep it to 300 characters."))
        cleaned.append({"code": code, "holds_since": since, "text": text})
    return cleaned, errors


def _clean_corrections(
    plan: Plan,
    corrections: Mapping[int, Decimal],
    measured: str,
    errors: dict,
    none_holds: bool = False,
) -> dict[int, Decimal]:
    """The corrected lines, checked: only at a follow-up measured with outcomes (with none
    holding, no month of the standard route is avoided: a correction would change nothing),
    only lines of the plan's standard route that can be corrected, amounts from zero up."""
    if not corrections:
        return {}
    allowed = {line.pk for line in selectors.correctable_lines(plan)}
    cleaned = {}
    for line_id, amount in corrections.items():
        key = f"line_{line_id}"
        if line_id not in allowed:
            errors.setdefault("corrections", []).append(
                _("Only a line of this plan's standard route can be corrected.")
            )
        elif measured != FollowUp.Measured.YES:
            errors[key] = [_("A line is corrected only when the outcome was measured.")]
        elif none_holds:
            errors[key] = [
                _(
                    "A line is corrected only when an outcome holds: with none holding, no "
                    "cost of the standard route was avoided. Leave it empty."
                )
            ]
        elif not isinstance(amount, Decimal) or not Decimal(0) <= amount < Decimal(10) ** 10:
            errors[key] = [_("Give an amount in euros, zero or more.")]
        else:
            cleaned[line_id] = amount.quantize(Decimal("0.01"))
    return cleaned


def record(
    actor,
    followup: FollowUp,
    *,
    measured: str,
    reason: str = "",
    outcomes: Iterable[Mapping] = (),
    recorded_on: date | None = None,
    corrections: Mapping[int, Decimal] | None = None,
    none_holds: bool = False,
) -> FollowUp:
    """Record a follow-up: measured with at least one coded outcome; measured with
    `none_holds` (none of the outcomes holds: no outcomes, it counts as measured with no cost
    of the standard route avoided); or not measured with its reason (no data: never counted as
    failure or success). When it is the plan's last follow-up, the
    plan closes and what it did not spend is released to the budget. `corrections`: line id →
    the amount a line of the predicted standard route really was (measured only; lines of
    `selectors.correctable_lines`); the realised return uses them, the prediction stays."""
    today = timezone.localdate()
    recorded_on = recorded_on or today
    with transaction.atomic():
        followup = (
            FollowUp.objects.select_for_update().select_related("plan__case").get(pk=followup.pk)
        )
        plan = followup.plan
        if not may_write(actor, plan.case):
            raise PermissionDenied(_("Only workers of the case's team may record its follow-up."))
        if followup.is_recorded:
            raise FollowUpError(_("This follow-up has already been recorded."), code="recorded")
        if followup.due_on > today:
            raise FollowUpError(_("This follow-up is not due yet."), code="not_due")
        errors: dict[str, list[str]] = {}
        if recorded_on > today:
            errors["recorded_on"] = [_("The day of measurement cannot lie in the future.")]
        cleaned: list[dict] = []
        outcomes = list(outcomes)
        if not isinstance(none_holds, bool):
            errors["none_holds"] = [_("Say yes or no: does none of the outcomes hold?")]
        elif measured == FollowUp.Measured.YES and none_holds:
            if outcomes:  # a contradiction: said what, not silently dropped
                errors["outcomes"] = [ticked_with_none_holds_message()]
            if reason:
                errors["reason"] = [
                    _(
                        "You chose “measured: none of the outcomes holds” but also gave a "
                        "reason why not measured: choose one of the two."
                    )
                ]
        elif measured == FollowUp.Measured.YES:
            cleaned, errors_outcomes = _clean_outcomes(outcomes, recorded_on)
            errors.update(errors_outcomes)
            if not cleaned and not errors_outcomes:
                errors["outcomes"] = [
                    _(
                        "Choose at least one outcome, or choose “measured: none of the "
                        "outcomes holds”."
                    )
                ]
            if reason:  # a contradiction: said what, not silently dropped
                errors["reason"] = [
                    _("You chose “measured” but also gave a reason why not: choose one of the two.")
                ]
        elif measured == FollowUp.Measured.NOT_MEASURED:
            if none_holds:
                errors["none_holds"] = [
                    _(
                        "You chose “not measured” but also “none of the outcomes holds”: "
                        "that needs a measurement. Choose one of the two."
                    )
                ]
            if reason not in FollowUp.Reason.values:
                errors["reason"] = [_("Say why it could not be measured.")]
            if outcomes:
                errors["outcomes"] = [ticked_with_not_measured_message()]
        else:
            errors["measured"] = [_("Say whether the outcome could be measured.")]
        corrected = _clean_corrections(
            plan, corrections or {}, measured, errors, none_holds is True
        )
        if errors:
            raise ValidationError(errors)
        followup.status = FollowUp.Status.RECORDED
        followup.measured = measured
        followup.not_measured_reason = reason
        followup.none_holds = none_holds
        followup.recorded_on = recorded_on
        followup.recorded_at = timezone.now()
        followup.recorded_by = actor
        followup.save()
        Outcome.objects.bulk_create(Outcome(followup=followup, **row) for row in cleaned)
        CorrectedLine.objects.bulk_create(
            CorrectedLine(followup=followup, line_id=line_id, corrected_amount=amount)
            for line_id, amount in corrected.items()
        )
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=followup,
            reason="recorded",
            changes={
                "status": {"old": FollowUp.Status.SCHEDULED, "new": FollowUp.Status.RECORDED},
                "measured": measured,
                "none_holds": none_holds,
                "reason": reason,
                "recorded_on": recorded_on.isoformat(),
                # Codes and dates only: the short texts may describe the household.
                "outcomes": [
                    {"code": r["code"], "holds_since": r["holds_since"].isoformat()}
                    for r in cleaned
                ],
                "corrected_lines": sorted(corrected),
            },
        )
        if not FollowUp.objects.filter(plan=plan, status=FollowUp.Status.SCHEDULED).exists():
            close_plan(actor, plan)
        refresh_cohort_figures(plan)
    return followup


def close_plan(actor, plan: Plan) -> Plan:
    """Close a plan whose follow-ups are all recorded: release what is still committed to it
    (ledger entries, audited, by decisions) and close it. A plan closed already stays so."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.CLOSED:
        return plan
    decisions.release_unspent(actor, plan, note=_("Released on closing after the last follow-up."))
    plan.refresh_from_db()
    if plan.status not in lifecycle.CLOSABLE:
        return plan
    return plan_services.close(actor, plan, _("All follow-ups are recorded."))


def cancel_scheduled(actor, plan: Plan) -> int:
    """A plan closed or withdrawn before its follow-ups were all recorded: the moments still
    scheduled are cancelled (audited), so they leave the task list and get no reminder.
    Recorded ones stay as they are. Returns how many were cancelled."""
    rows = list(
        FollowUp.objects.select_for_update()
        .filter(plan=plan, status=FollowUp.Status.SCHEDULED)
        .order_by("due_on", "id")
    )
    for followup in rows:
        followup.status = FollowUp.Status.CANCELLED
        followup.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=followup,
            reason="cancelled",
            changes={"status": {"old": FollowUp.Status.SCHEDULED, "new": "cancelled"}},
        )
    return len(rows)


def close_case_when_done(actor, case: Case) -> Case | None:
    """The case closes when all its plans are closed and at least one of them was approved
    (it has follow-ups): through the cases service that closes a case by hand (audited, an
    event on its timeline), reason "other" with the explanation. A case whose only plans
    were rejected or withdrawn and then tidied away stays open: the worker decides."""
    if case.status != Case.Status.OPEN:
        return None
    plans = Plan.objects.filter(case=case)
    if plans.exclude(status=Plan.Status.CLOSED).exists():
        return None
    if not FollowUp.objects.filter(plan__case=case).exists():
        return None
    return case_services.close_case(
        actor=actor,
        case=case,
        reason=Case.CloseReason.OTHER,
        explanation=_("All plans of the case are closed."),
    )


def on_plan_ended(actor, plan: Plan, status: str) -> None:
    """plans.events.plan_ended: cancel what is still scheduled; close the case when this was
    its last open plan (closed, not withdrawn)."""
    cancel_scheduled(actor, plan)
    refresh_cohort_figures(plan)
    if status == Plan.Status.CLOSED:
        close_case_when_done(actor, Case.objects.get(pk=plan.case_id))


# --- the end of the action ---------------------------------------------------------------------


def _reschedule(actor, plan: Plan, end: date, source: str) -> list[FollowUp]:
    """Move the follow-ups not yet recorded to `end` and the offsets after it; a moved one gets
    its reminder again on its new due day. Returns the follow-ups that moved."""
    offsets = selectors.moments_for_team(plan.case.team_id).offsets
    due = rules.due_dates(end, offsets)
    months = rules.moment_offsets(offsets)
    moved = []
    for followup in FollowUp.objects.select_for_update().filter(
        plan=plan, status=FollowUp.Status.SCHEDULED
    ):
        new = due.get(followup.moment)
        if new is None or new == followup.due_on:
            continue
        old = followup.due_on
        followup.due_on = new
        followup.offset_months = months[followup.moment]
        followup.reminded_at = None
        followup.save(update_fields=["due_on", "offset_months", "reminded_at"])
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=followup,
            reason="rescheduled",
            changes={
                "due_on": {"old": old.isoformat(), "new": new.isoformat()},
                "end_of_action": source,
            },
        )
        moved.append(followup)
    return moved


@transaction.atomic
def mark_carried_out(actor, plan: Plan, carried_out_on: date) -> ActionCarriedOut:
    """The worker marks the plan's tailored action as carried out on a day (not in the future,
    not before the approval). The follow-ups not yet recorded are scheduled from that day; the
    marking wins over the last payment date. Marking again corrects the day."""
    plan = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if not may_write(actor, plan.case):
        raise PermissionDenied(_("Only workers of the case's team may mark the action."))
    approved_on = selectors.plan_start(plan)
    if approved_on is None or not FollowUp.objects.filter(plan=plan).exists():
        raise FollowUpError(_("Only an approved plan's action can be marked."), code="not_approved")
    if plan.status == Plan.Status.CLOSED:
        raise FollowUpError(_("This plan is closed."), code="closed")
    if not isinstance(carried_out_on, date):
        raise ValidationError({"carried_out_on": [_("Give the day the action was carried out.")]})
    if carried_out_on > timezone.localdate():
        raise ValidationError({"carried_out_on": [_("This day cannot lie in the future.")]})
    if carried_out_on < approved_on:
        raise ValidationError(
            {"carried_out_on": [_("This day lies before the plan was approved.")]}
        )
    marking = ActionCarriedOut.objects.filter(plan=plan).first()
    old = marking.carried_out_on.isoformat() if marking else None
    if marking is None:
        marking = ActionCarriedOut(plan=plan)
    marking.carried_out_on = carried_out_on
    marking.marked_by = actor
    marking.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE if old else audit.Action.CREATE,
        obj=marking,
        reason="carried out",
        changes={"carried_out_on": {"old": old, "new": carried_out_on.isoformat()}},
    )
    _reschedule(actor, plan, carried_out_on, "marked")
    return marking


def on_ledger_moved(actor, plan: Plan) -> None:
    """decisions.events.ledger_moved: while the worker has not marked the action, its last
    payment in force is the end of the action."""
    if ActionCarriedOut.objects.filter(plan=plan).exists():
        return
    last = selectors.last_payment_on(plan)
    if last is not None:
        _reschedule(actor, plan, last, "last payment")


# --- the cohorts' stored figures ----------------------------------------------------------------


def _store_figures(found: list[cohorts.PlanFigures], plan_ids) -> int:
    """Replace the stored cohort figures of `plan_ids` by `found` (plans not in `found` have
    none: not approved, or no frozen prediction), and give the teams concerned a new cohort
    stamp in the same transaction. Returns how many plans have figures."""
    stored = CohortFigures.objects.filter(plan_id__in=plan_ids)
    teams = set(stored.values_list("team_id", flat=True)) | {f.team_id for f in found}
    stored.delete()  # their rules cascade
    CohortFigures.objects.bulk_create(
        CohortFigures(
            plan_id=f.plan_id,
            team_id=f.team_id,
            household_id=f.household_id,
            approved_on=f.approved_on,
            year=f.approved_on.year,
            quarter=(f.approved_on.month - 1) // 3 + 1,
            state=f.state,
            holds=f.holds,
            none_holds=f.none_holds,
            predicted=f.predicted,
            realised=f.realised,
        )
        for f in found
    )
    CohortRule.objects.bulk_create(
        CohortRule(figures_id=f.plan_id, kind=kind, rule_id=rule_id)
        for f in found
        for kind, rule_id in f.rule_keys
    )
    bump_cohort_stamps(teams)
    return len(found)


def bump_cohort_stamps(team_ids: Iterable[int | None] | None = None) -> None:
    """New cohort stamps (`models.CohortStamp`) for `team_ids`, or for every team that has
    one when None (a blocking rule renamed: its name shows under every team): what the cohort
    page cached for these teams is no longer used. Call it inside the transaction of the
    write, so the stamp and the figures become visible together."""
    version = uuid.uuid4().hex
    if team_ids is None:
        CohortStamp.objects.update(version=version)
        return
    wanted = sorted({t for t in team_ids if t is not None})
    if wanted:
        CohortStamp.objects.bulk_create(
            [CohortStamp(team_id=t, version=version) for t in wanted],
            update_conflicts=True,
            unique_fields=["team"],
            update_fields=["version"],
        )


@transaction.atomic
def refresh_cohort_figures(plan: Plan | int) -> CohortFigures | None:
    """Recompute and store one plan's cohort figures (`cohorts.figures_of`, the plan page's
    `selectors.realised_from`). Called whenever what feeds them changes: approval (scheduling),
    a recorded follow-up with its outcomes and corrected lines, a ledger movement (receivers),
    the plan ending. Not audited: derived figures, no personal data."""
    pk = plan if isinstance(plan, int) else plan.pk
    found = cohorts.figures_of(Plan.objects.filter(pk=pk))
    _store_figures(found, [pk])
    return CohortFigures.objects.filter(plan_id=pk).first() if found else None


def refresh_all_cohort_figures(batch: int = 500) -> int:
    """Recompute the stored cohort figures of every plan, `batch` plans per transaction (the
    backfill after migrating, data made without the services such as `generate_data`, or a
    change of the price index that corrected lines are priced with). Returns how many plans
    have figures."""
    ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    return sum(refresh_cohort_figures_of(ids[i : i + batch]) for i in range(0, len(ids), batch))


def backfill_cohort_figures() -> int:
    """Store the cohort figures of all plans when none are stored yet but plans were approved
    (the first `migrate` after followup/0006, by `receivers.backfill_cohort_figures`)."""
    if CohortFigures.objects.exists() or not FollowUp.objects.exists():
        return 0
    return refresh_all_cohort_figures()


@transaction.atomic
def refresh_cohort_figures_of(plan_ids: list[int]) -> int:
    """Recompute the stored cohort figures of `plan_ids` in a fixed number of queries (also for
    plans made without the services, as `generate_data` does). Returns how many have figures."""
    return _store_figures(cohorts.figures_of(Plan.objects.filter(pk__in=plan_ids)), plan_ids)


# --- the organisation's moments ----------------------------------------------------------------


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@transaction.atomic
def set_moments(
    actor, organisation_id: int, *, first: int, second: int, grace_days: int
) -> OrganisationSettings:
    """The functional administrator sets their organisation's follow-up moments: two whole
    months after the end of the action, increasing, from 1 to 60, and the grace days (0 to
    365) before an overdue follow-up goes to the team lead. They hold for follow-ups scheduled
    or moved from now on; those already scheduled keep their day."""
    if not has_role(actor, Role.ADMIN) or organisation_id not in organisation_ids(actor):
        raise PermissionDenied(_("Only your organisation's functional administrator may do this."))
    first, second, grace = _whole(first), _whole(second), _whole(grace_days)
    errors: dict[str, list[str]] = {}
    for name, value in (("first", first), ("second", second)):
        if value is None or not rules.OFFSET_MIN <= value <= rules.OFFSET_MAX:
            errors[name] = [
                _("Give a whole number of months from %(min)s to %(max)s.")
                % {"min": rules.OFFSET_MIN, "max": rules.OFFSET_MAX}
            ]
    if not errors and not rules.offsets_valid(first, second):
        errors["second"] = [_("The second follow-up must come later than the first.")]
    if grace is None or not 0 <= grace <= rules.GRACE_MAX:
        errors["grace_days"] = [
            _("Give a whole number of days from 0 to %(max)s.") % {"max": rules.GRACE_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    row = (
        OrganisationSettings.objects.select_for_update()
        .filter(organisation_id=organisation_id)
        .first()
    )
    old = None
    if row is not None:
        old = {
            "first": row.first_offset_months,
            "second": row.second_offset_months,
            "grace_days": row.grace_days,
        }
    if row is None:
        row = OrganisationSettings(organisation_id=organisation_id)
    row.first_offset_months, row.second_offset_months, row.grace_days = first, second, grace
    row.updated_by = actor
    row.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE if old else audit.Action.CREATE,
        obj=row,
        reason="follow-up moments",
        changes={"old": old, "new": {"first": first, "second": second, "grace_days": grace}},
    )
    return row


# --- the waakvlam (pilot light) ----------------------------------------------------------------


def _writable_closed_case(actor, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_write(actor, case):
        raise PermissionDenied(_("Only workers of the case's team may keep its pilot light."))
    if case.status != Case.Status.CLOSED:
        raise FollowUpError(
            _("A pilot light is only for a closed case."), code="pilot_light_case_open"
        )
    return case


@transaction.atomic
def start_pilot_light(
    actor, case: Case, *, interval_months: int, today: date | None = None
) -> PilotLight:
    """Start the waakvlam of a closed case: a light check-in every 3 or 6 months, the first
    due that long after today. One active pilot light per case."""
    today = today or timezone.localdate()
    case = _writable_closed_case(actor, case)
    if PilotLight.objects.filter(case=case, status=PilotLight.Status.ACTIVE).exists():
        raise FollowUpError(_("This case has a pilot light already."), code="pilot_light_active")
    if interval_months not in rules.PILOT_LIGHT_INTERVALS:
        raise ValidationError({"interval_months": [_("Choose every three or every six months.")]})
    light = PilotLight.objects.create(
        case=case,
        interval_months=interval_months,
        next_due_on=rules.next_check_in(today, interval_months),
        started_on=today,
        started_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=light,
        reason="pilot light started",
        changes={
            "case": case.pk,
            "interval_months": interval_months,
            "next_due_on": light.next_due_on.isoformat(),
        },
    )
    return light


def _active_light(actor, light: PilotLight) -> PilotLight:
    light = PilotLight.objects.select_for_update().get(pk=light.pk)
    _writable_closed_case(actor, light.case)
    if not light.is_active:
        raise FollowUpError(_("This pilot light has been stopped."), code="pilot_light_stopped")
    return light


@transaction.atomic
def record_check_in(
    actor,
    light: PilotLight,
    *,
    checked_on: date | None,
    outcome: str,
    text: str = "",
    today: date | None = None,
) -> CheckIn:
    """Record a check-in of an active pilot light: the day (not in the future, not before the
    pilot light started), a coded outcome and one line of text. The next check-in comes due
    the interval after this day."""
    today = today or timezone.localdate()
    light = _active_light(actor, light)
    errors: dict[str, list[str]] = {}
    if not isinstance(checked_on, date):
        errors["checked_on"] = [_("Give the day of the check-in.")]
    elif checked_on > today:
        errors["checked_on"] = [_("This day cannot lie in the future.")]
    elif checked_on < light.started_on:
        errors["checked_on"] = [_("This day lies before the pilot light started.")]
    if outcome not in CheckIn.Outcome.values:
        errors["outcome"] = [_("Choose how it is going from the list.")]
    text = " ".join((text or "").split())
    if len(text) > 200:
        errors["text"] = [_("Keep it to one line of at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    check_in = CheckIn.objects.create(
        pilot_light=light, checked_on=checked_on, outcome=outcome, text=text, recorded_by=actor
    )
    old = light.next_due_on
    light.next_due_on = rules.next_check_in(
        max(checked_on, *light.check_ins.values_list("checked_on", flat=True)),
        light.interval_months,
    )
    light.reminded_at = None if light.next_due_on != old else light.reminded_at
    light.save(update_fields=["next_due_on", "reminded_at"])
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=check_in,
        reason="check-in",
        # The code and the day only: the line of text may describe the household.
        changes={
            "pilot_light": light.pk,
            "checked_on": checked_on.isoformat(),
            "outcome": outcome,
            "next_due_on": {"old": old.isoformat(), "new": light.next_due_on.isoformat()},
        },
    )
    return check_in


@transaction.atomic
def stop_pilot_light(actor, light: PilotLight, *, today: date | None = None) -> PilotLight:
    """The team chooses to stop the waakvlam: no more check-ins come due; its history stays."""
    today = today or timezone.localdate()
    light = _active_light(actor, light)
    light.status = PilotLight.Status.STOPPED
    light.stopped_on = today
    light.stopped_by = actor
    light.save(update_fields=["status", "stopped_on", "stopped_by"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=light,
        reason="pilot light stopped",
        changes={"status": {"old": "active", "new": "stopped"}},
    )
    return light


def stop_pilot_light_on_reopen(actor, case) -> PilotLight | None:
    """A reopened case is back in ordinary work: its active waakvlam stops (no check-ins come
    due beside the open case), audited. Runs inside the reopening transaction
    (`cases.events.case_reopened`); returns the light it stopped, if any."""
    light = (
        PilotLight.objects.select_for_update()
        .filter(case_id=case.pk, status=PilotLight.Status.ACTIVE)
        .first()
    )
    if light is None:
        return None
    light.status = PilotLight.Status.STOPPED
    light.stopped_on = timezone.localdate()
    light.stopped_by = actor
    light.save(update_fields=["status", "stopped_on", "stopped_by"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=light,
        reason="pilot light stopped: case reopened",
        changes={"status": {"old": "active", "new": "stopped"}},
    )
    return light


# --- reminders ---------------------------------------------------------------------------------


def _reminder(followup: FollowUp) -> tuple[str, str, str, list[str]] | None:
    """The reminder mail to the plan's author: plan number and moment, no resident's data."""
    author = followup.plan.author
    if not author.email or not author.is_active:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Follow-up of plan %(n)s is due") % {"n": followup.plan_id}
        body = _("Record the follow-up (%(moment)s) of plan %(n)s: %(link)s") % {
            "moment": followup.get_moment_display(),
            "n": followup.plan_id,
            "link": settings.MAATWERK_BASE_URL + reverse("followup:record", args=[followup.pk]),
        }
    return subject, body, settings.DEFAULT_FROM_EMAIL, [author.email]


def send_reminders(today: date | None = None, batch: int = 200) -> int:
    """Send the reminder of every follow-up due by `today` that has none yet; returns how many
    were sent. Idempotent and safe to run from cron every few minutes, also twice at once:
    each follow-up is claimed under a row lock (skipped when another run holds it) and marked
    `reminded_at` in the same transaction that hands its mail over, so it is never sent twice.
    A follow-up recorded before its reminder went out gets none."""
    today = today or timezone.localdate()
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=FollowUp.Status.SCHEDULED,
                    due_on__lte=today,
                    reminded_at__isnull=True,
                )
                .exclude(selectors.awaiting_action())
                .select_related("plan__author")
                .order_by("due_on", "id")[:batch]
            )
            if not due:
                return sent + _send_check_in_reminders(today, batch)
            now = timezone.now()
            mails = []
            for followup in due:
                mail = _reminder(followup)
                if mail:
                    mails.append(mail)
                followup.reminded_at = now
            FollowUp.objects.bulk_update(due, ["reminded_at"])
            audit.record(
                actor=None,
                action=audit.Action.UPDATE,
                object_type="followup.followup",
                reason="reminded",
                changes={"followups": [f.pk for f in due], "mails": len(mails)},
            )
            if mails:
                send_mass_mail(mails, fail_silently=False)
            sent += len(mails)


def _check_in_reminder(light: PilotLight) -> tuple[str, str, str, list[str]] | None:
    """The reminder to whoever started the pilot light: the case number and a link only."""
    worker = light.started_by
    if not worker.email or not worker.is_active:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Pilot light check-in of case %(n)s is due") % {"n": light.case_id}
        body = _("Check in with the household of case %(n)s and record it: %(link)s") % {
            "n": light.case_id,
            "link": settings.MAATWERK_BASE_URL
            + reverse("followup:pilot_light", args=[light.case_id]),
        }
    return subject, body, settings.DEFAULT_FROM_EMAIL, [worker.email]


def _send_check_in_reminders(today: date, batch: int) -> int:
    """The reminders of the pilot lights whose check-in is due by `today`, claimed and marked
    like the follow-ups' (once per due day; a check-in moves the day and clears the mark)."""
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                PilotLight.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=PilotLight.Status.ACTIVE,
                    case__status=Case.Status.CLOSED,
                    next_due_on__lte=today,
                    reminded_at__isnull=True,
                )
                .select_related("started_by")
                .order_by("next_due_on", "id")[:batch]
            )
            if not due:
                return sent
            now = timezone.now()
            mails = [m for m in map(_check_in_reminder, due) if m]
            for light in due:
                light.reminded_at = now
            PilotLight.objects.bulk_update(due, ["reminded_at"])
            audit.record(
                actor=None,
                action=audit.Action.UPDATE,
                object_type="followup.pilotlight",
                reason="reminded",
                changes={"pilot_lights": [light.pk for light in due], "mails": len(mails)},
            )
            if mails:
                send_mass_mail(mails, fail_silently=False)
            sent += len(mails)
