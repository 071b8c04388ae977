"""Writes for escalation of one case beyond the organisation (issue 12, point 3): the referral
to a regional doorbraaktafel or the Landelijk Maatwerkloket, its answer and outcome, and the
audit event of every download of its document.

Kept beside the request writes of ``services.py``; after the two halves of issue 12 are merged
they may be folded into one module.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import User
from maatwerk.audit import services as audit
from maatwerk.core.errors import ServiceError

from . import referral_selectors as selectors
from .models import Answer, CooperationRequest, ExternalOrganisation, Referral, ReferralRoute

MAX_REASON = 2000


class ReferralError(ServiceError):
    app = "cooperation"


def _require_writer(actor: User, request: CooperationRequest) -> None:
    if not selectors.may_write(actor, request):
        raise PermissionDenied(_("Only the workers and team leads of the case's team may do this."))


def _refusal(code: str) -> ReferralError:
    messages = {
        "no_plan": _("Escalation needs the plan: only a request made for a plan can be escalated."),
        "not_stuck": _(
            "Only a refused or overdue request can be escalated beyond the organisation."
        ),
        "referral_open": _("This request is already escalated and waits for an answer."),
        "route_agreed": _("The route already agreed to this escalation: the plan goes on."),
    }
    return ReferralError(messages[code], code=code)


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
    organisations only, to the Landelijk Maatwerkloket. The referral document is generated from
    it whenever it is downloaded."""
    _require_writer(actor, request)
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
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("Keep the reason short (at most 2000 characters).")]
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        errors["sent_on"] = [_("The date sent cannot be in the future.")]
    if to is not None and to not in selectors.escalation_routes():
        errors["to"] = [_("Choose an escalation route from the directory.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CooperationRequest.objects.select_for_update().get(pk=request.pk)
        blocker = selectors.escalation_blocker(locked, today)
        if blocker:
            raise _refusal(blocker)
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


def record_answer(
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
    _require_writer(actor, referral.request)
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
            raise ReferralError(
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
        locked.save(
            update_fields=[
                "status",
                "answer",
                "answer_reason",
                "answered_on",
                "outcome",
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


def record_download(actor: User, referral: Referral) -> None:
    """Every download of the referral document leaves an export event (personal data leaves
    the application with it)."""
    audit.record(
        actor=actor, action=audit.Action.EXPORT, obj=referral, reason="referral document PDF"
    )
