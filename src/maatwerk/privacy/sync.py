"""Bringing the retention rules up to date with privacy/data/retention_rules.csv (issue 17,
point 1), the way legal and costs load their catalogues (core.catalogue_sync): new rows are
added, rows nobody changed follow the file, a row a person changed keeps the local choice, and
an organisation's own periods are never touched. Each change is audited."""

import csv
from datetime import date
from pathlib import Path

from django.db import transaction

from maatwerk.audit import services as audit
from maatwerk.core import catalogue_sync
from maatwerk.core.catalogue_sync import Action, Current, Kind

from . import retention
from .models import RetentionRule

DATA_FILE = Path(__file__).resolve().parent / "data" / "retention_rules.csv"
NOTE = "bijgewerkt uit de bewaartermijnen van Open Maatwerk"
FIELDS = (
    "kind_of_help",
    "category",
    "result_type",
    "period_years",
    "period_days",
    "counted_from",
    "source_title",
    "source_url",
    "evidence",
    "verified",
    "version",
    "valid_from",
)


def rows() -> dict[str, dict]:
    """Per code the state the file gives it."""
    found = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            years, days = retention.parse_period(row["period"])
            if row["counted_from"] not in RetentionRule.CountedFrom.values:
                raise ValueError(f"{row['code']}: unknown end event {row['counted_from']!r}")
            if not row["source_url"] or not row["category"]:
                raise ValueError(f"{row['code']}: a retention rule names its source")
            state = {name: row[name] for name in FIELDS if name in row}
            state.update(
                period_years=years,
                period_days=days,
                verified=row["verified"] == "yes",
                valid_from=date.fromisoformat(row["valid_from"]),
            )
            if row["code"] in found:
                raise ValueError(f"{row['code']} appears twice")
            found[row["code"]] = state
    missing = retention.mapping().codes() - set(found)
    if missing:
        raise ValueError(f"the mapping names rules the file lacks: {sorted(missing)}")
    return found


def current() -> dict[str, Current]:
    return {
        rule.code: Current(
            {name: getattr(rule, name) for name in FIELDS}, rule.updated_by_id is None
        )
        for rule in RetentionRule.objects.filter(organisation__isnull=True)
    }


def plan() -> list[Action]:
    return catalogue_sync.plan(rows(), current())


def _apply(action: Action) -> None:
    if action.kind == Kind.CREATE:
        rule = RetentionRule.objects.create(code=action.code, **action.state)
        kind = audit.Action.CREATE
    else:
        rule = RetentionRule.objects.select_for_update().get(
            code=action.code, organisation__isnull=True
        )
        for name, value in action.state.items():
            setattr(rule, name, value)
        rule.save()
        kind = audit.Action.UPDATE
    changes = {
        name: {"old": str(c["old"]), "new": str(c["new"])} for name, c in action.changes.items()
    }
    audit.record(actor=None, action=kind, obj=rule, reason=NOTE, changes=changes)


@transaction.atomic
def load(*, dry_run: bool = False) -> list[Action]:
    planned = plan()
    if not dry_run:
        for action in planned:
            if action.kind in {Kind.CREATE, Kind.UPDATE}:
                _apply(action)
    return planned
