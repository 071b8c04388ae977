"""Loading the shared reference data (../shared/data, copied to costs/data with its sources).

Used by the data migration; kept here so the mapping is readable and testable.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

DATA_DIR = Path(__file__).resolve().parent / "data"

# The CSV names bearers as the source does; the catalogue uses a fixed list.
BEARERS = {
    "gemeente": "municipality",
    "centrumgemeente": "municipality",
    "bijzondere bijstand": "municipality",
    "rijk": "central_government",
    "uwv": "uwv",
    "woningcorporatie": "housing_corporation",
    "zorgverzekeraar": "health_insurer",
    "werkgever": "employer",
    "huishouden": "household",
    "bewoner": "household",
    "schuldenaar": "household",
    "eiser": "household",  # the claimant in GRIFFIE-NP-KLEIN is a natural person
    "meerdere": "several",
}

SOURCE_TITLES = {
    "github.com": "Zorginstituut Nederland, Kostenhandleiding (tabellen via tatooheene)",
    "zoek.officielebekendmakingen.nl": "Officiële bekendmakingen (Staatscourant / Staatsblad)",
    "www.rijksoverheid.nl": "Rijksoverheid",
    "www.cbs.nl": "CBS StatLine",
}


def source_title(url: str) -> str:
    host = urlparse(url).netloc
    return SOURCE_TITLES.get(host, host.removeprefix("www."))


def cost_rows():
    """One row per published price. A code may have several rows: the item's price history
    (a newer price of an item is a new row with the same code, never a new item). The
    catalogue's Dutch note is `note_nl`; `note` is the researcher's note on the source."""
    with open(DATA_DIR / "cost_items.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield {
                "code": row["code"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "unit": row["unit"],
                "amount": Decimal(row["amount_eur"]),
                "price_date": date.fromisoformat(row["price_date"]),
                "bearer": BEARERS[row["bearer"]],
                "source_bearer": row["bearer"],
                "cost_type": row["cost_type"],
                "grade": row["grade"],
                "source_url": row["source_url"],
                "source_title": source_title(row["source_url"]),
                "note": row["note_nl"],
                "source_note": row["note"],
                "life_domain": row["life_domain"],
                "evidence": row["evidence"],
            }


# Bearers the catalogue names as the source does; for any other the shared price's note says
# whom the source names (the catalogue's bearer list is coarser).
PLAIN_BEARERS = {"gemeente", "rijk", "uwv"}


def latest_rows() -> dict[str, dict]:
    """Per code the row with the latest price date (the item's current shared price)."""
    latest: dict[str, dict] = {}
    for row in cost_rows():
        now = latest.get(row["code"])
        if now is None or row["price_date"] >= now["price_date"]:
            latest[row["code"]] = row
    return latest


def version_note(row: dict) -> str:
    """The note of a shared price as the catalogue publishes it (seed and loader alike)."""
    note = row["note"]
    if row["source_bearer"] not in PLAIN_BEARERS:
        note = f"{note} (bron noemt als drager: {row['source_bearer']})".strip()
    return note[:500]


def cpi_rows():
    with open(DATA_DIR / "cpi_nl.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield {
                "year": int(row["year"]),
                "change_pct": Decimal(row["cpi_annual_change_pct"]),
                "source_url": row["source_url"],
            }
