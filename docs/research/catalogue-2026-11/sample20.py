"""Write sample20.md: 20 loaded catalogue rows chosen at random (seed 18), each with the
sentence of its source that supports it. Run from the project root after each merge."""

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEED = 18


def read(path):
    with open(ROOT / path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rows():
    out = []
    for r in read("src/maatwerk/legal/data/legal_provisions.csv"):
        out.append(
            (
                "wetsartikel",
                r["code"],
                f"{r['law_code']} {r['article']} – {r['title_nl']}",
                r["source_url"],
                r["version_date"],
                r["evidence"],
            )
        )
    for r in read("src/maatwerk/legal/data/blocking_rules.csv"):
        out.append(
            (
                "belemmerende regel",
                r["code"],
                f"{r['name_nl']} (berust op {r['basis_article']})",
                r["basis_source_url"],
                r["basis_version_date"],
                r["evidence"],
            )
        )
    for r in read("src/maatwerk/costs/data/cost_items.csv"):
        out.append(
            (
                "kostenpost",
                r["code"],
                f"{r['name_nl']}: € {r['amount_eur']} {r['unit']}, graad {r['grade']}",
                r["source_url"],
                r["price_date"],
                r["evidence"],
            )
        )
    return out


if __name__ == "__main__":
    loaded = rows()
    with_evidence = [r for r in loaded if r[5]]
    draw = random.Random(SEED).sample(with_evidence, 20)  # noqa: S311 -- a review sample
    chosen = sorted(draw, key=lambda r: (r[0], r[1]))
    lines = [
        "# 20 loaded rows chosen at random, with the sentence of the source (issue 18)",
        "",
        f"Chosen by `sample20.py` (random.Random({SEED}).sample) from the "
        f"{len(with_evidence)} rows of the catalogue files that carry the sentence of their "
        "source (`evidence`); "
        f"{len(loaded) - len(with_evidence)} rows, loaded before issue 18, have none recorded "
        f"and cannot be drawn. {len(loaded)} rows in all. The sentence is quoted as read "
        "([...] marks a cut); the row itself is written in our own words.",
        "",
    ]
    for i, (kind, code, what, url, when, evidence) in enumerate(chosen, 1):
        lines += [
            f"{i}. **{code}** ({kind}) — {what}",
            f"   - bron: <{url}> (datum: {when})",
            f"   - zin uit de bron: “{evidence.strip()}”",
            "",
        ]
    (ROOT / "docs/research/catalogue-2026-11/sample20.md").write_text("\n".join(lines))
    print(f"{len(chosen)} of {len(with_evidence)}")
