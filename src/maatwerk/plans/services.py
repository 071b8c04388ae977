"""Writes to plans. Only case-role members of the case's team write; a submitted plan is frozen.

Every write runs in one transaction with its audit event, so a refused change leaves nothing.
"""

import dataclasses
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.audit import services as audit
from maatwerk.cases import services as cases_services
from maatwerk.cases.models import Case, Obstacle
from maatwerk.cases.selectors import may_write
from maatwerk.core import dates
from maatwerk.core.errors import ServiceError
from maatwerk.costs import calculations, engine
from maatwerk.costs import selectors as cost_selectors
from maatwerk.legal.models import Provision

from . import events, lifecycle, messages, selectors
from .models import CalculationSnapshot, Plan, PlanProvision, Scenario, ScenarioLine


class PlanError(ServiceError):
    """A plan rule refused the action; codes `plans.<reason>`."""

    app = "plans"


SOLUTION_FIELDS = (
    "solution", "solution_kind", "by_whom", "when", "amount_requested", "amount_reason", "form",
    "payee",
)  # fmt: skip
AGREEMENT_FIELDS = ("resident_words", "agreement", "agreement_date", "agreement_how")
TERMS_FIELDS = ("horizon_months", "discount_rate", "price_year")
LINE_FIELDS = (
    "cost_item_id", "kind", "label", "amount", "unit", "bearer", "cost_type", "quantity",
    "start_month", "duration_months", "probability",
)  # fmt: skip
# One plan solves a few obstacles of one case; the bound keeps a request from naming thousands.
MAX_OBSTACLES = 50
MAX_PROVISIONS = 30
# Written in the worker's or resident's words: they may describe the household, so the audit
# log records that they changed, not what they say.
FREE_TEXT_FIELDS = ("solution", "by_whom", "payee", "resident_words", "amount_reason")


@functools.cache
def engine_version() -> str:
    """The engine has no version number of its own: name it by a digest of its source, so a
    snapshot tells which arithmetic produced it."""
    source = Path(engine.__file__).read_bytes()
    return f"engine-{hashlib.sha256(source).hexdigest()[:12]}"


def when_in_past(value, stored=None) -> bool:
    """Whether `value`, the date of the planned action, lies before today. A date a draft
    already holds is left alone (a draft saved earlier still opens and saves); only a new or
    changed date must be today or later."""
    return value is not None and value != stored and value < timezone.localdate()


def past_when_message() -> str:
    return _("The planned date lies in the past: choose today or a later day.")


def validate_solution(values: dict, *, stored_when=None) -> None:
    """Rules a form or serializer also checks, enforced here for every caller; `stored_when`
    is the date the plan holds now (see `when_in_past`)."""
    errors: dict[str, list[str]] = {}
    amount = values.get("amount_requested")
    if amount is not None and Decimal(amount) < 0:
        errors["amount_requested"] = [_("The amount cannot be negative.")]
    try:
        dates.check(values, {"when": dates.PLANNED_DATE})
    except ValidationError as error:
        errors.update(error.message_dict)
    if "when" not in errors and when_in_past(values.get("when"), stored_when):
        errors["when"] = [past_when_message()]
    if "solution" in values and not (values["solution"] or "").strip():
        errors["solution"] = [_("Describe the solution.")]
    if errors:
        raise ValidationError(errors)


def validate_agreement(values: dict) -> None:
    dates.check(values, {"agreement_date": dates.EVENT_DATE})


def _require_writer(actor, case: Case) -> None:
    if not may_write(actor, case):
        raise PermissionDenied(_("Only workers of the case's team may write its plans."))


def _require_draft(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("A submitted plan can no longer be changed."), code="not_editable")


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def create_plan(
    actor, case: Case, obstacles: Iterable[Obstacle], *, solution: str, **fields
) -> Plan:
    """A draft plan for one or more obstacles of `case`."""
    _require_writer(actor, case)
    obstacles = list(obstacles)
    if not obstacles:
        raise ValidationError({"obstacles": [_("Choose at least one obstacle.")]})
    if len(obstacles) > MAX_OBSTACLES:
        raise ValidationError(
            {
                "obstacles": _("Choose at most {max_length} obstacles.").format(
                    max_length=MAX_OBSTACLES
                )
            }
        )
    if any(o.case_id != case.pk for o in obstacles):
        raise ValidationError({"obstacles": [_("Choose obstacles of this case only.")]})
    unknown = set(fields) - set(SOLUTION_FIELDS)
    if unknown:
        raise ValueError(f"not settable here: {sorted(unknown)}")
    validate_solution({"solution": solution, **fields})
    plan = Plan(case=case, author=actor, solution=solution, **fields)
    plan.full_clean(exclude=["obstacles"])
    plan.save()
    plan.obstacles.set(obstacles)
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=plan,
        changes={"case": case.pk, "obstacles": sorted(o.pk for o in obstacles)},
    )
    # The first plan on a case nobody works on yet makes its author the worker on the case
    # (see cases.services.assign_author_if_unassigned for why, rather than a start-page list).
    cases_services.assign_author_if_unassigned(actor=actor, case=case)
    return plan


def _update(actor, plan: Plan, allowed: Sequence[str], values: dict, reason: str) -> Plan:
    _require_writer(actor, plan.case)
    plan = _locked(plan)
    _require_draft(plan)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not settable here: {sorted(unknown)}")
    changes = audit.diff(plan, values, masked=FREE_TEXT_FIELDS)
    for field, value in values.items():
        setattr(plan, field, value)
    plan.full_clean(exclude=["obstacles"])
    if changes:
        plan.save()
        audit.record(
            actor=actor, action=audit.Action.UPDATE, obj=plan, reason=reason, changes=changes
        )
    return plan


@transaction.atomic
def update_solution(actor, plan: Plan, **values) -> Plan:
    validate_solution(values, stored_when=Plan.objects.get(pk=plan.pk).when)
    return _update(actor, plan, SOLUTION_FIELDS, values, "solution")


@transaction.atomic
def record_agreement(actor, plan: Plan, **values) -> Plan:
    """The resident's own words and their agreement (yes/no/unknown, date, how)."""
    validate_agreement(values)
    return _update(actor, plan, AGREEMENT_FIELDS, values, "involvement")


@transaction.atomic
def set_provisions(actor, plan: Plan, chosen: Sequence[tuple[Provision, str]]) -> Plan:
    """Replace the plan's legal basis by `chosen` (provision, explanation) in that order."""
    _require_writer(actor, plan.case)
    plan = _locked(plan)
    _require_draft(plan)
    seen: set[int] = set()
    rows = []
    for position, (provision, explanation) in enumerate(chosen):
        if provision.pk in seen:
            raise ValidationError({"provisions": [_("Each provision can be chosen only once.")]})
        seen.add(provision.pk)
        rows.append(
            PlanProvision(
                plan=plan, provision=provision, explanation=explanation.strip(), position=position
            )
        )
    before = list(plan.plan_provisions.values_list("provision_id", "explanation"))
    plan.plan_provisions.all().delete()
    PlanProvision.objects.bulk_create(rows)
    after = [(r.provision_id, r.explanation) for r in rows]
    if before != after:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=plan,
            reason="legitimacy",
            changes={"provisions": {"old": [p for p, _e in before], "new": list(seen)}},
        )
        plan.save(update_fields=["updated_at"])
    return plan


def _line(plan: Plan, scenario: str, position: int, values: dict) -> ScenarioLine:
    unknown = set(values) - set(LINE_FIELDS)
    if unknown:
        raise ValueError(f"not settable on a line: {sorted(unknown)}")
    line = ScenarioLine(plan=plan, scenario=scenario, position=position, **values)
    try:
        line.full_clean(exclude=["plan", "cost_item", "version"])
    except ValidationError as e:
        raise ValidationError({f"{scenario}.{position}": e.messages}) from e
    return line


@transaction.atomic
def set_scenarios(
    actor,
    plan: Plan,
    *,
    standard: Sequence[dict],
    tailored: Sequence[dict],
    horizon_months: int | None = None,
    discount_rate: Decimal | None = None,
    price_year: int | None = None,
) -> Plan:
    """Replace both scenarios' lines (dicts of LINE_FIELDS) and the terms of the comparison."""
    _require_writer(actor, plan.case)
    plan = _locked(plan)
    _require_draft(plan)
    lines = [_line(plan, Scenario.STANDARD, i, v) for i, v in enumerate(standard)]
    lines += [_line(plan, Scenario.TAILORED, i, v) for i, v in enumerate(tailored)]
    if len(standard) > calculations.MAX_LINES or len(tailored) > calculations.MAX_LINES:
        raise PlanError(
            _("At most %(n)s lines per scenario.") % {"n": calculations.MAX_LINES},
            code="too_many_lines",
        )
    terms = {
        k: v
        for k, v in (
            ("horizon_months", horizon_months),
            ("discount_rate", discount_rate),
            ("price_year", price_year),
        )
        if v is not None
    }
    changes = audit.diff(plan, terms)
    for field, value in terms.items():
        setattr(plan, field, value)
    plan.full_clean(exclude=["obstacles"])
    plan.save()
    plan.lines.all().delete()
    ScenarioLine.objects.bulk_create(lines)
    changes["lines"] = {"standard": len(standard), "tailored": len(tailored)}
    audit.record(
        actor=actor, action=audit.Action.UPDATE, obj=plan, reason="return", changes=changes
    )
    return plan


def _stored_lines(plan: Plan, scenario: str) -> list[dict]:
    """The plan's current lines of `scenario` as dicts of LINE_FIELDS."""
    return [{f: getattr(x, f) for f in LINE_FIELDS} for x in selectors.lines_of(plan, scenario)]


@transaction.atomic
def save_draft(
    actor,
    plan: Plan,
    *,
    solution: dict | None = None,
    agreement: dict | None = None,
    provisions: Sequence[tuple[Provision, str]] | None = None,
    standard: Sequence[dict] | None = None,
    tailored: Sequence[dict] | None = None,
    terms: dict | None = None,
) -> Plan:
    """Save what a page or API client sent of a draft plan, all or nothing.

    Each section left `None` (or empty) stays as it is; when only one route is sent, the other
    keeps its lines. Rules and audit events are those of the section services below, inside
    this one transaction: a refused section leaves the others unsaved too.
    """
    if solution:
        plan = update_solution(actor, plan, **solution)
    if agreement:
        plan = record_agreement(actor, plan, **agreement)
    if provisions is not None:
        plan = set_provisions(actor, plan, provisions)
    terms = {k: v for k, v in (terms or {}).items() if k in TERMS_FIELDS}
    if standard is not None or tailored is not None or terms:
        plan = set_scenarios(
            actor,
            plan,
            standard=standard if standard is not None else _stored_lines(plan, Scenario.STANDARD),
            tailored=tailored if tailored is not None else _stored_lines(plan, Scenario.TAILORED),
            **terms,
        )
    return plan


@transaction.atomic
def create_draft(
    actor, case: Case, obstacles: Iterable[Obstacle], *, solution: dict, **sections
) -> Plan:
    """A new draft plan with whatever sections come with it (API, calculator): `solution`
    holds SOLUTION_FIELDS (its text required), `sections` are those of `save_draft`."""
    fields = dict(solution)
    plan = create_plan(actor, case, obstacles, solution=fields.pop("solution", ""), **fields)
    return save_draft(actor, plan, **sections)


@dataclass(frozen=True)
class Structure:
    """A plan's structure to copy into a draft (from a good example: the apps above plans
    build it): provisions, and lines per route as dicts of LINE_FIELDS. `source` names where it
    came from in the audit event (``{"example": 12}``)."""

    source: dict
    provisions: Sequence[Provision] = ()
    standard: Sequence[dict] = ()
    tailored: Sequence[dict] = ()


@dataclass
class StructureAdded:
    """What `add_structure` did, so the page can say it: what was added, what the plan already
    had (not copied again) and lines whose catalogue item the worker's organisation lacks."""

    provisions: list[Provision] = dataclasses.field(default_factory=list)
    lines: int = 0
    # The lines added, as the page names them: (route, description or catalogue item's name).
    line_names: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    provisions_present: int = 0
    lines_present: int = 0
    lines_unavailable: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.provisions or self.lines)


def _line_key(values: dict) -> tuple:
    """When a line is "the same" line: the same catalogue item and kind, or for a free line the
    same kind and description. The amounts and months are the worker's to change."""
    if values.get("cost_item_id"):
        return (values["cost_item_id"], values.get("kind"))
    return (None, values.get("kind"), (values.get("label") or "").strip().casefold())


@transaction.atomic
def add_structure(actor, plan: Plan, structure: Structure, **sections) -> StructureAdded:
    """Save what the page sent of the draft (`sections`, as `save_draft` takes them) and add
    `structure` to it, in one transaction: the provisions the plan lacks (after its own, with no
    explanation yet: the worker writes why each gives room here) and the lines each route lacks
    (after its own). What the plan already has is not added twice; a line whose catalogue item
    the worker's organisation does not use is left out. One audit event names the source."""
    if sections:
        plan = save_draft(actor, plan, **sections)
    _require_writer(actor, plan.case)
    plan = _locked(plan)
    _require_draft(plan)
    done = StructureAdded()
    current = list(plan.plan_provisions.select_related("provision").order_by("position", "pk"))
    have = {pp.provision_id for pp in current}
    for provision in structure.provisions:
        if provision.pk in have:
            done.provisions_present += 1
        else:
            have.add(provision.pk)
            done.provisions.append(provision)
    if len(have) > MAX_PROVISIONS:
        raise PlanError(
            _("A plan has at most %(n)s provisions.") % {"n": MAX_PROVISIONS},
            code="too_many_provisions",
        )
    if done.provisions:
        set_provisions(
            actor,
            plan,
            [(pp.provision, pp.explanation) for pp in current] + [(p, "") for p in done.provisions],
        )
    wanted = {
        v["cost_item_id"]
        for v in (*structure.standard, *structure.tailored)
        if v.get("cost_item_id")
    }
    usable = dict(
        cost_selectors.items_for(actor).filter(pk__in=wanted).values_list("pk", "name_nl")
    )
    routes = {}
    given = {Scenario.STANDARD: structure.standard, Scenario.TAILORED: structure.tailored}
    for scenario, rows in given.items():
        existing = _stored_lines(plan, scenario)
        keys = {_line_key(v) for v in existing}
        for values in rows:
            if values.get("cost_item_id") and values["cost_item_id"] not in usable:
                done.lines_unavailable += 1
            elif _line_key(values) in keys:
                done.lines_present += 1
            else:
                keys.add(_line_key(values))
                existing.append({f: values.get(f) for f in LINE_FIELDS})
                done.lines += 1
                name = (values.get("label") or "").strip()
                done.line_names.append(
                    (scenario, name or usable.get(values.get("cost_item_id"), ""))
                )
        routes[scenario] = existing
    if done.lines:
        set_scenarios(
            actor, plan, standard=routes[Scenario.STANDARD], tailored=routes[Scenario.TAILORED]
        )
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=plan,
        reason="structure copied",
        changes={
            **structure.source,
            "provisions_added": [p.pk for p in done.provisions],
            "lines_added": done.lines,
            "already_present": done.provisions_present + done.lines_present,
        },
    )
    return done


@transaction.atomic
def submit(actor, plan: Plan) -> CalculationSnapshot:
    """Submit when all three corners are complete: freeze the catalogue versions and amounts
    the calculation used and store the result as a snapshot. Refuses with a ValidationError
    listing per corner what is missing."""
    _require_writer(actor, plan.case)
    _locked(plan)
    plan = selectors.plan_detail(actor, plan.pk)
    _require_draft(plan)
    tri, outcome, problems = selectors.assess(actor, plan)
    if not tri.complete:
        errors = messages.missing_by_corner(tri)
        if problems:
            errors.setdefault("return", []).extend(problems)
        raise PlanError(errors, code="incomplete")
    versions = []
    for line in plan.lines.all():
        if line.cost_item_id is not None:
            priced = outcome.items[line.cost_item_id]
            line.version = priced.version
            if line.amount is None:
                line.amount = priced.indexed_amount
            line.save(update_fields=["version", "amount"])
            versions.append(priced.version)
    snapshot = CalculationSnapshot.objects.create(
        plan=plan,
        result=calculations.result_as_dict(outcome),
        engine_version=engine_version(),
    )
    snapshot.versions.set(versions)
    lifecycle.check(plan.status, Plan.Status.SUBMITTED)
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.price_year = outcome.price_year
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "price_year", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=plan,
        reason="submitted",
        changes={
            "status": {"old": Plan.Status.DRAFT, "new": Plan.Status.SUBMITTED},
            "snapshot": snapshot.pk,
            "versions": sorted(v.pk for v in versions),
        },
    )
    return snapshot


# --- the lifecycle after submission --------------------------------------------------------


def change_status(actor, plan: Plan, new: str, *, reason: str) -> Plan:
    """Move a locked plan one step along its lifecycle, with its audit event.

    For the services of apps that know plans (decisions): they check who may do it and call
    this inside their own transaction, so the plan's status changes with the decision itself.
    Refuses a step the lifecycle does not allow (a ValidationError, code ``transition``).
    """
    old = plan.status
    try:
        lifecycle.check(old, new)
    except lifecycle.TransitionError as e:
        raise PlanError(
            _("A plan that is %(old)s cannot become %(new)s.")
            % {"old": Plan.Status(old).label, "new": Plan.Status(new).label},
            code="transition",
        ) from e
    plan.status = new
    plan.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=plan,
        reason=reason,
        changes={"status": {"old": old, "new": new}},
    )
    if new in (Plan.Status.CLOSED, Plan.Status.WITHDRAWN):
        events.plan_ended.send(sender=Plan, plan=plan, actor=actor, status=new)
    return plan


@transaction.atomic
def close(actor, plan: Plan, reason: str) -> Plan:
    """The worker closes a plan that is approved, paid, rejected or withdrawn, with a reason."""
    reason = (reason or "").strip()
    _require_writer(actor, plan.case)
    plan = _locked(plan)
    if plan.status not in lifecycle.CLOSABLE:
        raise PlanError(
            _("A plan that is %(status)s cannot be closed.")
            % {"status": Plan.Status(plan.status).label},
            code="transition",
        )
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for closing the plan.")]})
    plan.closed_at = timezone.now()
    plan.closed_by = actor
    plan.close_reason = reason[:2000]
    plan.save(update_fields=["closed_at", "closed_by", "close_reason", "updated_at"])
    # The reason is free text: the audit log records that there was one, not what it says.
    return change_status(actor, plan, Plan.Status.CLOSED, reason="closed")


@transaction.atomic
def revise(actor, plan: Plan) -> Plan:
    """A new draft version of a rejected or withdrawn plan, with its lines, provisions and
    texts copied, but not the resident's consent: that is asked again for the new version.
    The earlier version keeps its status and its decision trail."""
    _require_writer(actor, plan.case)
    old = _locked(plan)
    if old.status not in lifecycle.REVISABLE:
        raise PlanError(_("Only a rejected or withdrawn plan can be revised."), code="transition")
    if Plan.objects.filter(previous_version=old).exists():
        raise PlanError(
            _("This plan has already been revised: continue with its newer version."),
            code="revised",
        )
    # The resident's words are copied, their consent is not: they agreed to the earlier version,
    # so the new one waits for them to confirm again before it can be submitted.
    copied = {f: getattr(old, f) for f in (*SOLUTION_FIELDS, "resident_words", *TERMS_FIELDS)}
    new = Plan(
        case=old.case,
        author=actor,
        version=old.version + 1,
        previous_version=old,
        agreement=Plan.Agreement.UNKNOWN,
        agreement_date=None,
        agreement_how="",
        **copied,
    )
    new.full_clean(exclude=["obstacles"])
    new.save()
    new.obstacles.set(old.obstacles.all())
    PlanProvision.objects.bulk_create(
        PlanProvision(
            plan=new, provision_id=p.provision_id, explanation=p.explanation, position=p.position
        )
        for p in old.plan_provisions.all()
    )
    # Lines are copied without the frozen catalogue version: submitting again freezes anew.
    ScenarioLine.objects.bulk_create(
        ScenarioLine(
            plan=new,
            scenario=line.scenario,
            position=line.position,
            **{f: getattr(line, f) for f in LINE_FIELDS},
        )
        for line in old.lines.all()
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=new,
        reason="revised",
        changes={
            "previous_version": old.pk,
            "version": new.version,
            "agreement": {"old": old.agreement, "new": new.agreement},
        },
    )
    return new
