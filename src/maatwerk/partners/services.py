"""Writes on partners and early signals.

Partners are made and changed by the functional administrator of the municipality (audited);
each partner gets its own API client with the exclusive scope `signals:write`, whose tokens the
administrator issues on the client's admin page (api.services).

`receive` takes a batch of validated signals from one partner and answers per signal, in a fixed
number of queries whatever the batch size: one read of replays, one of earlier handled signals
about the same persons, one insert, one audit event. No BSN reaches a log, a URL or the audit
log: the audit event names the partner and the signals' ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Membership, User
from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.api import services as api_services
from maatwerk.api.models import Scope
from maatwerk.audit import services as audit
from maatwerk.cases import bsn as bsn_lib
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case
from maatwerk.core import destruction
from maatwerk.core.errors import ServiceError

from . import identity, selectors
from .models import (
    ContactAttempt,
    EarlySignal,
    EndResult,
    Partner,
    PartnerType,
    PostcodeArea,
    SignalKind,
    Source,
    Status,
)


class PartnerError(ServiceError):
    """A rule about early signals refused it; codes `partners.<reason>`. A signal that is
    well-formed but breaks a rule answers 422 (Unprocessable Content)."""

    app = "partners"
    status = 422


# --- partners ----------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "type", "enabled", "enabled_reason", "holds_bsn", "is_active")


def _clean_partner(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in PARTNER_FIELDS}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise ValidationError({"name": _("Give the partner a name.")})
    if "type" in values and values["type"] not in PartnerType.values:
        raise ValidationError({"type": _("Choose a partner type.")})
    return values


@transaction.atomic
def create_partner(*, actor: User, organisation, name: str, type: str, **values) -> Partner:
    """The partner and its own API client (scope `signals:write`, no token yet)."""
    values = _clean_partner({"name": name, "type": type, **values})
    if Partner.objects.filter(organisation=organisation, name=values["name"]).exists():
        raise ValidationError({"name": _("This municipality already has a partner by this name.")})
    client = api_services.create_client(
        actor=actor,
        organisation=organisation,
        name=_("%(name)s (partner signals)") % {"name": values["name"]},
        scopes=[Scope.SIGNALS_WRITE],
    )
    partner = Partner.objects.create(organisation=organisation, api_client=client, **values)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=partner,
        changes={k: getattr(partner, k) for k in PARTNER_FIELDS if k != "name"},
    )
    return partner


@transaction.atomic
def update_partner(*, actor: User, partner: Partner, **values) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not api_services.may_manage(actor, partner.organisation_id):
        raise PermissionDenied(
            _("Only the functional administrator of the organisation may do this.")
        )
    values = _clean_partner(values)
    changes = audit.diff(partner, values)
    for field, value in values.items():
        setattr(partner, field, value)
    partner.save()
    if "is_active" in changes:  # a partner switched off sends nothing, whatever its tokens
        api_services.update_client(
            actor=actor, client=partner.api_client, is_active=partner.is_active
        )
    if changes:
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=partner, changes=changes)
    return partner


def may_send(partner: Partner) -> bool:
    return partner.is_active and identity.may_send(partner.type, partner.enabled)


# --- routing to a team (triage) ----------------------------------------------------------------


def team_for_postcode(postcode: str, areas: list[tuple[int, int, int]]) -> int | None:
    """The team id whose (start, end, team_id) range holds the postcode's four digits, or
    None: the organisation's central queue (no postcode, an unknown one, or no range)."""
    digits = (postcode or "")[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    area = int(digits)
    for start, end, team_id in areas:
        if start <= area <= end:
            return team_id
    return None


def _areas(organisation_id: int) -> list[tuple[int, int, int]]:
    return list(
        PostcodeArea.objects.filter(organisation_id=organisation_id).values_list(
            "start", "end", "team_id"
        )
    )


def record_postcode_area(*, actor: User, area: PostcodeArea, created: bool) -> None:
    """Audit a postcode range the administrator saved (the admin validated it)."""
    audit.record(
        actor=actor,
        action=audit.Action.CREATE if created else audit.Action.UPDATE,
        obj=area,
        changes={"team": area.team_id, "start": area.start, "end": area.end},
    )


@transaction.atomic
def delete_postcode_area(*, actor: User, area: PostcodeArea) -> None:
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=area,
        changes={"team": area.team_id, "start": area.start, "end": area.end},
    )
    area.delete()


# --- receiving signals -------------------------------------------------------------------------


@dataclass
class Outcome:
    """The answer to one signal of a batch: `signal` with `created` (201) or not (200, a
    replay), or `error` (a ValidationError: 400, or a PartnerError: 422)."""

    index: int
    partner_signal_id: str
    signal: EarlySignal | None = None
    created: bool = False
    error: Exception | None = None


def _precondition_errors(partner: Partner, data: dict) -> dict:
    """Rent signals: the landlord's legal preconditions (Besluit, art. 3), each required."""
    if partner.type != PartnerType.RENT:
        return {}
    pre = data.get("rent") or {}
    errors = {}
    if not pre.get("reminder_date"):
        errors["huurvoorwaarden.herinneringVerstuurdOp"] = _(
            "A rent signal needs the date of the written reminder."
        )
    for key, field, text in (
        ("personal_contact_sought", "persoonlijkContactGezocht",
         _("A rent signal needs personal contact to have been sought.")),
        ("pointed_to_debt_help", "gewezenOpSchuldhulpverlening",
         _("A rent signal needs the tenant to have been pointed to debt help.")),
        ("no_objection", "geenBezwaarTegenDoorgifte",
         _("A rent signal needs the tenant not to have objected to passing on their details.")),
    ):  # fmt: skip
        if pre.get(key) is not True:
            errors[f"huurvoorwaarden.{field}"] = text
    return errors


def _rule_error(partner: Partner, data: dict) -> PartnerError | None:
    errors = _precondition_errors(partner, data)
    if errors:
        error = PartnerError(errors, code="precondition_missing")
        return error
    if data.get("bsn") and not partner.holds_bsn:
        return PartnerError(
            {"persoon.bsn": _("This partner may not send a BSN: name the person by address.")},
            code="bsn_not_allowed",
        )
    return None


def _person_key(data: dict) -> str:
    return identity.person_key(
        settings.MAATWERK_BSN_KEY,
        bsn=data.get("bsn") or "",
        postcode=data.get("postcode") or "",
        house_number=data.get("house_number"),
        addition=data.get("house_number_addition") or "",
        birth_date=data.get("birth_date"),
    )


def _new_signal(partner: Partner, data: dict, key: str) -> EarlySignal:
    rent = data.get("rent") or {}
    number = data.get("bsn") or ""
    return EarlySignal(
        partner=partner,
        partner_signal_id=data["partner_signal_id"],
        kind=data["kind"],
        crisis=data.get("crisis", False),
        warm_handover=data.get("warm_handover", False),
        amount=data["amount"],
        arrears_since=data.get("arrears_since"),
        signal_date=data["signal_date"],
        supply_end_date=data.get("supply_end_date"),
        reminder_date=rent.get("reminder_date"),
        personal_contact_sought=bool(rent.get("personal_contact_sought")),
        pointed_to_debt_help=bool(rent.get("pointed_to_debt_help")),
        no_objection=bool(rent.get("no_objection")),
        bsn_encrypted=bsn_lib.encrypt(number) if number else "",
        postcode=identity.normalise_postcode(data.get("postcode") or ""),
        house_number=data.get("house_number"),
        house_number_addition=(data.get("house_number_addition") or "").strip(),
        birth_date=data.get("birth_date"),
        person_key=key,
        phone=data.get("phone") or "",
        email=data.get("email") or "",
    )


def receive(*, partner: Partner, signals: list[dict | Exception]) -> list[Outcome]:
    """Take a batch of signals of one partner; answer per signal.

    `signals` holds each signal's validated data (the serializer's, in model names), or the
    validation error (Django's or DRF's) its validation raised (answered as it is, in its
    place). A replay of a `partner_signal_id` answers the original; a repeat
    (identity.is_repeat) is stored closed as "herhaalde melding". Two requests racing with
    the same id: the loser retries and finds the winner's signal as a replay.
    """
    if not may_send(partner):
        raise PermissionDenied(_("This partner may not send signals."))
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _receive(partner, signals)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _receive(partner: Partner, signals: list[dict | Exception]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    valid: list[tuple[Outcome, dict]] = []
    for index, data in enumerate(signals):
        if isinstance(data, Exception):  # Django's or DRF's validation error
            outcomes.append(Outcome(index, getattr(data, "partner_signal_id", ""), error=data))
            continue
        outcome = Outcome(index, data["partner_signal_id"])
        outcome.error = _rule_error(partner, data)
        outcomes.append(outcome)
        if outcome.error is None:
            valid.append((outcome, data))
    if not valid:
        return outcomes

    ids = {data["partner_signal_id"] for _o, data in valid}
    known = {
        s.partner_signal_id: s
        for s in EarlySignal.objects.filter(partner=partner, partner_signal_id__in=ids)
    }
    fresh = [(o, d, _person_key(d)) for o, d in valid if d["partner_signal_id"] not in known]
    window = settings.MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS
    earlier: dict[str, list[tuple[date, int, int]]] = {}
    if fresh and window:
        start = identity.months_before(min(d["signal_date"] for _o, d, _k in fresh), window)
        rows = (
            EarlySignal.objects.filter(
                partner=partner,
                person_key__in={k for _o, _d, k in fresh},
                signal_date__gte=start,
            )
            .exclude(status=Status.NEW)
            .values_list("person_key", "signal_date", "amount", "pk")
        )
        for key, day, amount, pk in rows:
            earlier.setdefault(key, []).append((day, int(amount), pk))

    now = timezone.now()
    areas = _areas(partner.organisation_id) if fresh else []
    new: dict[str, EarlySignal] = {}
    for outcome, data, key in fresh:
        sid = data["partner_signal_id"]
        if sid in new:  # the same id twice in one batch: the second is a replay
            outcome.signal = new[sid]
            continue
        signal = _new_signal(partner, data, key)
        signal.team_id = team_for_postcode(signal.postcode, areas)  # the same day: on arrival
        history = earlier.get(key, [])
        if identity.is_repeat(
            amount=int(data["amount"]),
            signal_date=data["signal_date"],
            earlier=[(day, amount) for day, amount, _pk in history],
            window_months=window,
        ):
            latest = max(
                (h for h in history if h[0] <= data["signal_date"]), key=lambda h: (h[0], h[1])
            )
            signal.status, signal.repeat_of_id, signal.handled_at = Status.REPEATED, latest[2], now
        new[sid] = signal
        outcome.signal, outcome.created = signal, True
    for outcome, data in valid:
        if outcome.signal is None:
            outcome.signal = known[data["partner_signal_id"]]

    if new:
        EarlySignal.objects.bulk_create(new.values())
        audit.record(
            actor=None,
            action=audit.Action.CREATE,
            object_type="partners.earlysignal",
            reason="early signals received from a partner",
            organisation_id=partner.organisation_id,
            changes={
                "partner": partner.pk,
                "signals": [str(s.public_id) for s in new.values()],
                "repeated": sum(s.status == Status.REPEATED for s in new.values()),
            },
        )
    return outcomes


# --- results -----------------------------------------------------------------------------------

HANDLED = frozenset(Status.values) - {Status.NEW}


@transaction.atomic
def set_status(*, actor: User, signal: EarlySignal, status: str) -> EarlySignal:
    """Record what became of a signal (picked up, or why not). The triage queue (issue 15,
    item 4) will call this with its contact attempts and DDAS end result; today only a case
    role of the municipality the partner reports to may."""
    signal = EarlySignal.objects.select_for_update().select_related("partner").get(pk=signal.pk)
    if not Membership.objects.filter(
        user=actor, organisation_id=signal.partner.organisation_id, role__in=CASE_ROLES
    ).exists():
        raise PermissionDenied(_("Only the municipality's case workers handle early signals."))
    if status not in HANDLED:
        raise PartnerError(_("Choose what became of the signal."), code="invalid_status")
    old = signal.status
    signal.status, signal.handled_at = status, timezone.now()
    signal.save(update_fields=["status", "handled_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=signal,
        changes={"status": {"old": old, "new": status}},
    )
    return signal


# --- triage (issue 15, item 4) -----------------------------------------------------------------

# What each DDAS end result means for the signal's status (and so for the partner's feedback):
# the five "not picked up" results keep their own status, every other result was picked up.
STATUS_OF_RESULT = {
    EndResult.REPEATED: Status.REPEATED,
    EndResult.UNJUSTIFIED: Status.UNJUSTIFIED,
    EndResult.DECEASED: Status.DECEASED,
    EndResult.NOT_RESIDENT: Status.NOT_RESIDENT,
    EndResult.OTHER_REASON: Status.OTHER_REASON,
}


def status_of_result(result: str) -> str:
    return STATUS_OF_RESULT.get(EndResult(result), Status.PICKED_UP)


def _locked_for_triage(actor: User, signal: EarlySignal) -> EarlySignal:
    locked = (
        selectors.triage_signals(actor)
        .select_for_update(of=("self",))  # the signal only, not its partner's row
        .filter(pk=signal.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This signal is not in your triage queue."))
    return locked


@transaction.atomic
def record_contact_attempt(
    *, actor: User, signal: EarlySignal, kind: str, reached: bool, date: date, part_of_day: str
) -> ContactAttempt:
    signal = _locked_for_triage(actor, signal)
    attempt = ContactAttempt(
        signal=signal,
        kind=kind,
        reached=bool(reached),
        date=date,
        part_of_day=part_of_day,
        recorded_by=actor,
    )
    attempt.full_clean()
    if date > timezone.localdate():
        raise ValidationError({"date": _("A contact attempt cannot lie in the future.")})
    if date < timezone.localdate(signal.received_at):
        raise ValidationError({"date": _("A contact attempt cannot precede the signal.")})
    attempt.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=attempt,
        changes={"signal": str(signal.public_id), "kind": kind, "reached": bool(reached)},
    )
    return attempt


@transaction.atomic
def record_result(*, actor: User, signal: EarlySignal, result: str) -> EarlySignal:
    """The DDAS end result. An open signal gets its status from it; a signal already picked
    up (a case opened or linked) takes only a picked-up result."""
    signal = _locked_for_triage(actor, signal)
    if result not in EndResult.values:
        raise ValidationError({"result": _("Choose the end result.")})
    if signal.end_result:
        raise PartnerError(_("This signal already has its end result."), code="already_handled")
    status = status_of_result(result)
    if signal.status != Status.NEW and not (
        signal.status == Status.PICKED_UP and status == Status.PICKED_UP
    ):
        raise PartnerError(
            _("This signal was picked up: choose what the help led to."), code="picked_up"
        )
    old = signal.status
    signal.end_result, signal.status = result, status
    signal.handled_at = signal.handled_at or timezone.now()
    signal.save(update_fields=["end_result", "status", "handled_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=signal,
        # The result, not its reasons: "andere reden" carries none here.
        changes={"status": {"old": old, "new": status}, "end_result": result},
    )
    return signal


def _pick_up(actor: User, signal: EarlySignal, case) -> EarlySignal:
    old = signal.status
    signal.case, signal.status, signal.handled_at = case, Status.PICKED_UP, timezone.now()
    signal.team_id = signal.team_id or case.team_id
    signal.save(update_fields=["case", "status", "handled_at", "team"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=signal,
        changes={"status": {"old": old, "new": Status.PICKED_UP}, "case": case.pk},
    )
    return signal


def _open_for_pick_up(actor: User, signal: EarlySignal) -> EarlySignal:
    signal = _locked_for_triage(actor, signal)
    if signal.status != Status.NEW:
        raise PartnerError(_("This signal was already handled."), code="already_handled")
    return signal


@transaction.atomic
def link_case(*, actor: User, signal: EarlySignal, case) -> EarlySignal:
    """Link the signal to an open case of the same team (the household's existing case)."""
    signal = _open_for_pick_up(actor, signal)
    if case.status != Case.Status.OPEN or not case_selectors.may_write(actor, case):
        raise PermissionDenied(_("Choose an open case of your own team."))
    if signal.team_id is not None and case.team_id != signal.team_id:
        raise PartnerError(_("Choose a case of the signal's team."), code="other_team")
    return _pick_up(actor, signal, case)


@transaction.atomic
def open_case(
    *, actor: User, signal: EarlySignal, team, first_name: str, last_name: str, title: str
):
    """A new household and case from the signal (through cases.services: its rules, its
    audit); the signal's date of birth and BSN go with the resident."""
    signal = _open_for_pick_up(actor, signal)
    if signal.team_id is not None and team.pk != signal.team_id:
        raise PartnerError(_("Open the case in the signal's team."), code="other_team")
    resident = {
        "first_name": first_name,
        "last_name": last_name,
        "birth_date": signal.birth_date,
        "is_contact": True,
        "bsn": bsn_lib.decrypt(signal.bsn_encrypted) if signal.bsn_encrypted else "",
    }
    case = case_services.create_household_with_case(
        actor=actor, team=team, residents=[resident], title=title, life_domains=["debts"]
    )
    _pick_up(actor, signal, case)
    return case


# --- warm handover from a department (issue 15, item 4) ----------------------------------------


def department(*, organisation, name: str) -> Partner:
    """The municipality's own department by name (made on first use): a source of warm
    handovers, not a DDAS signal partner, with no API client."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"department": _("Name the department.")})
    found = Partner.objects.filter(organisation=organisation, name=name).first()
    if found is not None:
        if found.source != Source.DEPARTMENT:
            raise ValidationError(
                {"department": _("This is the name of a partner, not of a department.")}
            )
        return found
    return Partner.objects.create(
        organisation=organisation,
        name=name,
        type=PartnerType.OTHER,  # not exported: a department is no DDAS signal partner
        enabled=True,
        source=Source.DEPARTMENT,
    )


@transaction.atomic
def record_handover(
    *,
    actor: User,
    team,
    department_name: str,
    bsn: str = "",
    postcode: str = "",
    house_number: int | None = None,
    house_number_addition: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
    crisis: bool = False,
) -> EarlySignal:
    """A warm handover from a department of the municipality (e.g. Werk en Inkomen: "uitkering
    beëindigd"), entered by a worker or team lead: into the triage queue of the team whose
    postcode area holds the address, else of the worker's own team. Audited without the
    person's data."""
    if team.pk not in selectors.handover_team_ids(actor):
        raise PermissionDenied(_("Only a worker or team lead of the team records a handover."))
    source = department(organisation=team.organisation, name=department_name)
    number = bsn_lib.validate(bsn) if bsn else ""
    postcode = identity.normalise_postcode(postcode or "")
    if not number and not (postcode and house_number and birth_date):
        raise ValidationError(
            _("Name the person by BSN, or by postcode, house number and date of birth.")
        )
    if postcode and not identity.is_valid_postcode(postcode):
        raise ValidationError({"postcode": _("This is not a Dutch postcode (1234 AB).")})
    data = {
        "partner_signal_id": f"afdeling-{uuid.uuid4()}",
        "kind": SignalKind.EARLY,
        "crisis": crisis,
        "warm_handover": True,
        "amount": 0,
        "signal_date": timezone.localdate(),
        "bsn": number,
        "postcode": postcode,
        "house_number": house_number,
        "house_number_addition": identity.normalise_addition(house_number_addition),
        "birth_date": birth_date,
        "phone": phone,
        "email": email,
    }
    signal = _new_signal(source, data, _person_key(data))
    signal.team_id = team_for_postcode(postcode, _areas(team.organisation_id)) or team.pk
    signal.full_clean(exclude=["partner", "person_key", "team"])
    signal.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=signal,
        reason="warm handover from a department",
        changes={"department": source.name, "team": signal.team_id},
    )
    return signal


# --- destruction (issue 15, item 7) ------------------------------------------------------------

SIGNAL_DESTRUCTION = destruction.Policy(
    object_type="partners.earlysignal",
    reason="person data of early signals not picked up, past the retention period",
    blank={
        "bsn_encrypted": "",
        "person_key": "",
        "postcode": "",
        "house_number": None,
        "house_number_addition": "",
        "birth_date": None,
        "phone": "",
        "email": "",
    },
    organisation="partner__organisation_id",
)


def expired_signals(now):
    """Signals never picked up (no case, not picked up) that arrived before the retention
    period (MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS) ended."""
    cutoff = destruction.months_before(now, settings.MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS)
    return EarlySignal.objects.filter(received_at__lt=cutoff, case__isnull=True).exclude(
        status=Status.PICKED_UP
    )


def destroy_expired_signals(*, now, dry_run: bool = False) -> dict[int | None, int]:
    """Destroy the person data of expired signals (core.destruction): per organisation, the
    number destroyed (or, with `dry_run`, that would be)."""
    if dry_run:
        return destruction.counts(expired_signals(now), SIGNAL_DESTRUCTION)

    def record(organisation_id, count):
        audit.record(
            actor=None,
            action=audit.Action.DELETE,
            object_type=SIGNAL_DESTRUCTION.object_type,
            reason=SIGNAL_DESTRUCTION.reason,
            organisation_id=organisation_id,
            changes={"destroyed": count, "fields": sorted(SIGNAL_DESTRUCTION.blank)},
        )

    return destruction.destroy(expired_signals(now), SIGNAL_DESTRUCTION, now=now, record=record)
