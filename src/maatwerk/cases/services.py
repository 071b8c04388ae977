"""Writes to cases: new household with case, notes, obstacles, assigning workers, editing,
closing and reopening a case.

Only workers and team leads of the case's team write. Every write runs in one transaction with
its audit event; bad input raises ValidationError and leaves nothing behind.
"""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team, User
from maatwerk.audit import services as audit
from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain
from maatwerk.core.errors import ServiceError

from . import bsn as bsn_lib
from . import grouping, selectors
from .events import case_reopened
from .models import (
    Case,
    CaseLifeDomain,
    CaseNote,
    CaseOrganisation,
    Household,
    Obstacle,
    OrganisationType,
    Resident,
)


class CaseError(ServiceError):
    """A case rule refused the action; codes `cases.<reason>`."""

    app = "cases"


RESIDENT_FIELDS = ("first_name", "last_name", "birth_date", "is_contact")
# The new-case form offers 10 rows; the API and every other caller get the same limit.
MAX_RESIDENTS = 10
MAX_ORGANISATIONS = len(OrganisationType.choices)


def _check_text_lengths(obj, *fields: str) -> None:
    """Django does not enforce max_length on TextFields; we do, with a per-field message."""
    errors = {}
    for name in fields:
        limit = obj._meta.get_field(name).max_length
        value = getattr(obj, name) or ""
        if limit and len(value) > limit:
            errors[name] = _("At most %(limit)d characters (now %(count)d).") % {
                "limit": limit,
                "count": len(value),
            }
    if errors:
        raise ValidationError(errors)


def _require_write(actor, team_id: int) -> None:
    if team_id not in selectors.writable_team_ids(actor):
        raise PermissionDenied(_("Only workers and team leads of this team may do this."))


def new_reference() -> str:
    """A non-personal household handle, e.g. HH-7K3Q9P2M (no names, no dates)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        ref = "HH-" + "".join(secrets.choice(alphabet) for _ in range(8))
        if not Household.objects.filter(reference=ref).exists():
            return ref


def _check_life_domains(life_domains: Iterable[str]) -> list[str]:
    domains = list(dict.fromkeys(life_domains))
    valid = {d.value for d in LifeDomain}
    if any(d not in valid for d in domains):
        raise ValidationError({"life_domains": _("Choose life domains from the list.")})
    return domains


def _check_organisations(organisations: Iterable[Mapping | str]) -> list[CaseOrganisation]:
    organisations = list(organisations)
    if len(organisations) > MAX_ORGANISATIONS:
        raise ValidationError(
            {
                "organisations": _("Choose at most {max_length} organisations.").format(
                    max_length=MAX_ORGANISATIONS
                )
            }
        )
    rows = []
    for org in organisations:
        if isinstance(org, str):
            org = {"organisation_type": org}
        row = CaseOrganisation(
            organisation_type=org.get("organisation_type", ""),
            contact_note=org.get("contact_note", "") or "",
        )
        try:
            row.full_clean(exclude=["case"])
        except ValidationError as error:
            raise ValidationError({"organisations": error.messages}) from None
        rows.append(row)
    return rows


def create_household_with_case(*, actor: User, team: Team, residents: Iterable[Mapping], **kw):
    """A household, its residents (at least one) and its case. `residents` are dicts with
    first_name, last_name, birth_date, is_contact and an optional plain `bsn`.

    A BSN the system knows links the case to that household (see `find_known_household`).
    The lookup is audited in its own transaction, so the trail stays when the case is refused.
    """
    _require_write(actor, team.pk)
    residents = list(residents)
    if not residents:
        raise ValidationError({"residents": _("Add at least one resident.")})
    if len(residents) > MAX_RESIDENTS:
        message = _("At most {max_length} residents per household.")
        raise ValidationError({"residents": message.format(max_length=MAX_RESIDENTS)})
    known = find_known_household(actor=actor, numbers=[r.get("bsn") or "" for r in residents])
    return _create_household_with_case(
        actor=actor, team=team, residents=residents, known=known, **kw
    )


@transaction.atomic
def _create_household_with_case(
    *,
    actor: User,
    team: Team,
    residents: list[Mapping],
    known: "KnownHousehold | None",
    neighbourhood_code: str = "",
    title: str,
    goal: str = "",
    first_step: str = "",
    life_domains: Iterable[str] = (),
    organisations: Iterable[Mapping | str] = (),
    reference: str = "",
    opened_on: date | None = None,
) -> Case:
    if known is not None and not known.own_team:
        raise KnownElsewhere(known)
    if known is not None and known.open_case_id is not None:
        raise OpenCaseExists(known)
    if known is not None:
        # A household the team knew before (its cases are closed): the new case joins it, so
        # one household keeps one history instead of a silent second household.
        household = Household.objects.get(pk=known.household_id)
        team = household.team
        existing = list(household.residents.all())
    else:
        household = Household(
            team=team,
            reference=reference or new_reference(),
            neighbourhood_code=neighbourhood_code or "",
        )
        household.full_clean()
        household.save()
        existing = []
    resident_rows = []
    for index, data in enumerate(residents):
        resident = Resident(household=household, **{k: data.get(k) for k in RESIDENT_FIELDS})
        resident.is_contact = bool(resident.is_contact) or (index == 0 and len(residents) == 1)
        try:
            resident.set_bsn(data.get("bsn") or "")
            resident.full_clean()
        except ValidationError as error:
            raise ValidationError({f"residents-{index}": error.messages}) from None
        if not any(_same_person(resident, other) for other in existing):
            resident_rows.append(resident)
    Resident.objects.bulk_create(resident_rows)
    case = Case(
        household=household,
        team=team,
        title=title,
        goal=goal or "",
        first_step=first_step or "",
        opened_on=opened_on or timezone.localdate(),
    )
    case.full_clean()
    _check_text_lengths(case, "goal")
    domains = _check_life_domains(life_domains)
    org_rows = _check_organisations(organisations)
    case.save()
    CaseLifeDomain.objects.bulk_create(CaseLifeDomain(case=case, domain=d) for d in domains)
    for row in org_rows:
        row.case = case
    CaseOrganisation.objects.bulk_create(org_rows)
    # The person who makes a case works on it, until a team lead assigns someone else.
    case.assigned_workers.add(actor)
    case.joined_existing_household = known is not None
    if known is None:
        audit.record(actor=actor, action=audit.Action.CREATE, obj=household)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=case,
        changes={
            "title": {"old": None, "new": audit.MASKED},
            "life_domains": {"old": None, "new": domains},
            "organisations": {"old": None, "new": [o.organisation_type for o in org_rows]},
            "residents": {"old": None, "new": len(resident_rows)},
            # Never the number itself, only whether one was given.
            "bsn": {"old": None, "new": "***" if any(r.has_bsn for r in resident_rows) else ""},
            "household": {"old": None, "new": household.pk},
            "assigned_workers": {"old": None, "new": [actor.pk]},
        },
    )
    return case


def _same_person(new: Resident, old: Resident) -> bool:
    if new.bsn_hash or old.bsn_hash:
        return new.bsn_hash == old.bsn_hash
    return (
        new.first_name.strip().lower() == old.first_name.strip().lower()
        and new.last_name.strip().lower() == old.last_name.strip().lower()
        and new.birth_date == old.birth_date
    )


@dataclass(frozen=True)
class KnownHousehold:
    """A household that a BSN already belongs to. For another team only where to ask:
    the team's and organisation's names, never the household's reference, names or cases."""

    household_id: int
    own_team: bool
    team_name: str
    organisation_name: str
    open_case_id: int | None = None


class KnownElsewhere(CaseError):
    """The BSN belongs to a household of another team: contact that team, make no case."""

    default_code = "known_elsewhere"

    def __init__(self, known: KnownHousehold):
        self.known = known
        super().__init__(
            {
                "residents": _(
                    "This household is already known to %(team)s (%(organisation)s). "
                    "Contact that team; no new case has been made."
                )
                % {"team": known.team_name, "organisation": known.organisation_name}
            }
        )


class OpenCaseExists(CaseError):
    """The BSN belongs to a household of the worker's own team that has an open case."""

    default_code = "open_case_exists"

    def __init__(self, known: KnownHousehold):
        self.known = known
        super().__init__({"residents": _("This household already has an open case in your team.")})


@transaction.atomic
def find_known_household(*, actor: User, numbers: Iterable[str]) -> KnownHousehold | None:
    """The household any of these BSNs belongs to, in any team: the own team's first.

    Looking beyond the worker's teams is what keeps one household from being registered
    twice; it tells only where the household is known, and every hit is audited.
    """
    hashes = {
        bsn_lib.lookup_hash(n) for n in numbers if n and bsn_lib.is_valid(bsn_lib.normalise(n))
    }
    if not hashes:
        return None
    own = selectors.writable_team_ids(actor)
    households = list(
        Household.objects.filter(residents__bsn_hash__in=hashes)
        .select_related("team__organisation")
        .distinct()
        .order_by("pk")
    )
    if not households:
        return None
    household = next((h for h in households if h.team_id in own), households[0])
    own_team = household.team_id in own
    open_case_id = None
    if own_team:
        open_case_id = (
            household.cases.filter(status=Case.Status.OPEN)
            .order_by("-opened_on", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
    audit.record(
        actor=actor,
        action=audit.Action.VIEW,
        obj=household,
        reason="BSN lookup for a new case",
        changes={"known_in": {"old": None, "new": "own team" if own_team else "other team"}},
    )
    return KnownHousehold(
        household_id=household.pk,
        own_team=own_team,
        team_name=household.team.name,
        organisation_name=household.team.organisation.name,
        open_case_id=open_case_id,
    )


@transaction.atomic
def add_note(
    *, actor: User, case: Case, text: str, kind: str = CaseNote.Kind.NOTE, happened_on=None
) -> CaseNote:
    _require_write(actor, case.team_id)
    note = CaseNote(
        case=case,
        author=actor,
        kind=kind,
        text=text,
        happened_on=happened_on or timezone.localdate(),
    )
    note.full_clean()
    _check_text_lengths(note, "text")
    dates.check({"happened_on": note.happened_on}, {"happened_on": dates.EVENT_DATE})
    note.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=note,
        changes={"case": {"old": None, "new": case.pk}, "kind": {"old": None, "new": kind}},
    )
    return note


@transaction.atomic
def add_obstacle(
    *,
    actor: User,
    case: Case,
    blocking_rule=None,
    description_new_rule: str = "",
    applied_by: str = "",
    effect: str,
) -> Obstacle:
    _require_write(actor, case.team_id)
    description_new_rule = (description_new_rule or "").strip()
    if blocking_rule is not None and description_new_rule:
        raise CaseError(
            _("Choose a blocking rule from the regelbank or describe a new one, not both."),
            code="rule_and_new_rule",
        )
    if blocking_rule is None and not description_new_rule:
        raise ValidationError(
            {
                "blocking_rule": _(
                    "Choose a blocking rule from the regelbank, or describe a new one."
                )
            }
        )
    # The catalogue's applier values are spelled like ours.
    if (
        not applied_by
        and blocking_rule is not None
        and blocking_rule.applied_by in OrganisationType.values
    ):
        applied_by = blocking_rule.applied_by
    obstacle = Obstacle(
        case=case,
        blocking_rule=blocking_rule,
        description_new_rule=description_new_rule,
        applied_by=applied_by,
        effect=effect,
        created_by=actor,
        **grouping.for_cases([case.pk])[case.pk],
    )
    obstacle.full_clean()
    _check_text_lengths(obstacle, "effect", "description_new_rule")
    obstacle.save()
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=obstacle,
        changes={
            "case": {"old": None, "new": case.pk},
            "blocking_rule": {"old": None, "new": getattr(blocking_rule, "pk", None)},
            "applied_by": {"old": None, "new": applied_by},
        },
    )
    return obstacle


@transaction.atomic
def assign_worker(*, actor: User, case: Case, worker: User) -> None:
    """Add `worker` (a worker or lead of the case's team) to the case's assigned workers."""
    _require_write(actor, case.team_id)
    if case.team_id not in selectors.writable_team_ids(worker):
        raise ValidationError({"worker": _("This person does not work in the case's team.")})
    before = sorted(case.assigned_workers.values_list("pk", flat=True))
    if worker.pk in before:
        return
    case.assigned_workers.add(worker)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=case,
        changes={"assigned_workers": {"old": before, "new": sorted([*before, worker.pk])}},
    )


@transaction.atomic
def assign_author_if_unassigned(*, actor: User, case: Case) -> bool:
    """The first plan's author takes on a case nobody works on yet (plans call this).

    Chosen over listing plans by author on the start page: any worker of the team may already
    write the case's plans (need-to-know is by team, not by assignment), so assigning the
    author gives no new access; it makes the case show who works on it, puts it on the
    author's start page and in "My cases", and a team lead can still reassign it. Audited like
    any assignment. Returns whether the author was assigned.
    """
    _require_write(actor, case.team_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.assigned_workers.exists():
        return False
    locked.assigned_workers.add(actor)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=locked,
        reason="first_plan",
        changes={"assigned_workers": {"old": [], "new": [actor.pk]}},
    )
    return True


def _require_lead(actor, case: Case) -> None:
    if not selectors.may_assign(actor, case):
        raise PermissionDenied(_("Only a team lead of this team may assign cases."))


@transaction.atomic
def set_workers(*, actor: User, case: Case, workers: Iterable[User]) -> None:
    """A team lead assigns or reassigns the case: `workers` replace the assigned workers."""
    _require_lead(actor, case)
    workers = list({w.pk: w for w in workers}.values())
    if not workers:
        raise ValidationError({"workers": _("Choose at least one worker.")})
    allowed = set(selectors.team_workers(case.team_id).values_list("pk", flat=True))
    if any(w.pk not in allowed for w in workers):
        raise ValidationError({"workers": _("This person does not work in the case's team.")})
    before = sorted(case.assigned_workers.values_list("pk", flat=True))
    after = sorted(w.pk for w in workers)
    if before == after:
        return
    case.assigned_workers.set(workers)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=case,
        reason="assigned" if not before else "reassigned",
        changes={"assigned_workers": {"old": before, "new": after}},
    )


@transaction.atomic
def update_case(
    *,
    actor: User,
    case: Case,
    title: str,
    goal: str = "",
    first_step: str = "",
    life_domains: Iterable[str] = (),
) -> Case:
    """A worker edits what the case is about: title, goal, first step, life domains."""
    _require_write(actor, case.team_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    changes = audit.diff(
        case,
        {"title": title, "goal": goal or "", "first_step": first_step or ""},
        masked=("title", "goal", "first_step"),
    )
    case.title, case.goal, case.first_step = title, goal or "", first_step or ""
    case.full_clean()
    _check_text_lengths(case, "goal")
    domains = _check_life_domains(life_domains)
    before = sorted(case.life_domains.values_list("domain", flat=True))
    if sorted(domains) != before:
        case.life_domains.exclude(domain__in=domains).delete()
        CaseLifeDomain.objects.bulk_create(
            CaseLifeDomain(case=case, domain=d) for d in domains if d not in before
        )
        changes["life_domains"] = {"old": before, "new": sorted(domains)}
    if not changes:
        return case
    case.save()
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=case, changes=changes)
    return case


@transaction.atomic
def close_case(*, actor: User, case: Case, reason: str, explanation: str = "") -> Case:
    """A worker closes the case with a reason; the explanation goes on the timeline."""
    _require_write(actor, case.team_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise CaseError(_("This case is already closed."), code="already_closed")
    if reason not in Case.CloseReason.values:
        raise ValidationError({"reason": _("Choose a reason for closing from the list.")})
    explanation = (explanation or "").strip()
    if reason == Case.CloseReason.OTHER and not explanation:
        raise ValidationError({"explanation": _("Explain the other reason.")})
    if len(explanation) > 2000:
        raise ValidationError({"explanation": _("At most 2000 characters.")})
    case.status = Case.Status.CLOSED
    case.closed_on = timezone.localdate()
    case.close_reason = reason
    case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    text = _("Case closed: %(reason)s.") % {"reason": case.get_close_reason_display()}
    CaseNote.objects.create(
        case=case,
        author=actor,
        kind=CaseNote.Kind.EVENT,
        text=f"{text}\n{explanation}" if explanation else text,
        happened_on=case.closed_on,
    )
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=case,
        reason="closed",
        changes={
            "status": {"old": Case.Status.OPEN, "new": Case.Status.CLOSED},
            "close_reason": {"old": "", "new": reason},
        },
    )
    return case


@transaction.atomic
def reopen_case(*, actor: User, case: Case) -> Case:
    """A closed case is opened again (the household is back); its history stays."""
    _require_write(actor, case.team_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.CLOSED:
        raise CaseError(_("Only a closed case can be reopened."), code="not_closed")
    if Case.objects.filter(household_id=case.household_id, status=Case.Status.OPEN).exists():
        raise CaseError(_("This household already has an open case."), code="open_case_exists")
    old_reason = case.close_reason
    case.status = Case.Status.OPEN
    case.closed_on = None
    case.close_reason = ""
    case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    CaseNote.objects.create(
        case=case,
        author=actor,
        kind=CaseNote.Kind.EVENT,
        text=_("Case reopened."),
        happened_on=timezone.localdate(),
    )
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=case,
        reason="reopened",
        changes={
            "status": {"old": Case.Status.CLOSED, "new": Case.Status.OPEN},
            "close_reason": {"old": old_reason, "new": ""},
        },
    )
    # The apps above react (followup stops the waakvlam); what they say goes to the user.
    answers = case_reopened.send(sender=Case, case=case, actor=actor)
    case.reopen_notes = [str(said) for _receiver, said in answers if said]
    return case


# --- Reads of personal data ------------------------------------------------------------------

BSN_READ_REASONS = {
    "page": "BSN shown in full on the case page",
    "api": "BSN returned in full (api)",
}


@transaction.atomic
def record_case_read(
    *, actor: User, case: Case, residents: Iterable[Resident], reason: str = "", via: str = "page"
) -> bool:
    """Audit that `actor` opens `case` (the case page, or the case in the API) and say whether
    they see the residents' BSNs in full.

    The one place that couples showing a BSN in full to its audit: the case is one read event;
    when the actor may see BSNs in full (`selectors.sees_full_bsn`), each resident with a BSN
    is one more, in the same transaction. `via` is `page` or `api`.
    """
    full_bsn = selectors.sees_full_bsn(actor, case)
    audit.record(actor=actor, action=audit.Action.VIEW, obj=case, reason=reason)
    shown = [r for r in residents if r.has_bsn]
    if full_bsn and shown:
        audit.record_views(actor=actor, objects=shown, reason=BSN_READ_REASONS[via])
    return full_bsn
