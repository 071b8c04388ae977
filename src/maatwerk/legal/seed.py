"""Loading the shared legal reference data (../shared/data, copied to legal/data with sources).

Used by the data migration through `load(apps)`; kept here so the mapping is readable and
testable. Works with historical models (it only uses `apps.get_model`).
"""

import csv
from pathlib import Path

from .snapshots import provision_state, rule_state

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_NOTE = "seeded from shared/data"

# Law name in the CSV -> abbreviation, as used in legal practice (Pw, Wmo 2015, Awb, ...).
LAWS = {
    "Participatiewet": "Pw",
    "Wet maatschappelijke ondersteuning 2015": "Wmo 2015",
    "Jeugdwet": "Jw",
    "Wet gemeentelijke schuldhulpverlening": "Wgs",
    "Algemene wet bestuursrecht": "Awb",
    "Algemene wet inkomensafhankelijke regelingen": "Awir",
    "Wet basisregistratie personen": "Wet brp",
    "Invorderingswet 1990": "IW 1990",
    "Gemeentewet": "Gemw",
    "Zorgverzekeringswet": "Zvw",
    "Regeling afsluitbeleid voor kleinverbruikers": "Regeling afsluitbeleid",
}

# Laws the CSV names short or without a BWB id: (official name, BWB id) on wetten.overheid.nl.
LAW_DETAILS = {
    "Regeling afsluitbeleid voor kleinverbruikers": (
        "Regeling afsluitbeleid voor kleinverbruikers van elektriciteit en gas",
        "BWBR0030164",
    ),
}

# Articles the CSV names by a word instead of a number, which then reads twice beside the
# law's abbreviation ("Regeling afsluitbeleid afsluitbeleid"). The regulation's § 2 (art. 2-4b:
# the procedure before a disconnection, with the offer of debt help) and § 3 (art. 5-6:
# vulnerable consumers, a serious health risk) hold what the provision describes.
ARTICLES = {
    "ENERGIE-AFSLUIT": "art. 2-6",
}

# The CSV names who applies a rule as the source does; the catalogue uses a fixed list.
APPLIERS = {
    "gemeente": "municipality",
    "gemeente_brp": "municipality_brp",
    "belastingdienst_toeslagen": "tax_allowances",
    "energieleverancier": "energy_supplier",
    "cak": "cak",
    "uwv": "uwv",
    "svb": "svb",
}

# Life domain per blocking rule (the CSV carries none); "" = applies across domains.
RULE_DOMAINS = {
    "KOSTENDELERSNORM": "income",
    "ZOEKTERMIJN-27": "income",
    "FRAUDESCHULD-SCHULDREGELING": "debts",
    "HUURINKOMSTEN-INKOMEN": "income",
    "GIFTEN-INKOMEN": "income",
    "TOESLAG-VERREKEND": "debts",
    "BRP-INSCHRIJVING": "housing",
    "JONGERENNORM": "income",
    "TERUGVORDERING-VERPLICHT": "debts",
    "SCHULDHULP-UITSLUITING": "debts",
    "ENERGIE-AFSLUITING": "housing",
    "CATEGORIALE-UITSLUITING": "physical_health",
    "BELEIDSREGEL-ONEVENREDIG": "",
    "ZORGVERZEKERING-WANBETALING": "debts",
}

# The catalogue's own Dutch wording of the room each provision gives (the CSV has English).
ROOM_NL = {
    "PW-18-1": "De gemeente stemt de bijstand en de verplichtingen af op de omstandigheden en "
    "middelen van de persoon. Zij kan de norm verhogen (bijvoorbeeld om de kostendelersnorm te "
    "compenseren) of verlagen. De afweging staat in het dossier en in het besluit.",
    "PW-16-1": "Bijstand in afwijking van de wet bij zeer dringende redenen. De rechtspraak "
    "(CRvB 2023:985) rekent daar naast levensbedreigende situaties ook ernstige gevolgen voor de "
    "gezondheid toe.",
    "PW-35": "Bijzondere bijstand voor noodzakelijke kosten die voortkomen uit bijzondere "
    "omstandigheden.",
    "PW-22A": "Kostendelersnorm: huisgenoten onder de 27, studenten, commerciële huurders en "
    "kostgangers tellen niet mee.",
    "PW-31-33": "Giften kunnen worden vrijgelaten; kostgeld telt alleen mee voor zover de "
    "kostendelersnorm het voordeel nog niet verrekent.",
    "PW-58-8": "De gemeente kan om dringende redenen geheel of gedeeltelijk afzien van "
    "terugvordering.",
    "PW-60C": "Geen medewerking aan een schuldregeling voor een fraudevordering als die tot "
    "kwijtschelding leidt (een belemmerende regel; zie PW-58-8 en WGS-3-3).",
    "PW-41-11": "Zoektermijn van vier weken voor jongeren onder de 27. Sinds 1 januari 2026 kan "
    "de gemeente die voor kwetsbare jongeren laten vervallen.",
    "PW-44-5": "Bijstand met terugwerkende kracht (nieuw in de Participatiewet in balans).",
    "WMO-235": "Een maatwerkvoorziening na individueel onderzoek; voorzieningen mogen niet "
    "categoraal worden uitgesloten.",
    "WMO-236": "Op verzoek een persoonsgebonden budget in plaats van zorg in natura.",
    "JW-23": "Plicht tot een individuele voorziening jeugdhulp waar het eigen netwerk van het "
    "kind tekortschiet.",
    "WGS-3-3": "De gemeente mag schuldhulp weigeren aan iemand die voor fraude is "
    "gesanctioneerd, maar hoeft dat niet.",
    "WGS-VROEG": "Vroegsignalering van achterstanden in huur, energie, water en "
    "zorgverzekering is sinds 2021 een wettelijke taak.",
    "WGS-GEEN-UITSLUITING": "Een weigering vraagt een individuele afweging; groepen in het "
    "algemeen uitsluiten mag niet.",
    "AWB-3-4-2": "De nadelige gevolgen van een besluit mogen niet onevenredig zijn in "
    "verhouding tot de doelen. Geldt voor elk besluit met beoordelingsruimte.",
    "AWB-4-84": "Afwijken van een beleidsregel als de gevolgen onevenredig zouden zijn; niet van "
    "een wet of verordening.",
    "AWIR-HARDHEID": "Toeslagen mag afwijken waar het toepassen van de regels onredelijk hard "
    "uitpakt. Het artikelnummer moet nog worden gecontroleerd.",
    "TOESLAG-VERREKENING": "Sinds december 2020 geen nieuwe verrekening van toeslagen met "
    "schulden onder de standaardbetalingsregeling; de beslagvrije voet moet worden gerespecteerd.",
    "BRP-BRIEFADRES": "Sinds 2022 moet de gemeente iedereen zonder woonadres zo nodig op een "
    "briefadres inschrijven, desnoods op haar eigen adres.",
    "INV-26": "Kwijtschelding van rijksbelastingen voor wie niet kan betalen.",
    "GW-255": "De gemeenteraad stelt het beleid voor kwijtschelding van gemeentelijke "
    "belastingen vast.",
    "ZVW-18A": "Regeling voor onbetaalde premies van de zorgverzekering via het CAK.",
    "ENERGIE-AFSLUIT": "Geen afsluiting van energie tijdens schuldhulp of bij een ernstig "
    "gezondheidsrisico.",
}

# The catalogue's own Dutch wording of each rule's recent changes (the CSV has English).
RECENT_CHANGE_NL = {
    "KOSTENDELERSNORM": "Leeftijdsgrens op 1 januari 2023 verhoogd van 21 naar 27 jaar; de "
    "Participatiewet in balans versoepelt de regel bij zorgsituaties vanaf 2026.",
    "ZOEKTERMIJN-27": "Vanaf 1 januari 2026 kan de gemeente de zoektermijn laten vervallen voor "
    "kwetsbare jongeren.",
    "FRAUDESCHULD-SCHULDREGELING": "De Wet handhaving sociale zekerheid is in voorbereiding.",
    "GIFTEN-INKOMEN": "Vrijlating van giften in de Participatiewet in balans.",
    "TOESLAG-VERREKEND": "Verrekening gestopt in december 2020 voor nieuwe gevallen.",
    "BRP-INSCHRIJVING": "Plicht tot inschrijving op een briefadres sinds 2022.",
    "JONGERENNORM": "Gelijkgetrokken in de Participatiewet in balans.",
    "ENERGIE-AFSLUITING": "Structureel sinds 2023.",
}


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def provision_rows() -> list[dict]:
    rows = []
    for row in _read("legal_provisions.csv"):
        law_name, bwb_id = LAW_DETAILS.get(row["law"], (row["law"], row["law_id"]))
        rows.append(
            {
                "code": row["code"],
                "law_name": law_name,
                "law_code": LAWS[row["law"]],
                "bwb_id": row["law_id"] or bwb_id,
                "article": ARTICLES.get(row["code"], row["article"]),
                "title": row["title_nl"],
                "room_nl": ROOM_NL[row["code"]],
                "room_en": row["room_en"],
                "source_url": row["source_url"],
                "verified": row["verified"],
            }
        )
    return rows


def rule_rows() -> list[dict]:
    rows = []
    for row in _read("blocking_rules.csv"):
        escapes = [c.strip() for c in row["escape_provisions"].split(";") if c.strip()]
        rows.append(
            {
                "code": row["code"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "applied_by": APPLIERS[row["applied_by"]],
                "life_domain": RULE_DOMAINS[row["code"]],
                "basis": row["basis_provision"].strip(),
                "escapes": escapes,
                "recent_change": RECENT_CHANGE_NL.get(row["code"], ""),
                "recent_change_source": row["recent_change"],
            }
        )
    return rows


def unlinked_codes() -> list[tuple[str, str]]:
    """(rule code, provision code) pairs in blocking_rules.csv without a provision row."""
    known = {r["code"] for r in provision_rows()}
    return [
        (rule["code"], code)
        for rule in rule_rows()
        for code in [rule["basis"], *rule["escapes"]]
        if code and code not in known
    ]


def load(apps) -> None:
    """Create laws, provisions and blocking rules, each with revision 1."""
    Law = apps.get_model("legal", "Law")
    Provision = apps.get_model("legal", "Provision")
    ProvisionRevision = apps.get_model("legal", "ProvisionRevision")
    BlockingRule = apps.get_model("legal", "BlockingRule")
    BlockingRuleEscape = apps.get_model("legal", "BlockingRuleEscape")
    BlockingRuleRevision = apps.get_model("legal", "BlockingRuleRevision")

    missing = unlinked_codes()
    if missing:
        raise ValueError(f"blocking rules refer to unknown provisions: {missing}")

    laws: dict[str, object] = {}
    provisions: dict[str, object] = {}
    for row in provision_rows():
        law = laws.get(row["law_name"])
        if law is None:
            bwb = row["bwb_id"]
            law = laws[row["law_name"]] = Law.objects.create(
                code=row["law_code"],
                name=row["law_name"],
                bwb_id=bwb,
                source_url=f"https://wetten.overheid.nl/{bwb}" if bwb else "",
            )
        provision = Provision.objects.create(
            code=row["code"],
            law=law,
            article=row["article"],
            title=row["title"],
            room_nl=row["room_nl"],
            room_en=row["room_en"],
            source_url=row["source_url"],
            verified=row["verified"],
            version=1,
        )
        provisions[row["code"]] = provision
        state = provision_state(provision)
        ProvisionRevision.objects.create(
            provision=provision,
            version=1,
            changes={k: {"old": None, "new": v} for k, v in state.items()},
            snapshot=state,
            note=SEED_NOTE,
        )
    for row in rule_rows():
        rule = BlockingRule.objects.create(
            code=row["code"],
            name_nl=row["name_nl"],
            name_en=row["name_en"],
            applied_by=row["applied_by"],
            life_domain=row["life_domain"],
            basis_provision=provisions[row["basis"]] if row["basis"] else None,
            recent_change=row["recent_change"],
            version=1,
        )
        BlockingRuleEscape.objects.bulk_create(
            BlockingRuleEscape(rule=rule, provision=provisions[code], position=i)
            for i, code in enumerate(row["escapes"])
        )
        state = rule_state(rule, row["escapes"])
        BlockingRuleRevision.objects.create(
            rule=rule,
            version=1,
            changes={k: {"old": None, "new": v} for k, v in state.items()},
            snapshot=state,
            note=SEED_NOTE,
        )
