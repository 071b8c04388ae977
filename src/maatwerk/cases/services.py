"""Writes to cases: new household with case, notes, obstacles, assigning workers.

Only workers and team leads of the case's team write. Every write runs in one transaction with
its audit event; bad input raises ValidationError and leaves nothing behind.
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team, User
from maatwerk.audit import services as audit
from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain

from . import selectors
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


@transaction.atomic
def create_household_with_case(
    *,
    actor: User,
    team: Team,
    neighbourhood_code: str = "",
    residents: Iterable[Mapping],
    title: str,
    goal: str = "",
    first_step: str = "",
    life_domains: Iterable[str] = (),
    organisations: Iterable[Mapping | str] = (),
    reference: str = "",
    opened_on: date | None = None,
) -> Case:
    """A household, its residents (at least one) and its case. `residents` are dicts with
    first_name, last_name, birth_date, is_contact and an optional plain `bsn`."""
    _require_write(actor, team.pk)
    residents = list(residents)
    if not residents:
        raise ValidationError({"residents": _("Add at least one resident.")})
    if len(residents) > MAX_RESIDENTS:
        message = _("At most {max_length} residents per household.")
        raise ValidationError({"residents": message.format(max_length=MAX_RESIDENTS)})
    household = Household(
        team=team,
        reference=reference or new_reference(),
        neighbourhood_code=neighbourhood_code or "",
    )
    household.full_clean()
    household.save()
    resident_rows = []
    for index, data in enumerate(residents):
        resident = Resident(household=household, **{k: data.get(k) for k in RESIDENT_FIELDS})
        resident.is_contact = bool(resident.is_contact) or (index == 0 and len(residents) == 1)
        try:
            resident.set_bsn(data.get("bsn") or "")
            resident.full_clean()
        except ValidationError as error:
            raise ValidationError({f"residents-{index}": error.messages}) from None
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
        },
    )
    return case


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
        raise ValidationError(
            _("Choose a blocking rule from the regelbank or describe a new one, not both.")
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
def promote_new_rule(
    *, actor: User, obstacle: Obstacle, code: str, name_nl: str, applied_by: str
) -> Obstacle:
    """An administrator turns an obstacle's newly described rule into a catalogue rule.

    The rule enters the regelbank (versioned and audited there) with the worker's description,
    and the obstacle then points at it, so later cases can choose it and signals count it.
    """
    from maatwerk.legal import services as legal_services

    obstacle = (
        selectors.new_rule_obstacles(actor).select_for_update(of=("self",)).get(pk=obstacle.pk)
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
