"""The processing register (AVG art. 30), kept as data: data/processing_register.yaml."""

import csv
import io
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parent / "data" / "processing_register.yaml"
LIST_FIELDS = ("legal_basis", "data_categories", "persons", "recipients", "security")
TEXT_FIELDS = ("code", "name", "purpose", "retention")
# The CSV's column headings, in the register's own language (Dutch, like its content).
HEADINGS = {
    "code": "code",
    "name": "verwerking",
    "purpose": "doel",
    "retention": "bewaartermijn",
    "legal_basis": "grondslag",
    "data_categories": "soorten gegevens",
    "persons": "soorten betrokkenen",
    "recipients": "ontvangers",
    "security": "beveiligingsmaatregelen",
}


@dataclass(frozen=True)
class Activity:
    code: str
    name: str
    purpose: str
    legal_basis: tuple[str, ...]
    data_categories: tuple[str, ...]
    persons: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: str
    security: tuple[str, ...]


def parse(data: dict) -> tuple[str, list[Activity]]:
    """The register's version and activities; ValueError naming what is missing or empty."""
    activities = []
    for i, row in enumerate(data.get("activities") or []):
        missing = [f for f in TEXT_FIELDS + LIST_FIELDS if not row.get(f)]
        if missing:
            raise ValueError(f"activity {i + 1} ({row.get('code', '?')}): missing {missing}")
        activities.append(
            Activity(
                **{f: str(row[f]).strip() for f in TEXT_FIELDS},
                **{f: tuple(str(v) for v in row[f]) for f in LIST_FIELDS},
            )
        )
    if not activities:
        raise ValueError("the register holds no activities")
    codes = [a.code for a in activities]
    if len(set(codes)) != len(codes):
        raise ValueError("activity codes must be unique")
    return str(data.get("version", "")), activities


@cache
def load() -> tuple[str, list[Activity]]:
    with open(PATH, encoding="utf-8") as f:
        return parse(yaml.safe_load(f))


def as_json(controller: str) -> str:
    version, activities = load()
    return json.dumps(
        {
            "controller": controller,
            "version": version,
            "activities": [asdict(a) for a in activities],
        },
        ensure_ascii=False,
        indent=2,
    )


def as_csv(controller: str) -> str:
    version, activities = load()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "verwerkingsverantwoordelijke",
            "versie",
            *(HEADINGS[f] for f in TEXT_FIELDS + LIST_FIELDS),
        ]
    )
    for a in activities:
        row = asdict(a)
        writer.writerow(
            [
                controller,
                version,
                *(row[f] for f in TEXT_FIELDS),
                *("; ".join(row[f]) for f in LIST_FIELDS),
            ]
        )
    # With a byte order mark, so that Excel reads the accents ("financiële") as UTF-8.
    return "\ufeff" + out.getvalue()
