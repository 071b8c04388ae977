"""The national picture (issue 14, point 6): checking an organisation's export and merging many.

`check(data, rule)` reads one export file (bytes) and returns its payload, or raises
`ExportRefused` naming the first problem: not JSON, not valid against the published schema, a
checksum that does not match, or a cell that breaks the outside small-number rule (fewer
households than the rule's minimum, a count of plans or approved plans above 0 but below the
minimum, euros beside a hidden or zero count of plans, a count that is not a multiple of the
rounding, euros or counts in a suppressed cell, a wrong number of suppressed cells). A file is
taken whole or not at all.

`merge(cells)` adds the shown figures of many organisations per blocking rule. Cells
suppressed locally are missing from the sums, so every national total is a lower bound; the
merge counts them per rule and in all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from maatwerk.core import json_export
from maatwerk.core.small_numbers import Rule

from . import export

ZERO = Decimal("0.00")
COUNTS = ("plans", "approved")
EUROS = ("standard_eur", "tailored_eur", "realised_eur")


class ExportRefused(ValueError):
    """The file is refused as a whole; the message says why."""


def check(data: bytes, rule: Rule, *, sidecar: str | None = None) -> dict:
    """The payload of a valid export; `sidecar`: the text of `<file>.sha256`, when present."""
    if sidecar is not None:
        expected = sidecar.split()[0].lower() if sidecar.split() else ""
        if expected != export.checksum(data):
            raise ExportRefused("the file's SHA-256 does not match its .sha256 file")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ExportRefused(f"not a JSON file ({e.__class__.__name__})") from None
    problem = json_export.first_error(envelope, export.SCHEMA_PATH)
    if problem is not None:
        raise ExportRefused(problem)
    payload = envelope["payload"]
    try:
        generated = datetime.fromisoformat(payload["generated_at"])
    except ValueError:
        generated = None
    if generated is None or generated.tzinfo is None:
        raise ExportRefused("generated_at is not a date and time with its offset (ISO 8601)")
    if export.checksum(export.canonical(payload)) != envelope["sha256"]:
        raise ExportRefused("the checksum (sha256) does not match the payload")
    seen = set()
    for i, cell in enumerate(payload["cells"]):
        where = f"cell {i + 1} ({cell['rule_code'] or 'newly described rules'})"
        if cell["rule_code"] in seen:
            raise ExportRefused(f"{where}: the rule occurs twice")
        seen.add(cell["rule_code"])
        if cell["suppressed"]:
            if any(cell[k] is not None for k in ("households", *COUNTS, *EUROS)):
                raise ExportRefused(f"{where}: a suppressed cell carries a figure")
            continue
        n = cell["households"]
        if n < rule.minimum:
            raise ExportRefused(f"{where}: {n} households, fewer than {rule.minimum}")
        for key in ("households", *COUNTS):
            value = cell[key]
            if value is not None and value % rule.rounding:
                raise ExportRefused(f"{where}: {key} {value} is not a multiple of {rule.rounding}")
        for key in COUNTS:
            # A count rests on the households with such plans (no more of them than plans):
            # one below the minimum is never shown (0 is: it points at no household).
            value = cell[key]
            if value is not None and 0 < value < rule.minimum:
                raise ExportRefused(f"{where}: {key} {value}, fewer than {rule.minimum}")
        # Euros rest on households with plans: no shown euros without a shown count of plans
        # (a hidden count means fewer contributing households than the minimum).
        if not cell["plans"] and any(cell[k] is not None for k in EUROS):
            raise ExportRefused(f"{where}: euros in a cell without plans")
    suppressed = sum(1 for c in payload["cells"] if c["suppressed"])
    if suppressed != payload["suppressed_cells"]:
        raise ExportRefused(
            f"suppressed_cells says {payload['suppressed_cells']}, the cells hold {suppressed}"
        )
    return payload


@dataclass
class NationalRow:
    """One blocking rule across the organisations: sums of the shown figures (lower bounds)."""

    rule_code: str | None
    rule_name: str
    law: str
    households: int = 0
    plans: int = 0
    approved: int = 0
    euros: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(EUROS, ZERO))
    euro_cells: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EUROS, 0))
    organisations: int = 0  # organisations whose cell is shown
    suppressed: int = 0  # organisations whose cell is suppressed


@dataclass
class National:
    rows: list[NationalRow]
    organisations: int
    cells: int
    suppressed: int


def merge(exports: Iterable[tuple[str, list[dict]]]) -> National:
    """Per rule (newly described rules together) the sums over `(organisation, cells)`,
    sorted by households, most first; rules with only suppressed cells last, by name."""
    rows: dict[str | None, NationalRow] = {}
    organisations = set()
    n_cells = n_suppressed = 0
    for organisation, cells in exports:
        organisations.add(organisation)
        for c in cells:
            n_cells += 1
            row = rows.setdefault(
                c["rule_code"], NationalRow(c["rule_code"], c["rule_name"], c["law"])
            )
            if c["suppressed"]:
                row.suppressed += 1
                n_suppressed += 1
                continue
            row.organisations += 1
            row.households += c["households"]
            row.plans += c["plans"] or 0
            row.approved += c["approved"] or 0
            for key in EUROS:
                if c[key] is not None:
                    row.euros[key] += Decimal(c[key])
                    row.euro_cells[key] += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.households, r.rule_name, r.rule_code or ""))
    return National(
        rows=[r for r in ordered if r.organisations] + [r for r in ordered if not r.organisations],
        organisations=len(organisations),
        cells=n_cells,
        suppressed=n_suppressed,
    )
