"""Grade A ("officieel") is only for a figure read at an official source (see
docs/cost-benefit-engine.md, "Grade A figures are statutory or official tariffs"). A tariff
quoted by a news site, a practice or an advice firm is graded B until its official source is
read and cited instead."""

import csv
from urllib.parse import urlparse

from maatwerk.costs import seed

# Government, statistics, regulators, the official gazette and the municipalities the data cites.
OFFICIAL_DOMAINS = (
    "overheid.nl",  # wetten.overheid.nl, lokaleregelgeving.overheid.nl, ...
    "officielebekendmakingen.nl",
    "rijksoverheid.nl",
    "belastingdienst.nl",
    "cbs.nl",
    "zorginstituutnederland.nl",
    "nza.nl",
    "svb.nl",
    "uwv.nl",
    "duo.nl",
    "rechtspraak.nl",
    "rvr.org",
    "cjib.nl",
    "gemeentewestland.nl",
    "velsen.nl",
    "drimmelen.nl",
)


def _official(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def _rows():
    with open(seed.DATA_DIR / "cost_items.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_grade_a_row_cites_an_official_source():
    wrong = [
        (r["code"], urlparse(r["source_url"]).hostname)
        for r in _rows()
        if r["grade"] == "A" and not _official(r["source_url"])
    ]
    assert wrong == []


def test_the_allow_list_refuses_look_alike_hosts():
    assert _official("https://wetten.overheid.nl/BWBR0015703")
    assert _official("https://www.gemeentewestland.nl/x")
    assert not _official("https://drimmelen.nieuws.nl/x")  # a news site, not the municipality
    assert not _official("https://www.dutchromaniannetwork.nl/x")
    assert not _official("https://notoverheid.nl/x")
