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

# Life domain per item code prefix (the CSV carries none).
DOMAINS = [
    ("PW-", "income"),
    ("WW-", "income"),
    ("HUUR-", "housing"),
    ("MO-", "housing"),
    ("BW-", "mental_health"),
    ("SCHULD-", "debts"),
    ("BEWIND-", "debts"),
    ("DEURW-", "debts"),
    ("ZVW-", "debts"),
    ("GRIFFIE-", "justice"),
    ("PLEEG-", "upbringing"),
    ("KO-", "upbringing"),
    ("MULTIPROBLEEM", "upbringing"),
    ("DETENTIE-", "justice"),
    ("JUSTITIE-", "justice"),
    ("ZORG-", "physical_health"),
    ("ZH-", "physical_health"),
    ("HUISARTS", "physical_health"),
    ("GGZ-", "mental_health"),
    ("SW-", "social_network"),
    ("WMO-", "physical_health"),
    ("PRODUCTIVITEIT", "work"),
    ("MANTELZORG", "social_network"),
]

SOURCE_TITLES = {
    "github.com": "Zorginstituut Nederland, Kostenhandleiding (tabellen via tatooheene)",
    "zoek.officielebekendmakingen.nl": "Officiële bekendmakingen (Staatscourant / Staatsblad)",
    "www.rijksoverheid.nl": "Rijksoverheid",
    "www.cbs.nl": "CBS StatLine",
}


_KOSTENHANDLEIDING = "Zorginstituut Kostenhandleiding 2024 (prijzen 2022)"
_DATED = "verouderd cijfer"
_FOSTER = "zonder de kosten van begeleiding door de pleegzorgaanbieder"

# The catalogue's own Dutch wording of each price's note (the CSV notes are English); every
# code of the CSV, "" where it has no note. The migration costs/0003 rewords existing rows.
NOTE_NL = {
    "PW-NORM-1P": "ongeveer € 16.145 per jaar; alleenstaande ouders krijgen dezelfde norm",
    "PW-NORM-2P": "ongeveer € 23.065 per jaar",
    "PW-NORM-18": "",
    "PW-KDN-2": "",
    "HUUR-UITZ-DIRECT": "de bron noemt € 5.000 tot € 10.000; dit is het midden",
    "HUUR-UITZ-MAATSCH": "de bron noemt meer dan € 100.000; alleen ter illustratie",
    "MO-PLEK-JAAR": "",
    "MO-GGZ-JAAR": "de bovengrens die de bron noemt",
    "MO-CEBEON": _DATED,
    "BW-INTENSIEF": _DATED,
    "SCHULD-PROBL": "afgeleid: € 8,5 miljard gedeeld door 730.000 huishoudens",
    "BEWIND-INTAKE": "",
    "BEWIND-STD": "",
    "BEWIND-SCHULD": "",
    "PLEEG-0-8": _FOSTER,
    "PLEEG-16-17": _FOSTER,
    "DETENTIE-VOLW": _DATED,
    "DETENTIE-JEUGD": _DATED,
    "ZORG-SEH": _KOSTENHANDLEIDING,
    "ZORG-AMBU": _KOSTENHANDLEIDING,
    "GGZ-OPNAME-DAG": _KOSTENHANDLEIDING,
    "GGZ-ACUUT-DAG": _KOSTENHANDLEIDING,
    "ZH-DAG": _KOSTENHANDLEIDING,
    "GGZ-CONTACT": _KOSTENHANDLEIDING,
    "SW-CONTACT": _KOSTENHANDLEIDING,
    "HUISARTS": _KOSTENHANDLEIDING,
    "WMO-HH-UUR": _KOSTENHANDLEIDING,
    "WMO-BEGEL-UUR": _KOSTENHANDLEIDING,
    "PRODUCTIVITEIT-UUR": _KOSTENHANDLEIDING,
    "MANTELZORG-UUR": _KOSTENHANDLEIDING,
    "JUSTITIE-BEDREIGING": f"{_KOSTENHANDLEIDING}; definitie nog controleren",
    "JUSTITIE-MISHANDELING": f"{_KOSTENHANDLEIDING}; definitie nog controleren",
    "GRIFFIE-NP-KLEIN": "",
    "GRIFFIE-RP-GROOT": "",
    "DEURW-DAGVAARDING": "",
    "DEURW-BESLAG": "",
    "DEURW-ONTRUIMING": "",
    "ZVW-WANBETALER": "",
    "KO-DAGOPVANG-UUR": "",
    "WMO-ABONNEMENT": "",
    "WW-JAAR": "afgeleid: € 3,1 miljard gedeeld door 192.000 mensen met een WW-uitkering",
    "MULTIPROBLEEM-JAAR": "het uitgangsbedrag dat de bron noemt",
}


def life_domain(code: str) -> str:
    for prefix, domain in DOMAINS:
        if code.startswith(prefix):
            return domain
    raise ValueError(f"no life domain for cost item {code}")


def source_title(url: str) -> str:
    host = urlparse(url).netloc
    return SOURCE_TITLES.get(host, host.removeprefix("www."))


def cost_rows():
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
                "note": NOTE_NL[row["code"]],
                "source_note": row["note"],
                "life_domain": life_domain(row["code"]),
            }


# Bearers the catalogue names as the source does; for any other the shared price's note says
# whom the source names (the catalogue's bearer list is coarser).
PLAIN_BEARERS = {"gemeente", "rijk", "uwv"}


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
