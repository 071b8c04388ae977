"""Issue 11 (task f1): a bearer named mid-sentence is written in lower case, and "meerdere
partijen" takes a plural verb ("…terwijl meerdere partijen € 11.600,00 besparen")."""

from decimal import Decimal as D
from types import SimpleNamespace

from django.utils import translation

from maatwerk.costs import explain
from maatwerk.costs.engine import BearerRow


def _pockets(*rows: BearerRow) -> str:
    with translation.override("nl"):
        return explain._pockets(SimpleNamespace(budget_view=list(rows)))[0]


def test_several_parties_mid_sentence_in_lower_case_with_a_plural_verb():
    text = _pockets(
        BearerRow("municipality", D("0"), D("1150"), D("-1150")),
        BearerRow("several", D("11600"), D("0"), D("11600")),
    )
    assert text.startswith("Gemeente betaalt €")
    assert "terwijl meerdere partijen €\u00a011.600,00 besparen:" in text


def test_a_name_keeps_its_capital_and_one_party_takes_a_singular_verb():
    text = _pockets(
        BearerRow("municipality", D("0"), D("1150"), D("-1150")),
        BearerRow("uwv", D("5000"), D("0"), D("5000")),
    )
    assert "terwijl UWV €" in text and "bespaart:" in text
    text = _pockets(BearerRow("several", D("5000"), D("0"), D("5000")))
    assert text.startswith("Meerdere partijen besparen het meest")
    text = _pockets(BearerRow("several", D("0"), D("500"), D("-500")))
    assert text.startswith("Meerdere partijen betalen €")
