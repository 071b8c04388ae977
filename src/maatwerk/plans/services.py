"""Writes to plans. Only case-role members of the case's team write; a submitted plan is frozen.

Every write runs in one transaction with its audit event, so a refused change leaves nothing.
"""

import functools
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.audit import services as audit
from maatwerk.cases.models import Case, Obstacle
from maatwerk.cases.selectors import may_write
from maatwerk.costs import calculations, engine
from maatwerk.legal.models import Provision

from . import messages, selectors
from .models import CalculationSnapshot, Plan, PlanProvision, Scenario, ScenarioLine

SOLUTION_FIELDS = ("solution", "by_whom", "when", "amount_requested", "form", "payee")
AGREEMENT_FIELDS = ("resident_words", "agreement", "agreement_date", "agreement_how")
TERMS_FIELDS = ("horizon_months", "discount_rate", "price_year")
LINE_FIELDS = (
    "cost_item_id", "kind", "label", "amount", "unit", "bearer", "cost_type", "quantity",
    "start_month", "duration_months", "probability",
)  # fmt: skip
MAX_YEARS_AHEAD = 2
# Written in the worker's or resident's words: they may describe the household, so the audit
# log records that they changed, not what they say.
FREE_TEXT_FIELDS = ("solution", "by_whom", "payee", "resident_words")


@functools.cache
def engine_version() -> str:
    """The engine has no version number of its own: name it by a digest of its source, so a
    snapshot tells which arithmetic produced it."""
    source = Path(engine.__file__).read_bytes()
    return f"engine-{hashlib.sha256(source).hexdigest()[:12]}"


def latest_allowed_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def validate_solution(values: dict) -> None:
    """Rules a form or serializer also checks, enforced here for every caller."""
    errors: dict[str, list[str]] = {}
    amount = values.get("amount_requested")
    if amount is not None and Decimal(amount) < 0:
        errors["amount_requested"] = [_("The amount cannot be negative.")]
    when = values.get("when")
    if when is not None and when > latest_allowed_date():
        errors["when"] = [_("This date lies too far in the future: at most two years ahead.")]
    if "solution" in values and not (values["solution"] or "").strip():
        errors["solution"] = [_("Describe the solution.")]
    if errors:
        raise ValidationError(errors)


def validate_agreement(values: dict) -> None:
    d = values.get("agreement_date")
    if d is not None and d > timezone.localdate():
        raise ValidationError(
            {"agreement_date": [_("The date of agreement cannot lie in the future.")]}
        )


def _require_writer(actor, case: Case) -> None:
    if not may_write(actor, case):
        raise PermissionDenied(_("Only workers of the case's team may write its plans."))


def _require_draft(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("A submitted plan can no longer be changed."))


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
    validate_solution(values)
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
        raise ValidationError(
            _("At most %(n)s lines per scenario.") % {"n": calculations.MAX_LINES}
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
        raise ValidationError(errors)
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
