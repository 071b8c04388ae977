"""An item's "Wie betaalt" and "Soort" do not contradict each other: a cost the household pays
itself (a bailiff's fee, court fees, leges, an own contribution) is not "Geld van de overheid"
(cost type `fiscal`). Such costs are `economic`, costs to people (as the Greater Manchester CBA
model files costs to individuals); the engine counts fiscal and economic alike, so no total
changes."""

import csv

import pytest
from django.urls import reverse
from django.utils import translation

from maatwerk.accounts.roles import Role
from maatwerk.costs import seed
from maatwerk.costs.models import CostItem, CostType

from ..factories import TeamFactory, user_with_role


def _rows():
    with open(seed.DATA_DIR / "cost_items.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_no_cost_the_household_pays_is_government_money():
    household = [r for r in _rows() if seed.BEARERS.get(r["bearer"], r["bearer"]) == "household"]
    assert len(household) > 40
    assert [r["code"] for r in household if r["cost_type"] == "fiscal"] == []


@pytest.mark.django_db
def test_the_item_page_says_who_pays_and_what_kind_without_contradiction(client, seeded_catalogues):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    item = CostItem.objects.get(code="DEURW-ONTRUIMING", organisation=None)
    assert (item.bearer, item.cost_type) == ("household", "economic")
    page = client.get(reverse("costs:item", args=[item.pk])).content.decode()
    assert "Het huishouden zelf" in page
    assert "Geld van de overheid" not in page
    assert not CostItem.objects.filter(bearer="household", cost_type="fiscal").exists()


# The word a party's own money goes by in the Dutch label of the cost type `fiscal`.
FISCAL_PAYER_WORD = {
    "municipality": "overheid",
    "central_government": "overheid",
    "health_insurer": "zorgverzekeraar",
    "housing_corporation": "corporatie",
}


def _kind_nl(cost_type: str) -> str:
    with translation.override("nl"):
        return str(dict(CostType.choices)[cost_type])


def test_the_kind_label_names_the_party_that_pays():
    """What "Soort" says fits "Wie betaalt": a fiscal cost names its payer (a health insurer's
    ambulance ride is not just "Geld van de overheid"), and a cost the household pays itself is
    neither government money nor "what it costs society" (a night shelter's own contribution)."""
    wrong = []
    for r in _rows():
        bearer = seed.BEARERS.get(r["bearer"], r["bearer"])
        label = _kind_nl(r["cost_type"]).lower()
        payer_word = FISCAL_PAYER_WORD.get(bearer, "") if r["cost_type"] == "fiscal" else ""
        if payer_word not in label:
            wrong.append(r["code"])
        if bearer == "household" and ("overheid" in label or "samenleving" in label):
            wrong.append(r["code"])
    assert wrong == []


def test_money_the_household_spends_is_not_filed_as_wellbeing_or_government_money():
    # An own contribution, a child's upkeep, a maximum hourly price the parent pays the provider:
    # money out of the household's pocket is an economic cost, not "Welzijn en gezondheid".
    rows = {r["code"]: r for r in _rows()}
    for code in ("NACHTOPVANG-EIGEN-BIJDRAGE", "KIND-KOSTEN-MAAND", "BABY-UITZET",
                 "KO-DAGOPVANG-UUR", "KO-BSO-UUR", "KO-GASTOUDER-UUR"):  # fmt: skip
        assert seed.BEARERS[rows[code]["bearer"]] == "household", code
        assert rows[code]["cost_type"] == "economic", code
    assert (seed.BEARERS[rows["ZORG-AMBU"]["bearer"]], rows["ZORG-AMBU"]["cost_type"]) == (
        "health_insurer",
        "fiscal",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "payer", "kind"),
    [
        ("NACHTOPVANG-EIGEN-BIJDRAGE", "Het huishouden zelf", "Kosten voor mensen en bedrijven"),
        ("ZORG-AMBU", "Zorgverzekeraar", "zorgverzekeraar"),
    ],
)
def test_the_item_page_kind_fits_the_payer(client, seeded_catalogues, code, payer, kind):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    item = CostItem.objects.get(code=code, organisation=None)
    page = client.get(reverse("costs:item", args=[item.pk])).content.decode()
    assert payer in page
    assert kind in page
    assert "Wat het de samenleving kost" not in page
