"""Loading the shared legal reference data (../shared/data, copied to legal/data with sources).

Used by the data migration through `load(apps)`; kept here so the mapping is readable and
testable. Works with historical models (it only uses `apps.get_model`).
"""

import csv
from pathlib import Path

from .snapshots import provision_state, rule_state

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_NOTE = "seeded from shared/data"

# The files carry everything (data as code): the law's official name, abbreviation and BWB id,
# the catalogue's own Dutch wording, who applies a provision or rule (`applied_by`, one of
# `legal.models.Applier`, with the source's words in `applied_by_nl`), a worked example and the
# version date of the article read on wetten.overheid.nl. See legal/data/README.md.


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def provision_rows() -> list[dict]:
    return [
        {
            "code": row["code"],
            "law_name": row["law"],
            "law_code": row["law_code"],
            "bwb_id": row["law_id"],
            "article": row["article"],
            "title": row["title_nl"],
            "room_nl": row["room_nl"],
            "room_en": row["room_en"],
            "applied_by": row["applied_by"],
            "applied_by_nl": row["applied_by_nl"],
            "example_nl": row["example_nl"],
            "version_date": row["version_date"] or None,
            "source_url": row["source_url"],
            "verified": row["verified"],
            "evidence": row["evidence"],
        }
        for row in _read("legal_provisions.csv")
    ]


def law_source_url(bwb_id: str) -> str:
    return f"https://wetten.overheid.nl/{bwb_id}" if bwb_id else ""


def rule_rows() -> list[dict]:
    rows = []
    for row in _read("blocking_rules.csv"):
        escapes = [c.strip() for c in row["escape_provisions"].split(";") if c.strip()]
        rows.append(
            {
                "code": row["code"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "description": row["description_nl"],
                "applied_by": row["applied_by"],
                "applied_by_nl": row["applied_by_nl"],
                "life_domain": row["life_domain"],
                "basis": row["basis_provision"].strip(),
                "basis_article": row["basis_article"],
                "basis_source_url": row["basis_source_url"],
                "basis_version_date": row["basis_version_date"] or None,
                "escapes": escapes,
                "escape_routes_nl": row["escape_routes_nl"],
                "example_nl": row["example_nl"],
                "recent_change": row["recent_change_nl"],
                "recent_change_source": row["recent_change_en"],
                "evidence": row["evidence"],
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
    """Create laws, provisions and blocking rules, each with revision 1.

    Run by the seed migration with the models of that time: only the fields they had. The
    fields added since (example, version date, ...) reach the rows through the loader
    (`manage.py load_catalogue`, run by `make migrate`), which writes revision 2.
    """
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
                source_url=law_source_url(bwb),
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
            description=row["description"],
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
