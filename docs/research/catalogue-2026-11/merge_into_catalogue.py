"""One-off merge (29 November 2026) of the verified research rows into the catalogue's data files.

Run from the project root: `python docs/research/catalogue-2026-11/merge_into_catalogue.py`.
Kept for review: it shows which rows joined and why the others stayed out. After this merge
the files in src/maatwerk/{legal,costs}/data are the single source; edit them, not this.
"""

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RESEARCH = ROOT / "docs/research/catalogue-2026-11"
LEGAL = ROOT / "src/maatwerk/legal/data"
COSTS = ROOT / "src/maatwerk/costs/data"


EXTRA = [Path("/work/research/r18more/legal_provisions_verified.csv")]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in fields})


# Words the sources use for who applies a rule -> the catalogue's fixed list (legal.Applier).
# Courts, schools, care providers and "every administrative body" have no entry of their own
# in that list: "other", with the source's words kept in applied_by_nl.
APPLIER_WORDS = [
    ("belastingdienst_toeslagen", "tax_allowances"),
    ("belastingdienst", "tax_allowances"),
    ("gemeente_brp", "municipality_brp"),
    ("gemeente", "municipality"),
    ("burgemeester", "municipality"),
    ("svb", "svb"),
    ("uwv", "uwv"),
    ("cak", "cak"),
    ("cjib", "cjib"),
    ("duo", "duo"),
    ("woningcorporatie", "housing_corporation"),
    ("energieleverancier", "energy_supplier"),
    ("zorgverzekeraar", "health_insurer"),
]


def applier(words: str) -> str:
    first = re.split(r"[;/,(]", words.strip().lower())[0].strip()
    for word, value in APPLIER_WORDS:
        if first.startswith(word):
            return value
    return "other"


def applier_nl(words: str) -> str:
    return words.replace("belastingdienst_toeslagen", "Belastingdienst/Toeslagen").replace("_", " ")


PROVISION_FIELDS = [
    "code",
    "law",
    "law_code",
    "law_id",
    "article",
    "title_nl",
    "room_nl",
    "room_en",
    "applied_by",
    "applied_by_nl",
    "example_nl",
    "version_date",
    "source_url",
    "verified",
    "evidence",
]


def provisions():
    """The file's rows, a research row's verification applied to a row not yet verified, and
    each verified research row the file lacks. (The first run, on 29 November 2026, also moved
    the Dutch wording from legal/seed.py's dicts into the file; see git history.)"""
    rows = read(LEGAL / "legal_provisions.csv")
    have = {r["code"]: r for r in rows}
    checked = {r["code"]: r for r in read(RESEARCH / "verified_provisions.csv")}
    for extra in EXTRA:
        if extra.exists():
            for r in read(extra):
                # A second pass verified some rows the first left open: its "yes" wins.
                if r.get("verified") == "yes" or r["code"] not in checked:
                    checked[r["code"]] = r
    left_out = []
    for code, v in checked.items():
        ok = v.get("verified") == "yes" and v.get("version_date") and v.get("law_id")
        row = have.get(code)
        if row is not None:
            if ok and row["verified"] != "yes":
                row.update(
                    law_id=v["law_id"],
                    article=v["article"],
                    version_date=v["version_date"],
                    source_url=v["source_url"],
                    verified="yes",
                    evidence=v["evidence"],
                )
            continue
        if not ok:
            left_out.append(code)
            continue
        rows.append(
            {
                "code": code,
                "law": v["law"],
                "law_code": v["law_short"],
                "law_id": v["law_id"],
                "article": v["article"],
                "title_nl": v["title_nl"],
                "room_nl": v["room_nl"],
                "room_en": "",
                "applied_by": applier(v["applied_by"]),
                "applied_by_nl": applier_nl(v["applied_by"]),
                "example_nl": v["example_nl"],
                "version_date": v["version_date"],
                "source_url": v["source_url"],
                "verified": "yes",
                "evidence": v["evidence"],
            }
        )
    return rows, left_out


LAW_DOMAIN = {
    "BWBR0015703": "income",
    "BWBR0008659": "income",
    "BWBR0018472": "income",
    "BWBR0002368": "income",
    "BWBR0034925": "upbringing",
    "BWBR0035362": "physical_health",
    "BWBR0001860": "debts",
    "BWBR0001827": "debts",
    "BWBR0031331": "debts",
    "BWBR0018450": "physical_health",
    "BWBR0003420": "education",
    "BWBR0011823": "",
}


# Escape routes the research wrote only in words, naming exactly a provision of the files.
ESCAPES_IN_WORDS = {
    "KOPPELINGSWET": ["VW-10-2"],  # onderwijs, medisch noodzakelijke zorg, rechtsbijstand
    "BESLAGVRIJE-VOET-TE-LAAG": ["RV-475FA"],  # correctie van de beslagvrije voet
    "LEERLINGENVERVOER-DREMPEL": ["WPO-4"],  # de vervoersvoorziening zelf
}


RULE_FIELDS = [
    "code",
    "name_nl",
    "name_en",
    "description_nl",
    "applied_by",
    "applied_by_nl",
    "life_domain",
    "basis_provision",
    "basis_article",
    "basis_source_url",
    "basis_version_date",
    "escape_provisions",
    "escape_routes_nl",
    "example_nl",
    "recent_change_nl",
    "recent_change_en",
    "evidence",
]


def rules(provision_codes):
    out = read(LEGAL / "blocking_rules.csv")
    have = {r["code"] for r in out}
    bases = {r["code"]: r for r in read(RESEARCH / "verified_blocking_rule_bases.csv")}
    left_out = []
    for r in read(RESEARCH / "candidate_blocking_rules.csv"):
        b = bases[r["code"]]
        if r["code"] in have:
            continue
        codes = []
        for token in re.findall(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b", r["escape_routes_nl"]):
            if token in provision_codes and token not in codes:
                codes.append(token)
        codes += [c for c in ESCAPES_IN_WORDS.get(r["code"], []) if c in provision_codes]
        if b["verified"] != "yes" or not codes:
            left_out.append(
                (r["code"], "basis not verified" if b["verified"] != "yes" else "no escape code")
            )
            continue
        out.append(
            {
                "code": r["code"],
                "name_nl": r["name_nl"],
                "name_en": "",
                "description_nl": r["description_nl"],
                "applied_by": applier(r["applied_by"]),
                "applied_by_nl": applier_nl(r["applied_by"]),
                "life_domain": LAW_DOMAIN.get(b["basis_law_id"], ""),
                "basis_provision": "",
                "basis_article": f"{r['basis_law']} {b['basis_article']}".strip(),
                "basis_source_url": b["source_url"],
                "basis_version_date": b["version_date"],
                "escape_provisions": ";".join(codes),
                "escape_routes_nl": r["escape_routes_nl"],
                "example_nl": r["example_nl"],
                "recent_change_nl": "",
                "recent_change_en": "",
                "evidence": b["evidence"],
            }
        )
    return out, left_out


# Codes of new research rows that are a new price of an item the catalogue has.
NEW_PRICE_OF = {"WMO-ABONNEMENT-2025": "WMO-ABONNEMENT", "DETENTIE-VOLW-DJI": "DETENTIE-VOLW"}

COST_FIELDS = [
    "code",
    "name_nl",
    "name_en",
    "life_domain",
    "unit",
    "amount_eur",
    "price_date",
    "bearer",
    "cost_type",
    "grade",
    "source_url",
    "note_nl",
    "note",
    "evidence",
]

# Life domain of the research rows by code prefix (the files carry a column since the merge).
DOMAIN_PREFIXES = [
    ("PW-", "income"), ("WW-", "income"), ("HUUR-", "housing"), ("MO-", "housing"),
    ("BW-", "mental_health"), ("SCHULD-", "debts"), ("BEWIND-", "debts"), ("DEURW-", "debts"),
    ("ZVW-", "debts"), ("GRIFFIE-", "justice"), ("PLEEG-", "upbringing"), ("KO-", "upbringing"),
    ("MULTIPROBLEEM", "upbringing"), ("DETENTIE-", "justice"), ("JUSTITIE-", "justice"),
    ("ZORG-", "physical_health"), ("ZH-", "physical_health"), ("HUISARTS", "physical_health"),
    ("GGZ-", "mental_health"), ("SW-", "social_network"), ("WMO-", "physical_health"),
    ("PRODUCTIVITEIT", "work"), ("MANTELZORG", "social_network"),
    ("GRIFFIE", "justice"), ("JEUGD", "upbringing"), ("BD", "debts"), ("HAP", "physical_health"),
    ("RECHTSBIJSTAND", "justice"), ("KINDERBIJSLAG", "income"), ("BUDGETBEHEER", "debts"),
    ("NACHTOPVANG", "housing"), ("ZORGTOESLAG", "income"), ("WML", "income"),
    ("POLITIE", "safety"), ("AOW", "income"), ("ID", "justice"), ("STUFI", "education"),
    ("ENERGIETOESLAG", "income"), ("MENTOR", "mental_health"), ("TEGEMOETKOMING", "income"),
    ("HUURTOESLAG", "income"), ("WSNP", "debts"), ("PROCESKOSTEN", "justice"),
    ("INCASSOKOSTEN", "debts"), ("PASPOORT", "justice"), ("CJIB", "debts"),
    ("VERZUIM", "work"), ("KIND", "upbringing"), ("BABY", "upbringing"),
    ("INBURGERING", "education"),
]  # fmt: skip
BEARER_WORDS = {
    "gemeente",
    "centrumgemeente",
    "bijzondere bijstand",
    "rijk",
    "uwv",
    "woningcorporatie",
    "zorgverzekeraar",
    "werkgever",
    "huishouden",
    "bewoner",
    "schuldenaar",
    "eiser",
    "meerdere",
}  # costs/seed.py BEARERS


def domain(code):
    for prefix, value in DOMAIN_PREFIXES:
        if code.startswith(prefix):
            return value
    raise ValueError(code)


def costs():
    old = read(COSTS / "cost_items.csv")
    out = list(old)
    codes = {r["code"] for r in old}
    prices = {(r["code"], r["price_date"], r["amount_eur"]) for r in old}
    left_out = []
    for name in ("candidate_cost_items.csv", "candidate_cost_items_kostenhandleiding.csv"):
        for r in read(RESEARCH / name):
            needed = ("source_url", "price_date", "grade", "bearer", "unit", "amount_eur")
            if any(not r[k] for k in needed) or r["bearer"] not in BEARER_WORDS:
                left_out.append(r["code"])
                continue
            code = NEW_PRICE_OF.get(r["code"], r["code"])
            if (code, r["price_date"], r["amount_eur"]) in prices:
                continue  # merged before
            if code not in NEW_PRICE_OF.values() and code in codes:
                left_out.append(r["code"])
                continue
            base = next((o for o in old if o["code"] == code), None)
            row = {**r, "code": code, "note_nl": "", "life_domain": domain(code)}
            row.pop("read_at", None)
            if base is not None:  # a new price: the item's names and unit stay the item's
                row.update({k: base[k] for k in ("name_nl", "name_en", "unit", "cost_type")})
            out.append(row)
    return out, left_out


if __name__ == "__main__":
    provision_list, p_out = provisions()
    write(LEGAL / "legal_provisions.csv", PROVISION_FIELDS, provision_list)
    rule_list, r_out = rules({r["code"] for r in provision_list})
    write(LEGAL / "blocking_rules.csv", RULE_FIELDS, rule_list)
    cost_list, c_out = costs()
    write(COSTS / "cost_items.csv", COST_FIELDS, cost_list)
    laws = {r["law_code"] for r in provision_list}
    items = {r["code"] for r in cost_list}
    print(f"provisions {len(provision_list)} (left out, not verified: {len(p_out)}: {p_out})")
    print(f"laws {len(laws)}")
    print(f"rules {len(rule_list)} (left out {len(r_out)}: {r_out})")
    print(f"cost rows {len(cost_list)}, items {len(items)} (left out {c_out})")
