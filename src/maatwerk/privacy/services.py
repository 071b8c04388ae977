"""Writes of the privacy officer: requests of residents, recorded and audited."""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit import services as audit
from maatwerk.cases.models import Case, Resident

from . import destruction, selectors
from .models import DataSubjectRequest, DestructionItem, DestructionList, LegalHold, RetentionRule


def one_month_after(day: date) -> date:
    """The same day a month later, or the month's last day (31 January → 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def record_request(
    officer, resident: Resident, *, kind: str, received_on: date, note: str = ""
) -> DataSubjectRequest:
    if not has_role(officer, Role.PRIVACY_OFFICER):
        raise PermissionDenied(_("Only the privacy officer records a resident's request."))
    organisation_id = resident.household.team.organisation_id
    if organisation_id not in organisation_ids(officer):
        raise PermissionDenied(_("This resident is not known to your organisation."))
    if kind not in DataSubjectRequest.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    if received_on > date.today():
        raise ValidationError({"received_on": _("The date of receipt cannot lie in the future.")})
    if kind == DataSubjectRequest.Kind.ACCESS:
        # Looking the person up again for the same request records nothing new.
        same = DataSubjectRequest.objects.filter(
            resident=resident, kind=kind, received_on=received_on
        ).first()
        if same is not None:
            return same
    request = DataSubjectRequest.objects.create(
        organisation_id=organisation_id,
        resident=resident,
        kind=kind,
        received_on=received_on,
        due_on=one_month_after(received_on),
        note=note.strip(),
        recorded_by=officer,
    )
    # The action and the kind; never the note (it may describe the person).
    audit.record(actor=officer, action=audit.Action.CREATE, obj=request, reason=kind)
    return request


# --- retention and destruction (issue 17, points 1 and 2) -------------------------------------


def _require_officer(user, organisation_id: int) -> None:
    if not has_role(user, Role.PRIVACY_OFFICER):
        raise PermissionDenied(_("Only the privacy officer decides on destruction."))
    if organisation_id not in organisation_ids(user):
        raise PermissionDenied(_("This case is not known to your organisation."))


@transaction.atomic
def propose_destruction_list(organisation_id: int, *, today: date) -> DestructionList | None:
    """The organisation's open destruction list with every case past its retention period
    added; None when there is none and nothing to propose. Idempotent: a case already on the
    open list is not added twice, so a second run the same day changes nothing."""
    expired = selectors.expired_cases(organisation_id, today)
    exists = DestructionList.objects.filter(
        organisation_id=organisation_id, status=DestructionList.Status.PROPOSED
    ).exists()
    if not exists and not expired:
        return None
    lst = _open_list(organisation_id, today)
    on_list = set(lst.items.values_list("case_id", flat=True))
    new = [
        DestructionItem(
            destruction_list=lst,
            case_id=r.case_id,
            case_reference=r.reference,
            retention_end=r.end,
            rule_codes=", ".join(sorted(r.codes)),
        )
        for r in expired
        if r.case_id not in on_list
    ]
    if new:
        DestructionItem.objects.bulk_create(new)
        audit.record(
            actor=None,
            action=audit.Action.UPDATE,
            obj=lst,
            organisation_id=organisation_id,
            reason="casussen toegevoegd aan de vernietigingslijst",
            changes={"added": len(new), "cases": [i.case_id for i in new]},
        )
    return lst


REQUEST_REASON = "op verzoek van betrokkene"


def _open_list(organisation_id: int, today: date) -> DestructionList:
    """The organisation's open destruction list (locked), created when there is none."""
    lst = (
        DestructionList.objects.select_for_update()
        .filter(organisation_id=organisation_id, status=DestructionList.Status.PROPOSED)
        .first()
    )
    if lst is None:
        lst = DestructionList.objects.create(organisation_id=organisation_id, proposed_on=today)
        audit.record(
            actor=None,
            action=audit.Action.CREATE,
            obj=lst,
            organisation_id=organisation_id,
            reason="vernietigingslijst voorgesteld",
        )
    return lst


@transaction.atomic
def request_destruction(
    officer, case: Case, *, ground: str, requested_on: date, today: date | None = None
) -> DestructionItem:
    """Put a case on the open destruction list on request of the person concerned (AVG art.
    17, Jeugdwet art. 7.3.9), before or after its retention period ended. The list's review
    and approval then decide, as for every case on it; a legal hold blocks the request, and an
    open or destroyed case is refused. A case already on the open list gets the request's
    ground and date (and is proposed again if it was taken off)."""
    _require_officer(officer, case.team.organisation_id)
    today = today or timezone.localdate()
    if ground not in DestructionItem.Ground.values:
        raise ValidationError({"ground": _("Choose the legal ground of the request.")})
    if requested_on is None or requested_on > today:
        raise ValidationError(
            {"requested_on": _("The date of the request cannot lie in the future.")}
        )
    case = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
    if DestructionItem.objects.filter(case=case, status=DestructionItem.Status.DESTROYED).exists():
        raise ValidationError(_("This case is destroyed already."))
    if selectors.held_case_ids([case.pk]):
        raise ValidationError(
            _(
                "This case is under a legal hold: it cannot be put on the destruction list, "
                "not even on request. Lift the hold first if it no longer applies, and tell "
                "the person why their request waits."
            ),
            code="legal_hold",
        )
    if case.status != Case.Status.CLOSED:
        raise ValidationError(
            _(
                "This case is still open: an open case is never destroyed. Ask the team to "
                "close it first."
            ),
            code="open_case",
        )
    row = selectors.case_retention(Case.objects.filter(pk=case.pk))[0]
    lst = _open_list(case.team.organisation_id, today)
    item, created = DestructionItem.objects.select_for_update().get_or_create(
        destruction_list=lst,
        case=case,
        defaults={
            "case_reference": case.household.reference,
            "retention_end": row.end,
            "rule_codes": ", ".join(sorted(row.codes)),
            "request_ground": ground,
            "requested_on": requested_on,
        },
    )
    if not created:
        item.request_ground, item.requested_on = ground, requested_on
        item.status, item.decided_by = DestructionItem.Status.PROPOSED, None
        item.save(update_fields=["request_ground", "requested_on", "status", "decided_by"])
    audit.record(
        actor=officer,
        action=audit.Action.UPDATE,
        obj=lst,
        reason=f"casus {REQUEST_REASON} op de vernietigingslijst",
        changes={"case": case.pk, "ground": ground, "requested_on": requested_on.isoformat()},
    )
    return item


@transaction.atomic
def remove_item(officer, item: DestructionItem) -> DestructionItem:
    """Take a case off the open list (it is proposed again by a later run, unless a hold)."""
    item = (
        DestructionItem.objects.select_for_update()
        .select_related("destruction_list")
        .get(pk=item.pk)
    )
    _require_officer(officer, item.destruction_list.organisation_id)
    if item.destruction_list.status != DestructionList.Status.PROPOSED:
        raise ValidationError(_("This list is approved already."))
    if item.status == DestructionItem.Status.PROPOSED:
        item.status = DestructionItem.Status.REMOVED
        item.decided_by = officer
        item.save(update_fields=["status", "decided_by"])
        audit.record(
            actor=officer,
            action=audit.Action.UPDATE,
            obj=item.destruction_list,
            reason="casus van de vernietigingslijst gehaald",
            changes={"case": item.case_id},
        )
    return item


@transaction.atomic
def approve_list(officer, lst: DestructionList, *, now=None) -> dict[str, int]:
    """Approve the list and destroy its proposed cases. A case under a legal hold (set after
    it was proposed) is kept and marked so. Approving an approved list does nothing: the
    counts of what this call destroyed, held and skipped."""
    now = now or timezone.now()
    lst = DestructionList.objects.select_for_update().get(pk=lst.pk)
    _require_officer(officer, lst.organisation_id)
    result = {"destroyed": 0, "held": 0}
    if lst.status == DestructionList.Status.APPROVED:
        return result
    items = list(
        lst.items.select_for_update(of=("self",))
        .filter(status=DestructionItem.Status.PROPOSED)
        .select_related("case")
    )
    held = selectors.held_case_ids([i.case_id for i in items])
    for item in items:
        if item.case_id in held:
            item.status = DestructionItem.Status.HELD
            item.save(update_fields=["status"])
            result["held"] += 1
            continue
        destroy_case(officer, item, now=now)
        result["destroyed"] += 1
    lst.status = DestructionList.Status.APPROVED
    lst.approved_by = officer
    lst.approved_at = now
    lst.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=officer,
        action=audit.Action.UPDATE,
        obj=lst,
        reason="vernietigingslijst goedgekeurd",
        changes=result,
    )
    return result


def destroy_case(officer, item: DestructionItem, *, now) -> dict[str, int]:
    """Destroy one case of an approved list (privacy.destruction says what that means per
    table). Inside approve_list's transaction; audited with counts and the case's id only."""
    case = Case.objects.select_for_update().get(pk=item.case_id)
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("An open case is never destroyed."))
    others = (
        Case.objects.filter(household_id=case.household_id)
        .exclude(pk=case.pk)
        .exclude(pk__in=selectors.destroyed_case_ids())
    )
    counts = destruction.destroy_case(case.pk, household_done=not others.exists())
    item.status = DestructionItem.Status.DESTROYED
    item.destroyed_at = now
    item.decided_by = officer
    item.save(update_fields=["status", "destroyed_at", "decided_by"])
    audit.record(
        actor=officer,
        action=audit.Action.DELETE,
        obj=case,
        reason=(
            f"vernietigd {REQUEST_REASON} ({item.request_ground}, "
            if item.on_request
            else "vernietigd na de bewaartermijn ("
        )
        + f"vernietigingslijst {item.destruction_list_id})",
        changes={"rows": counts},
    )
    return counts


@transaction.atomic
def set_legal_hold(officer, case: Case, *, reason: str, now=None) -> LegalHold:
    _require_officer(officer, case.team.organisation_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the hold.")})
    if DestructionItem.objects.filter(case=case, status=DestructionItem.Status.DESTROYED).exists():
        raise ValidationError(_("This case is destroyed already."))
    current = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True)
    if current.exists():
        return current.get()
    hold = LegalHold.objects.create(
        case=case,
        organisation_id=case.team.organisation_id,
        reason=reason[:500],
        set_by=officer,
        set_at=now or timezone.now(),
    )
    # The reason is not copied into the log: it may describe the person.
    audit.record(actor=officer, action=audit.Action.CREATE, obj=hold, reason="bewaarplicht gezet")
    return hold


@transaction.atomic
def lift_legal_hold(officer, case: Case, *, reason: str, now=None) -> LegalHold | None:
    """End the case's hold, with the reason why (required: it stays in the history)."""
    _require_officer(officer, case.team.organisation_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Give the reason for lifting the hold.")})
    hold = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
    if hold is None:
        return None
    hold.lifted_at = now or timezone.now()
    hold.lifted_by = officer
    hold.lift_reason = reason[:500]
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    # As when it was set: the reason is kept on the hold, not copied into the log.
    audit.record(
        actor=officer,
        action=audit.Action.UPDATE,
        obj=hold,
        reason="bewaarplicht opgeheven",
        changes={"lift_reason": "gegeven"},
    )
    return hold


@transaction.atomic
def set_own_period(admin, *, code: str, years: int, days: int) -> RetentionRule:
    """An organisation that is not a municipality sets its own period for a kind of help (the
    Selectielijst binds municipalities only): its own row for the code, audited."""
    if not has_role(admin, Role.ADMIN):
        raise PermissionDenied(_("Only the functional administrator sets retention periods."))
    orgs = Organisation.objects.filter(pk__in=organisation_ids(admin)).exclude(
        kind=Organisation.Kind.MUNICIPALITY
    )
    organisation = orgs.order_by("pk").first()
    if organisation is None:
        raise PermissionDenied(
            _("A municipality keeps the periods of the Selectielijst; it sets none of its own.")
        )
    shared = RetentionRule.objects.filter(code=code, organisation__isnull=True).first()
    if shared is None:
        raise ValidationError({"code": _("Choose a retention rule.")})
    if years < 0 or days < 0 or (years == 0 and days == 0):
        raise ValidationError(_("A retention period is longer than nothing."))
    own, created = RetentionRule.objects.select_for_update().get_or_create(
        code=code,
        organisation=organisation,
        defaults={
            **{
                name: getattr(shared, name)
                for name in ("kind_of_help", "category", "result_type", "counted_from", "version")
            },
            "period_years": years,
            "period_days": days,
            "source_title": _("Own period of %(organisation)s") % {"organisation": organisation},
            "valid_from": timezone.localdate(),
            "updated_by": admin,
        },
    )
    old = (own.period_years, own.period_days)
    if not created:
        own.period_years, own.period_days = years, days
        own.valid_from = timezone.localdate()
        own.updated_by = admin
        own.save()
    audit.record(
        actor=admin,
        action=audit.Action.CREATE if created else audit.Action.UPDATE,
        obj=own,
        reason="eigen bewaartermijn",
        changes={"period": {"old": None if created else list(old), "new": [years, days]}},
    )
    return own
