"""The open exchange format of the library (`schemas/example-export.schema.json`): what an
export holds and how an import is read. Plain data in, plain data out; the services decide
who may and check the texts.

Money as strings with two decimals (rounded to €100 already); rules and provisions by their
catalogue code, so deployments with the same regelbank match them; never a case, plan, team or
person."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

import jsonschema
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maatwerk.core.choices import OrganisationType, SolutionKind
from maatwerk.core.domains import LifeDomain
from maatwerk.costs.models import Bearer, CostType, Unit
from maatwerk.followup.models import Outcome
from maatwerk.plans.models import LineKind

FORMAT = "open-maatwerk/example-export"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schemas" / "example-export.schema.json"
MAX_BYTES = 5 * 1024 * 1024


@cache
def schema() -> dict:
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The code lists come from the one source of truth, not a copy in the schema file.
    item = data["$defs"]["example"]["properties"]
    item["life_domains"]["items"]["enum"] = list(LifeDomain.values)
    item["organisations_involved"]["items"]["enum"] = list(OrganisationType.values)
    item["solution_kind"]["enum"] = ["", *SolutionKind.values]
    item["outcome"]["enum"] = ["", *Outcome.Code.values]
    line = data["$defs"]["cost_line"]["properties"]
    line["kind"]["enum"] = list(LineKind.values)
    line["unit"]["enum"] = ["", *Unit.values]
    line["bearer"]["enum"] = ["", *Bearer.values]
    line["cost_type"]["enum"] = ["", *CostType.values]
    return data


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def item(example) -> dict:
    return {
        "title": example.title,
        "story": example.story,
        "lessons": example.lessons,
        "blocking_rule": example.blocking_rule.code if example.blocking_rule_id else None,
        "provisions": sorted(p.code for p in example.provisions.all()),
        "life_domains": sorted(d.domain for d in example.life_domains.all()),
        "organisations_involved": sorted(o.organisation_type for o in example.organisations.all()),
        "solution_kind": example.solution_kind,
        "standard_total": _money(example.standard_total),
        "tailored_total": _money(example.tailored_total),
        "decision_level": example.decision_level,
        "outcome": example.outcome_code,
        "cost_lines": [cost_line(line) for line in example.cost_lines.all()],
    }


def _number(value) -> str:
    return format(value.normalize(), "f") if value is not None else "0"


def cost_line(line) -> dict:
    """A cost line's structure: the shared catalogue item by code, or a free line with its
    amount rounded to €100; never a household's figure."""
    return {
        "route": line.scenario,
        "cost_item": line.cost_item.code if line.cost_item_id else None,
        "kind": line.kind,
        "label": line.label,
        "amount": _money(line.amount),
        "unit": line.unit,
        "bearer": line.bearer,
        "cost_type": line.cost_type,
        "quantity": _number(line.quantity),
        "start_month": line.start_month,
        "duration_months": line.duration_months,
        "probability": _number(line.probability),
    }


def document(examples, *, source: str, at: datetime) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": source,
        "exported_at": at.isoformat(timespec="seconds"),
        "examples": [item(e) for e in examples],
    }


def validate(data: dict) -> None:
    """Raise a ValidationError naming the first place where `data` breaks the schema."""
    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or _("the document")
        raise ValidationError(
            _("The file does not follow the exchange format at %(where)s: %(message)s")
            % {"where": where, "message": error.message},
            code="schema",
        )


def parse(raw: bytes | str) -> dict:
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise ValidationError(_("The file is too large."), code="too_large")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text."), code="encoding") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValidationError(_("The file is not JSON."), code="json") from None
    validate(data)
    return data
