"""Writes of the learning loop's signals.

`signals` sits above cases and legal (DESIGN.md, Layers): it reads what the field reports and
feeds it back into the reference data, which never imports casework itself.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import User
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Obstacle, Resident
from maatwerk.core import personal_data
from maatwerk.core.errors import ServiceError
from maatwerk.legal import services as legal_services
from maatwerk.legal.models import BlockingRule

from . import selectors as signal_selectors
from .models import (
    FINAL_STATUSES,
    NATIONAL_OWNER,
    NOTE_REQUIRED,
    OPEN_STATUSES,
    TRANSITIONS,
    Contribution,
    NationalFigure,
    NationalImport,
    OwnerKind,
    Signal,
    SignalEvent,
    SignalFeed,
    Status,
    deadline_for,
)


def _household_names(obstacles) -> list[str]:
    """First and last names of the residents of the obstacles' households."""
    names = Resident.objects.filter(
        household__cases__obstacles__in=[o.pk for o in obstacles]
    ).values_list("first_name", "last_name")
    return [name for pair in names for name in pair]


def _refuse_personal_data(fields: dict[str, str], names=()) -> None:
    """Policy makers read a signal's texts and never a case: a text that holds a BSN, an
    e-mail address, a phone number, a postcode or a name of the household is refused, with
    what was found named (never repeated)."""
    personal_data.refuse(
        fields,
        names,
        _(
            "This seems to contain %(what)s. Policy makers read this text: leave personal "
            "data out and describe the situation in general terms."
        ),
    )


@transaction.atomic
def promote_new_rule(
    *, actor: User, obstacle: Obstacle, code: str, name_nl: str, applied_by: str
) -> Obstacle:
    """An administrator turns an obstacle's newly described rule into a catalogue rule.

    The rule enters the regelbank (versioned and audited there) with the worker's description,
    and the obstacle then points at it, so later cases can choose it and signals count it.
    """
    obstacle = (
        case_selectors.new_rule_obstacles(actor).select_for_update(of=("self",)).get(pk=obstacle.pk)
    )
    rule = legal_services.add_blocking_rule(
        actor,
        code=code,
        name_nl=name_nl,
        applied_by=applied_by,
        description=obstacle.description_new_rule,
        note=_("Promoted from a newly described obstacle."),
    )
    obstacle.blocking_rule = rule
    obstacle.description_new_rule = ""
    obstacle.full_clean()
    obstacle.save(update_fields=["blocking_rule", "description_new_rule"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=obstacle,
        reason="promoted into the regelbank",
        changes={
            "blocking_rule": {"old": None, "new": rule.pk},
            "description_new_rule": {"old": audit.MASKED, "new": ""},
        },
    )
    return obstacle


# --- System signals -------------------------------------------------------------------------


class SignalError(ServiceError):
    """A signal rule refused the action; codes `signals.<reason>`."""

    app = "signals"


class TransitionRefused(SignalError):
    """A move the allow-list does not hold (400, as every rule's refusal in the API)."""

    default_code = "transition_not_allowed"


def _event(signal: Signal, actor: User, from_status: str, note: str = "") -> SignalEvent:
    return SignalEvent.objects.create(
        signal=signal, actor=actor, from_status=from_status, to_status=signal.status, note=note
    )


def _writable_obstacle(actor: User, obstacle: Obstacle) -> Obstacle:
    try:
        return signal_selectors.obstacle_for_signal(actor, obstacle.pk)
    except Obstacle.DoesNotExist:
        raise PermissionDenied(_("Only the case's team may do this.")) from None


def check_owner(owner_kind: str, owner_name: str) -> str:
    if owner_kind not in OwnerKind.values:
        raise ValidationError({"owner_kind": _("Choose who owns the rule.")})
    owner_name = (owner_name or "").strip()
    if owner_kind == OwnerKind.NATIONAL and not owner_name:
        owner_name = NATIONAL_OWNER
    if not owner_name:
        raise ValidationError({"owner_name": _("Name the department or organisation.")})
    return owner_name


@transaction.atomic
def raise_signal(
    actor: User,
    *,
    title: str,
    summary: str,
    owner_kind: str,
    owner_name: str = "",
    rule: BlockingRule | None = None,
    obstacle: Obstacle | None = None,
    today: datetime.date | None = None,
) -> Signal:
    """A team lead or policy analyst raises a signal on a rule; a worker (or team lead) raises
    one from an obstacle of their case ("dit komt vaker voor"), which then feeds it.

    One open signal per rule and organisation: from an obstacle whose rule has one, the worker
    joins it (`feed_signal`) instead."""
    today = today or timezone.localdate()
    if obstacle is not None:
        obstacle = _writable_obstacle(actor, obstacle)
        organisation_id = obstacle.case.team.organisation_id
        rule = obstacle.blocking_rule
    else:
        if rule is None:
            raise ValidationError({"rule": _("Choose the rule the signal is about.")})
        organisation_id = signal_selectors.raising_organisation_id(actor)
        if organisation_id is None:
            raise PermissionDenied(_("Only a team lead or policy analyst raises a signal."))
    owner_name = check_owner(owner_kind, owner_name)
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the signal a short title.")
    if not summary:
        errors["summary"] = _("Describe what keeps happening.")
    if errors:
        raise ValidationError(errors)
    _refuse_personal_data(
        {"title": title, "summary": summary},
        _household_names([obstacle]) if obstacle is not None else (),
    )
    if (
        obstacle is not None
        and SignalFeed.objects.filter(
            obstacle=obstacle, signal__status__in=sorted(OPEN_STATUSES)
        ).exists()
    ):
        raise SignalError(
            _("This obstacle already feeds an open signal: follow that one."),
            code="already_open",
        )
    if rule is not None:
        existing = (
            Signal.objects.select_for_update()
            .filter(
                organisation_id=organisation_id,
                blocking_rule=rule,
                status__in=sorted(OPEN_STATUSES),
            )
            .first()
        )
        if existing is not None:
            raise SignalError(
                _("This rule already has an open signal: follow that one."),
                code="already_open",
            )
    signal = Signal(
        organisation_id=organisation_id,
        blocking_rule=rule,
        new_rule_obstacle=obstacle if rule is None else None,
        rule_version=rule.version if rule is not None else None,
        title=title,
        summary=summary,
        owner_kind=owner_kind,
        owner_name=owner_name,
        status=Status.NEW,
        status_since=today,
        deadline=deadline_for(Status.NEW, today),
        raised_by=actor,
    )
    signal.full_clean()
    signal.save()
    _event(signal, actor, "")
    if obstacle is not None:
        SignalFeed.objects.create(signal=signal, obstacle=obstacle, added_by=actor)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=signal,
        reason="signal raised" + (" from an obstacle" if obstacle is not None else ""),
        changes={
            "status": {"old": None, "new": signal.status},
            "rule": {"old": None, "new": rule.pk if rule else None},
        },
    )
    return signal


@transaction.atomic
def feed_signal(actor: User, signal: Signal, obstacle: Obstacle) -> SignalFeed:
    """A worker's obstacle joins an open signal on the same rule ("dit komt vaker voor")."""
    obstacle = _writable_obstacle(actor, obstacle)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if (
        signal.organisation_id != obstacle.case.team.organisation_id
        or signal.blocking_rule_id is None
        or signal.blocking_rule_id != obstacle.blocking_rule_id
    ):
        raise SignalError(_("This obstacle is about another rule."), code="other_rule")
    if not signal.is_open:
        raise SignalError(_("This signal is closed."), code="closed")
    feed, created = SignalFeed.objects.get_or_create(
        signal=signal, obstacle=obstacle, defaults={"added_by": actor}
    )
    if created:
        audit.record(
            actor=actor, action=audit.Action.UPDATE, obj=signal, reason="obstacle fed the signal"
        )
    return feed


@transaction.atomic
def transition(
    actor: User,
    signal: Signal,
    to_status: str,
    *,
    note: str = "",
    today: datetime.date | None = None,
) -> Signal:
    """Move a signal one step along the allow-list, with its history line and audit event.

    "Rule kept" and "passed on" need a note (why; to whom). "Rule changed" on a regelbank rule
    needs the change recorded in the regelbank first: the signal then names that version."""
    today = today or timezone.localdate()
    signal = (
        Signal.objects.select_for_update(of=("self",))
        .select_related("blocking_rule")
        .get(pk=signal.pk)
    )
    if not signal_selectors.may_move(actor, signal):
        raise PermissionDenied(_("Only the policy roles of the signal's organisation move it."))
    if to_status not in TRANSITIONS.get(signal.status, ()):
        allowed = ", ".join(str(Status(s).label) for s in TRANSITIONS[signal.status])
        raise TransitionRefused(
            _("A signal that is %(current)s cannot become %(wanted)s. Allowed: %(allowed)s.")
            % {
                "current": signal.get_status_display(),
                "wanted": Status(to_status).label if to_status in Status.values else to_status,
                "allowed": allowed or _("nothing, it is closed"),
            }
        )
    note = (note or "").strip()
    if to_status in NOTE_REQUIRED and not note:
        message = (
            _("Say why the owner keeps the rule.")
            if to_status == Status.RULE_KEPT
            else _("Say to whom the signal was passed on.")
        )
        raise ValidationError({"note": message}, code="note_required")
    _refuse_personal_data({"note": note})
    from_status = signal.status
    if to_status == Status.RULE_CHANGED and signal.blocking_rule_id is not None:
        rule = signal.blocking_rule
        if signal.rule_version is not None and rule.version <= signal.rule_version:
            raise SignalError(
                _(
                    "Record the change in the regelbank first: the rule is still at the "
                    "version it had when the signal was raised. Only a functional "
                    "administrator changes the regelbank: ask them to record the new version "
                    "on the rule's page."
                ),
                code="rule_not_changed",
            )
        revision = rule.revisions.order_by("-version").first()
        signal.changed_version = rule.version
        signal.changed_on = (
            timezone.localtime(revision.changed_at).date() if revision is not None else today
        )
    signal.status = to_status
    signal.status_since = today
    signal.deadline = deadline_for(to_status, today)
    if to_status in FINAL_STATUSES:
        signal.outcome_note = note
    signal.full_clean()
    signal.save()
    _event(signal, actor, from_status, note)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=signal,
        reason="signal status changed",
        changes={"status": {"old": from_status, "new": to_status}},
    )
    return signal


@transaction.atomic
def add_contribution(actor: User, signal: Signal, text: str) -> Contribution:
    """A worker whose team's obstacle fed the signal adds what they know, in general terms.
    The text is shown to the policy roles; the audit event masks it."""
    if not signal_selectors.may_contribute(actor, signal):
        raise PermissionDenied(_("Only workers whose obstacles fed this signal add to it."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you know.")})
    _refuse_personal_data(
        {"text": text}, _household_names([f.obstacle for f in signal.feeds.all()])
    )
    contribution = Contribution(signal=signal, author=actor, text=text)
    contribution.full_clean()
    contribution.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=contribution,
        reason="contribution to a signal",
        changes={"text": {"old": None, "new": audit.MASKED}},
    )
    return contribution


# --- The national picture (issue 14, point 6) ------------------------------------------------


def store_national(payload: dict, sha256: str, *, actor=None) -> tuple[NationalImport, bool]:
    """Store a checked export (`national.check`): replaces the organisation's earlier import
    for the same period, so figures are never counted twice. (import, replaced)."""
    from datetime import datetime

    with transaction.atomic():
        organisation = payload["organisation"]["name"]
        deleted, _rows = NationalImport.objects.filter(
            organisation=organisation, period=payload["period"]
        ).delete()
        source = NationalImport.objects.create(
            organisation=organisation,
            organisation_kind=payload["organisation"]["kind"],
            period=payload["period"],
            sha256=sha256,
            generated_at=datetime.fromisoformat(payload["generated_at"]),
            cells=len(payload["cells"]),
            suppressed_cells=payload["suppressed_cells"],
        )
        NationalFigure.objects.bulk_create(
            NationalFigure(
                source=source,
                rule_code=c["rule_code"] or "",
                rule_name=c["rule_name"],
                law=c["law"],
                suppressed=c["suppressed"],
                households=c["households"],
                plans=c["plans"],
                approved=c["approved"],
                standard_eur=c["standard_eur"],
                tailored_eur=c["tailored_eur"],
                realised_eur=c["realised_eur"],
            )
            for c in payload["cells"]
        )
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            obj=source,
            reason=f"national signal figures {payload['period']}"
            + (" (replaces the earlier import)" if deleted else ""),
        )
    return source, bool(deleted)
