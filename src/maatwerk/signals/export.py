"""The national export of the signal report (issue 14, point 6).

One organisation, one fixed period (a quarter or a year): the figures per blocking rule under
the OUTSIDE small-number rule only (`core.small_numbers.outside_rule`: at least 10 households,
counts rounded to 5, euros only without a dominant household, secondary suppression). Every
figure is judged on the households that contribute to it: a shown cell (`suppressed: false`)
may still carry `plans` or `approved` null, when fewer than 10 households made or got such
plans, and euros null when fewer than 10 households contribute euros. A
suppressed cell is listed with `suppressed: true` and no figure; the number of suppressed
cells is in the file. No case, name or free text: newly described rules count together, under
`rule_code` null.

Formats: JSON in an envelope `{"payload": …, "sha256": …}` (the checksum of the payload's
canonical serialisation, `canonical`), valid against `schemas/signals-export.schema.json`; and
CSV with the same cells. Files written by `manage.py export_signals` get a `<file>.sha256`
beside them, in the format of `sha256sum`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from maatwerk.accounts.models import Organisation, Team
from maatwerk.core import json_export
from maatwerk.core.json_export import canonical, checksum, sidecar  # noqa: F401 (this module's API)
from maatwerk.core.small_numbers import Rule, outside_rule

from . import report, selectors

FORMAT = "open-maatwerk-signals-export"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schemas" / "signals-export.schema.json"
CSV_COLUMNS = [
    "organisation", "period", "rule_code", "rule_name", "law", "suppressed", "households",
    "plans", "approved", "standard_eur", "tailored_eur", "realised_eur",
]  # fmt: skip


def schema() -> dict:
    return json_export.load_schema(SCHEMA_PATH)


def _euros(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01'))}"


def cells(result: report.Report, labels: dict) -> list[dict]:
    """The rows of the rules table as export cells (a pure function of the report)."""
    out = []
    for row in result.rules:
        label = labels[row.key]
        suppressed = row.households is None
        out.append(
            {
                "rule_code": None if row.key == report.NEW_RULE else label.code,
                "rule_name": label.name,
                "law": label.law,
                "suppressed": suppressed,
                "households": row.households,
                "plans": None if suppressed else row.plans,
                "approved": None if suppressed else row.approved,
                "standard_eur": None if suppressed else _euros(row.standard),
                "tailored_eur": None if suppressed else _euros(row.tailored),
                "realised_eur": None if suppressed else _euros(row.realised),
            }
        )
    return out


def payload(
    organisation: Organisation,
    period: report.Period,
    *,
    now: datetime,
    rule: Rule | None = None,
) -> dict:
    """The export of one organisation's obstacles recorded in `period`."""
    rule = rule or outside_rule()
    team_ids = frozenset(
        Team.objects.filter(organisation=organisation).values_list("id", flat=True)
    )
    obstacles, plans = selectors.facts(team_ids, period) if team_ids else ([], [])
    result = report.build(obstacles, plans, rule)
    labels = selectors.rule_labels([r.key for r in result.rules])
    rows = cells(result, labels)
    return {
        "format": FORMAT,
        "version": VERSION,
        "organisation": {"name": organisation.name, "kind": organisation.kind},
        "period": period.key,
        "generated_at": now.isoformat(timespec="seconds"),
        "rule": {
            "minimum": rule.minimum,
            "rounding": rule.rounding,
            "dominance_percent": int((rule.dominance or 0) * 100),
        },
        "cells": rows,
        "suppressed_cells": sum(1 for c in rows if c["suppressed"]),
    }


def to_json(data: dict) -> bytes:
    """The envelope (core.json_export), checked against the published schema first."""
    json_export.validate(json_export.envelope(data), SCHEMA_PATH)
    return json_export.to_json(data)


def to_csv(data: dict) -> bytes:
    """The same cells as CSV (comma, point as decimal mark, empty for a suppressed figure)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in data["cells"]:
        writer.writerow(
            [data["organisation"]["name"], data["period"]]
            + [
                ("true" if c[k] else "false")
                if k == "suppressed"
                else ("" if c[k] is None else c[k])
                for k in CSV_COLUMNS[2:]
            ]
        )
    return buffer.getvalue().encode()
