"""Writes of the cooperation app: the directory, requests, their consent, sending, answers and
contacts, and the escalation of a refused or overdue request beyond the organisation (the
referral and its answer). Every write runs in one transaction with its audit event, so a
refused change leaves nothing. Requests and referrals are written by the workers and team leads
of the case's team (as cases are); the directory by the functional administrator, with
suggestions from workers.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team, User
from maatwerk.audit import services as audit
from maatwerk.cases.models import Case
from maatwerk.cases.selectors import may_write as may_write_case
from maatwerk.cases.selectors import writable_team_ids
from maatwerk.core import dates
from maatwerk.core.choices import OrganisationType
from maatwerk.core.errors import ServiceError
from maatwerk.legal.models import Provision
from maatwerk.plans.models import Plan

from . import selectors
from .models import (
    ANSWERS_WITH_REASON,
    DEFAULT_ANSWER_DAYS,
    Answer,
    Channel,
    Contact,
    ContactPoint,
    CooperationRequest,
    DirectoryCategory,
    DirectoryStatus,
    ExternalOrganisation,
    Referral,
    ReferralRoute,
)

Status = CooperationRequest.Status
MAX_MINUTES = 1440  # one contact takes at most a day
# Written in the worker's words about a household: the audit log records that they changed.
FREE_TEXT = ("question", "consent_scope", "answer_reason")


class CooperationError(ServiceError):
    """A cooperation rule refused the action; codes `cooperation.<reason>`."""

    app = "cooperation"


def _require_writer(actor: User, case: Case) -> None:
    if not may_write_case(actor, case):
        raise PermissionDenied(_("Only the case's team may do this."))


def _require_admin(actor: User) -> None:
    if not selectors.is_directory_admin(actor):
        raise PermissionDenied(_("Only a functional administrator maintains the directory."))


def _locked(request: CooperationRequest) -> CooperationRequest:
    return CooperationRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


def _require_unsettled(request: CooperationRequest) -> None:
    """A request whose escalation its route agreed to is settled (`CooperationRequest.settled_by`):
    it takes no answer, due date or withdrawal of its own."""
    if request.settled_by() is not None:
        raise CooperationError(
            _("This request was settled by its escalation: the route agreed."),
            code="settled",
        )


def _check_consent(consent_on: datetime.date | None, consent_scope: str) -> None:
    scope = (consent_scope or "").strip()
    if consent_on is None and scope:
        raise CooperationError(
            {"consent_on": _("Give the date on which the resident consented.")}, code="consent"
        )
    if consent_on is not None and not scope:
        raise CooperationError(
            {"consent_scope": _("Say what the resident agreed may be shared.")}, code="consent"
        )
    dates.check({"consent_on": consent_on}, {"consent_on": dates.EVENT_DATE})


# --- requests ---------------------------------------------------------------------------------


@transaction.atomic
def create_request(
    actor: User,
    *,
    case: Case,
    organisation: ExternalOrganisation,
    question: str,
    plan: Plan | None = None,
    provision: Provision | None = None,
    contact_point: ContactPoint | None = None,
    consent_on: datetime.date | None = None,
    consent_scope: str = "",
    send: bool = False,
    sent_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> CooperationRequest:
    """Record a request to an outside organisation, with the consent when the resident already
    gave it; with `send`, also mark it sent (as `send_request`) in the same transaction."""
    _require_writer(actor, case)
    if plan is not None and plan.case_id != case.pk:
        raise CooperationError({"plan": _("Choose a plan of this case.")}, code="plan")
    if not selectors.is_usable(organisation, case.team_id):
        raise CooperationError(
            {"organisation": _("This organisation is not in the directory for your team.")},
            code="organisation",
        )
    if contact_point is not None and contact_point.organisation_id != organisation.pk:
        raise CooperationError(
            {"contact_point": _("Choose a contact point of this organisation.")},
            code="contact_point",
        )
    question = (question or "").strip()
    if not question:
        raise CooperationError({"question": _("Say what is asked.")}, code="question")
    _check_consent(consent_on, consent_scope)
    request = CooperationRequest(
        case=case,
        plan=plan,
        organisation=organisation,
        contact_point=contact_point,
        question=question,
        provision=provision,
        consent_on=consent_on,
        consent_scope=(consent_scope or "").strip(),
        consent_recorded_by=actor if consent_on else None,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=request,
        changes={
            "case": {"old": None, "new": case.pk},
            "plan": {"old": None, "new": plan.pk if plan else None},
            "organisation": {"old": None, "new": organisation.pk},
            "question": {"old": None, "new": audit.MASKED},
            "consent_on": {"old": None, "new": str(consent_on) if consent_on else None},
        },
    )
    if send:
        request = send_request(actor, request, sent_on=sent_on, due_on=due_on)
    return request


@transaction.atomic
def record_consent(
    actor: User, request: CooperationRequest, *, consent_on: datetime.date, consent_scope: str
) -> CooperationRequest:
    """Record (or correct) the resident's consent, before the request is sent."""
    request = _locked(request)
    _require_writer(actor, request.case)
    if request.status != Status.DRAFT:
        raise CooperationError(
            _("The consent of a sent request stays as it was recorded."), code="not_draft"
        )
    if consent_on is None:
        raise CooperationError(
            {"consent_on": _("Give the date on which the resident consented.")}, code="consent"
        )
    _check_consent(consent_on, consent_scope)
    changes = audit.diff(
        request,
        {"consent_on": consent_on, "consent_scope": consent_scope.strip()},
        masked=FREE_TEXT,
    )
    request.consent_on = consent_on
    request.consent_scope = consent_scope.strip()
    request.consent_recorded_by = actor
    request.save()
    audit.record(
        actor=actor, action=audit.Action.UPDATE, obj=request, reason="consent", changes=changes
    )
    return request


def default_due_on(sent_on: datetime.date) -> datetime.date:
    return sent_on + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)


@transaction.atomic
def send_request(
    actor: User,
    request: CooperationRequest,
    *,
    sent_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> CooperationRequest:
    """Mark the request sent (today unless given) with the date an answer is due (default:
    14 days after sending). Refused without the resident's consent."""
    request = _locked(request)
    _require_writer(actor, request.case)
    if request.status != Status.DRAFT:
        raise CooperationError(_("This request has already been sent."), code="not_draft")
    if request.consent_on is None:
        raise CooperationError(
            _("Record the resident's consent before the request is sent."), code="no_consent"
        )
    sent_on = sent_on or timezone.localdate()
    due_on = due_on or default_due_on(sent_on)
    dates.check(
        {"sent_on": sent_on, "due_on": due_on},
        {"sent_on": dates.EVENT_DATE, "due_on": dates.PLANNED_DATE},
    )
    if sent_on < request.consent_on:
        raise CooperationError(
            {"sent_on": _("A request cannot be sent before the resident consented.")},
            code="sent_before_consent",
        )
    if due_on < sent_on:
        raise CooperationError(
            {"due_on": _("The answer cannot be due before the request is sent.")}, code="due_on"
        )
    request.status = Status.SENT
    request.sent_on = sent_on
    request.due_on = due_on
    request.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=request,
        reason="sent",
        changes={
            "status": {"old": Status.DRAFT, "new": Status.SENT},
            "sent_on": {"old": None, "new": str(sent_on)},
            "due_on": {"old": None, "new": str(due_on)},
        },
    )
    return request


@transaction.atomic
def change_due_date(
    actor: User, request: CooperationRequest, *, due_on: datetime.date
) -> CooperationRequest:
    """Move the date an answer is due (the organisation asked for more time)."""
    request = _locked(request)
    _require_writer(actor, request.case)
    _require_unsettled(request)
    if request.status != Status.SENT:
        raise CooperationError(_("Only a sent request awaits an answer."), code="not_sent")
    dates.check({"due_on": due_on}, {"due_on": dates.PLANNED_DATE})
    if due_on < request.sent_on:
        raise CooperationError(
            {"due_on": _("The answer cannot be due before the request is sent.")}, code="due_on"
        )
    changes = audit.diff(request, {"due_on": due_on})
    request.due_on = due_on
    request.save()
    audit.record(
        actor=actor, action=audit.Action.UPDATE, obj=request, reason="due date", changes=changes
    )
    return request


@transaction.atomic
def record_answer(
    actor: User,
    request: CooperationRequest,
    *,
    answer: str,
    reason: str = "",
    answered_on: datetime.date | None = None,
) -> CooperationRequest:
    """Record the organisation's answer: agreed, partly, refused (both with the reason given),
    or none (the worker stops waiting)."""
    request = _locked(request)
    _require_writer(actor, request.case)
    _require_unsettled(request)
    if request.status != Status.SENT:
        raise CooperationError(
            _("Only a sent request without an answer can get one."), code="not_sent"
        )
    if answer not in Answer.values:
        raise CooperationError({"answer": _("Choose the answer.")}, code="answer")
    reason = (reason or "").strip()
    if answer in ANSWERS_WITH_REASON and not reason:
        raise CooperationError(
            {"answer_reason": _("Give the reason the organisation gave.")}, code="reason"
        )
    answered_on = answered_on or timezone.localdate()
    dates.check({"answered_on": answered_on}, {"answered_on": dates.EVENT_DATE})
    if answered_on < request.sent_on:
        raise CooperationError(
            {"answered_on": _("An answer cannot come before the request was sent.")},
            code="answered_on",
        )
    request.status = Status.ANSWERED
    request.answer = answer
    request.answer_reason = reason
    request.answered_on = answered_on
    request.answered_by = actor
    request.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=request,
        reason="answer",
        changes={
            "status": {"old": Status.SENT, "new": Status.ANSWERED},
            "answer": {"old": "", "new": answer},
            "answer_reason": {"old": None, "new": audit.MASKED} if reason else {},
            "answered_on": {"old": None, "new": str(answered_on)},
        },
    )
    return request


@transaction.atomic
def withdraw_request(actor: User, request: CooperationRequest) -> CooperationRequest:
    """The request is no longer needed (not sent yet, or sent and still unanswered)."""
    request = _locked(request)
    _require_writer(actor, request.case)
    _require_unsettled(request)
    if request.status not in (Status.DRAFT, Status.SENT):
        raise CooperationError(_("An answered request stays as it is."), code="not_open")
    old = request.status
    request.status = Status.WITHDRAWN
    request.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=request,
        reason="withdrawn",
        changes={"status": {"old": old, "new": Status.WITHDRAWN}},
    )
    return request


@transaction.atomic
def add_contact(
    actor: User,
    request: CooperationRequest,
    *,
    channel: str,
    minutes: int,
    occurred_on: datetime.date | None = None,
    note: str = "",
) -> Contact:
    """One contact for the request: its channel and the minutes it took."""
    request = _locked(request)
    _require_writer(actor, request.case)
    if request.status == Status.WITHDRAWN:
        raise CooperationError(_("This request has been withdrawn."), code="withdrawn")
    if channel not in Channel.values:
        raise CooperationError({"channel": _("Choose how the contact went.")}, code="channel")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
        message = _("Give the minutes it took: at least 1, at most %(max)s.") % {"max": MAX_MINUTES}
        raise CooperationError({"minutes": message}, code="minutes")
    occurred_on = occurred_on or timezone.localdate()
    dates.check({"occurred_on": occurred_on}, {"occurred_on": dates.EVENT_DATE})
    contact = Contact(
        request=request,
        channel=channel,
        minutes=minutes,
        occurred_on=occurred_on,
        note=(note or "").strip(),
        created_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=contact,
        changes={
            "request": {"old": None, "new": request.pk},
            "channel": {"old": None, "new": channel},
            "minutes": {"old": None, "new": minutes},
            "note": {"old": None, "new": audit.MASKED} if contact.note else {},
        },
    )
    return contact


# --- the directory ----------------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "organisation_type", "category", "website", "notes")
CONTACT_POINT_FIELDS = (
    "department", "channel", "phone", "address", "notes", "for_formal_requests"
)  # fmt: skip


def _check_name(name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise CooperationError({"name": _("Give the organisation's name.")}, code="name")
    clash = ExternalOrganisation.objects.filter(name__iexact=name).exclude(
        status=DirectoryStatus.REJECTED
    )
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise CooperationError(
            {"name": _("This organisation is already in the directory or suggested.")},
            code="duplicate",
        )
    return name


@transaction.atomic
def suggest_organisation(
    actor: User,
    *,
    team: Team,
    name: str,
    organisation_type: str,
    website: str = "",
    note: str = "",
) -> ExternalOrganisation:
    """A worker suggests an organisation for the directory. The suggesting team may use it at
    once; other teams once the functional administrator accepted it."""
    if team.pk not in writable_team_ids(actor):
        raise PermissionDenied(_("Only a worker or team lead of the team may suggest."))
    name = _check_name(name)
    if organisation_type not in OrganisationType.values:
        raise CooperationError(
            {"organisation_type": _("Choose the kind of organisation.")}, code="type"
        )
    organisation = ExternalOrganisation(
        name=name,
        organisation_type=organisation_type,
        category=DirectoryCategory.COOPERATION,
        website=(website or "").strip(),
        status=DirectoryStatus.SUGGESTED,
        suggested_by=actor,
        suggested_by_team=team,
        suggestion_note=(note or "").strip(),
    )
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=organisation,
        reason="suggested",
        changes={"name": {"old": None, "new": name}, "team": {"old": None, "new": team.pk}},
    )
    return organisation


@transaction.atomic
def decide_suggestion(
    actor: User, organisation: ExternalOrganisation, *, accept: bool, note: str = ""
) -> ExternalOrganisation:
    """The functional administrator accepts a suggestion into the directory or rejects it.
    Requests already made to a rejected suggestion keep it; no new ones are made."""
    _require_admin(actor)
    organisation = ExternalOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != DirectoryStatus.SUGGESTED:
        raise CooperationError(_("This suggestion has already been decided."), code="decided")
    new = DirectoryStatus.ACTIVE if accept else DirectoryStatus.REJECTED
    organisation.status = new
    organisation.decided_by = actor
    organisation.decided_at = timezone.now()
    organisation.decision_note = (note or "").strip()[:500]
    organisation.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=organisation,
        reason="suggestion accepted" if accept else "suggestion rejected",
        changes={"status": {"old": DirectoryStatus.SUGGESTED, "new": new}},
    )
    return organisation


@transaction.atomic
def save_organisation(
    actor: User, organisation: ExternalOrganisation | None = None, **values
) -> ExternalOrganisation:
    """The functional administrator adds an organisation to the directory or changes one."""
    _require_admin(actor)
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation fields: {sorted(unknown)}")
    creating = organisation is None
    if creating:
        organisation = ExternalOrganisation(status=DirectoryStatus.ACTIVE)
    values["name"] = _check_name(values.get("name", organisation.name), organisation.pk)
    changes = (
        {k: {"old": None, "new": v} for k, v in values.items()}
        if creating
        else audit.diff(organisation, values)
    )
    if not creating and not changes:
        return organisation  # saved unchanged: nothing to store or audit
    for field, value in values.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE if creating else audit.Action.UPDATE,
        obj=organisation,
        changes=changes,
    )
    return organisation


@transaction.atomic
def archive_organisation(actor: User, organisation: ExternalOrganisation) -> ExternalOrganisation:
    """Take an organisation out of the directory; its requests keep it."""
    _require_admin(actor)
    old = organisation.status
    organisation.status = DirectoryStatus.ARCHIVED
    organisation.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=organisation,
        reason="archived",
        changes={"status": {"old": old, "new": DirectoryStatus.ARCHIVED}},
    )
    return organisation


@transaction.atomic
def save_contact_point(
    actor: User,
    organisation: ExternalOrganisation,
    point: ContactPoint | None = None,
    **values,
) -> ContactPoint:
    """The functional administrator adds or changes a contact point of an organisation."""
    _require_admin(actor)
    unknown = set(values) - set(CONTACT_POINT_FIELDS) - {"active"}
    if unknown:
        raise ValueError(f"Not contact point fields: {sorted(unknown)}")
    creating = point is None
    if creating:
        point = ContactPoint(organisation=organisation)
    elif point.organisation_id != organisation.pk:
        raise CooperationError(_("This contact point belongs elsewhere."), code="contact_point")
    if "department" in values:
        values["department"] = (values["department"] or "").strip()
        if not values["department"]:
            raise CooperationError(
                {"department": _("Give the department or desk.")}, code="department"
            )
    changes = (
        {k: {"old": None, "new": v} for k, v in values.items()}
        if creating
        else audit.diff(point, values)
    )
    for field, value in values.items():
        setattr(point, field, value)
    point.full_clean()
    point.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE if creating else audit.Action.UPDATE,
        obj=point,
        changes=changes,
    )
    return point


@transaction.atomic
def deactivate_contact_point(actor: User, point: ContactPoint) -> ContactPoint:
    """Take a contact point out of the directory. It is never deleted: the requests that went
    to it keep naming it (their history stays as it was), but no new request can choose it."""
    _require_admin(actor)
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    if not point.active:
        return point
    point.active = False
    point.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=point,
        reason="contact point taken out of the directory",
        changes={"active": {"old": True, "new": False}},
    )
    return point


# --- escalation beyond the organisation -------------------------------------------------------
# The referral of one refused or overdue request to a regional doorbraaktafel or the Landelijk
# Maatwerkloket, its answer and outcome, and the audit event of every download of its document.

MAX_ESCALATION_REASON = 2000


def _escalation_refusal(code: str) -> CooperationError:
    messages = {
        "no_plan": _("Escalation needs the plan: only a request made for a plan can be escalated."),
        "not_stuck": _(
            "Only a refused or overdue request can be escalated beyond the organisation."
        ),
        "referral_open": _("This request is already escalated and waits for an answer."),
        "route_agreed": _("The route already agreed to this escalation: the plan goes on."),
    }
    return CooperationError(messages[code], code=code)


def escalate(
    actor: User,
    request: CooperationRequest,
    *,
    route: str,
    reason: str,
    to: ExternalOrganisation | None = None,
    sent_on: datetime.date | None = None,
) -> Referral:
    """Escalate `request` (refused or overdue) beyond the organisation: the referral is recorded
    as sent on `sent_on` (today by default) to the doorbraaktafel or, for the rules of national
    organisations only, to the Landelijk Maatwerkloket. The addressee `to`, when given, is an
    escalation route of the directory that takes this route (the Landelijk Maatwerkloket for the
    national route, a regional doorbraaktafel for the other). The referral document is generated
    from it whenever it is downloaded."""
    _require_writer(actor, request.case)
    reason = (reason or "").strip()
    errors = {}
    if route not in ReferralRoute.values:
        errors["route"] = [_("Choose a route.")]
    elif route not in selectors.allowed_routes(request):
        errors["route"] = [
            _(
                "The Landelijk Maatwerkloket takes the rules of national organisations "
                "(Toeslagen, UWV, SVB, CAK, CJIB, DUO); choose the doorbraaktafel."
            )
        ]
    if not reason:
        errors["reason"] = [_("Say in a few words why this case needs to be escalated.")]
    elif len(reason) > MAX_ESCALATION_REASON:
        errors["reason"] = [_("Keep the reason short (at most 2000 characters).")]
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        errors["sent_on"] = [_("The date sent cannot be in the future.")]
    if to is not None and to not in selectors.escalation_routes():
        errors["to"] = [_("Choose an escalation route from the directory.")]
    elif to is not None and "route" not in errors and selectors.addressee_route(to) != route:
        errors["to"] = [
            _(
                "For the route Landelijk Maatwerkloket the addressee is the Landelijk "
                "Maatwerkloket, not a regional doorbraaktafel."
            )
            if route == ReferralRoute.NATIONAL_DESK
            else _(
                "For the route doorbraaktafel choose a regional doorbraaktafel as the "
                "addressee, not the Landelijk Maatwerkloket."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CooperationRequest.objects.select_for_update().get(pk=request.pk)
        blocker = selectors.escalation_blocker(locked, today)
        if blocker:
            raise _escalation_refusal(blocker)
        referral = Referral.objects.create(
            request=locked,
            route=route,
            to=to,
            question=reason,
            status=Referral.Status.SENT,
            sent_on=sent_on,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=referral,
            reason="escalated beyond the organisation",
            changes={
                "request": {"old": None, "new": locked.pk},
                "route": {"old": None, "new": route},
                "sent_on": {"old": None, "new": sent_on.isoformat()},
            },
        )
    return referral


def record_referral_answer(
    actor: User,
    referral: Referral,
    *,
    answer: str,
    outcome: str,
    answered_on: datetime.date | None = None,
    reason: str = "",
) -> Referral:
    """The route's answer (agreed, partly agreed, refused) with the outcome in a few words and
    the date it came. Recorded once: a referral that is answered stays as it was answered."""
    _require_writer(actor, referral.request.case)
    outcome = (outcome or "").strip()
    reason = (reason or "").strip()
    today = timezone.localdate()
    answered_on = answered_on or today
    errors = {}
    if answer not in (Answer.AGREED, Answer.PARTLY, Answer.REFUSED):
        errors["answer"] = [_("Choose the answer: agreed, partly agreed or refused.")]
    if not outcome:
        errors["outcome"] = [_("Say what was agreed or decided.")]
    if answer in (Answer.PARTLY, Answer.REFUSED) and not reason:
        errors["reason"] = [_("Give the reason the route gave.")]
    if answered_on > today:
        errors["answered_on"] = [_("The date of the answer cannot be in the future.")]
    elif referral.sent_on and answered_on < referral.sent_on:
        errors["answered_on"] = [_("The answer cannot come before the referral was sent.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != Referral.Status.SENT:
            raise CooperationError(
                _("This referral does not wait for an answer."), code="referral_not_open"
            )
        changes = audit.diff(
            locked,
            {"status": Referral.Status.ANSWERED, "answer": answer, "answered_on": answered_on},
        )
        locked.status = Referral.Status.ANSWERED
        locked.answer = answer
        locked.answer_reason = reason
        locked.answered_on = answered_on
        locked.outcome = outcome
        locked.answered_by = actor
        locked.save(
            update_fields=[
                "status",
                "answer",
                "answer_reason",
                "answered_on",
                "outcome",
                "answered_by",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=locked,
            reason="answer of the escalation route",
            changes=changes,
        )
    return locked


def record_referral_download(actor: User, referral: Referral) -> None:
    """Every download of the referral document leaves an export event (personal data leaves
    the application with it)."""
    audit.record(
        actor=actor, action=audit.Action.EXPORT, obj=referral, reason="referral document PDF"
    )
