"""The regelbank searched as a worker speaks (legal/search.py): (query → expected code) pairs
written from how workers describe situations, on SQLite and on PostgreSQL (run with
DATABASE_URL=postgres://… for the second). The expected code must be among the first TOP
results of its own list (the page lists rules and articles separately)."""

import pytest

from maatwerk.legal import search as legal_search
from maatwerk.legal import selectors

TOP = 3

# (what a worker types, the code of the blocking rule or provision they are looking for)
PAIRS = [
    ("mijn cliënt woont met haar volwassen zoon en krijgt minder bijstand", "KOSTENDELERSNORM"),
    ("volwassen dochter woont nog thuis", "KOSTENDELERSNORM"),
    ("kostendelersnorm", "PW-22A"),
    ("moeder verzorgt haar vader in huis mantelzorg", "KOSTENDELERSNORM"),
    ("hond", "WMO-235"),
    ("categorische uitsluiting", "WMO-235"),
    ("categorische uitsluiting", "CATEGORIALE-UITSLUITING"),
    ("de gemeente vergoedt dit nooit", "CATEGORIALE-UITSLUITING"),
    ("kamerverhuur", "HUURINKOMSTEN-INKOMEN"),
    ("cliënt verhuurt een kamer aan een student", "HUURINKOMSTEN-INKOMEN"),
    ("onderhuur", "PW-31-33"),
    ("jongere moet eerst vier weken zoeken", "ZOEKTERMIJN-27"),
    ("wachttijd jongeren bijstand", "PW-41-11"),
    ("18 jaar en een lage uitkering", "JONGERENNORM"),
    ("fraude en nu geen schuldsanering", "FRAUDESCHULD-SCHULDREGELING"),
    ("schending inlichtingenplicht schuldregeling", "PW-60C"),
    ("geld van familie gekregen", "GIFTEN-INKOMEN"),
    ("boodschappen van familie", "GIFTEN-INKOMEN"),
    ("huurtoeslag wordt verrekend met een schuld", "TOESLAG-VERREKEND"),
    ("zorgtoeslag ingehouden belastingdienst", "TOESLAG-VERREKENING"),
    ("toeslagen pakken te hard uit", "AWIR-HARDHEID"),
    ("dakloos en geen adres", "BRP-BRIEFADRES"),
    ("ex staat nog ingeschreven op haar adres", "BRP-INSCHRIJVING"),
    ("te veel ontvangen bijstand terugbetalen", "TERUGVORDERING-VERPLICHT"),
    ("afzien van terugvordering", "PW-58-8"),
    ("geweigerd bij schuldhulp", "SCHULDHULP-UITSLUITING"),
    ("gemeente weigert schuldhulp aan een hele groep", "WGS-GEEN-UITSLUITING"),
    ("gas en licht worden afgesloten", "ENERGIE-AFSLUITING"),
    ("stroom afgesloten tijdens schuldhulp", "ENERGIE-AFSLUIT"),
    ("zorgverzekering niet betaald cak", "ZORGVERZEKERING-WANBETALING"),
    ("premie zorgverzekering achterstand", "ZVW-18A"),
    ("beleidsregel is niet eerlijk voor dit gezin", "BELEIDSREGEL-ONEVENREDIG"),
    ("afwijken van beleidsregel", "AWB-4-84"),
    ("besluit is onevenredig", "AWB-3-4-2"),
    ("noodsituatie geen recht op bijstand", "PW-16-1"),
    ("crisis en geen recht op bijstand", "PW-16-1"),
    ("te laat aangevraagd", "PW-44-5"),
    ("pgb in plaats van zorg in natura", "WMO-236"),
    ("traplift", "WMO-235"),
    ("jeugdzorg voor een kind", "JW-23"),
    ("wasmachine kapot geen geld", "PW-35"),
    ("afvalstoffenheffing niet betalen", "GW-255"),
    ("kwijtschelding belastingdienst", "INV-26"),
    ("huurachterstand vroeg signaleren", "WGS-VROEG"),
    ("uitkering verhogen omstandigheden", "PW-18-1"),
    # Situations the catalogue's example situations describe (example_nl, cat18b's rows).
    ("cliënt zit vast in de gevangenis en de huur wordt niet betaald", "DETENTIE-GEEN-BIJSTAND"),
    ("moeder bleef zes weken bij haar zieke vader in het buitenland", "BUITENLAND-VIER-WEKEN"),
    ("zzp'er heeft een bestelbus en krijgt geen bijstand", "VERMOGENSGRENS-BIJSTAND"),
    ("jongen in gezinshuis wordt 18 en heeft nog geen woning", "JEUGDHULP-STOPT-18"),
    ("ex betaalt de kinderalimentatie niet", "ALIMENTATIE-INKOMEN-VERHAAL"),
    ("zzp schilder met belastingschuld geen schuldhulp", "SCHULDHULP-ZELFSTANDIGEN"),
    ("meisje van 16 zit thuis en de kinderbijslag stopt", "KINDERBIJSLAG-16-17"),
    (
        "geen huurtoeslag voor een kamer met gedeelde keuken",
        "HUURTOESLAG-ALLEEN-ZELFSTANDIGE-WONING",
    ),
    ("nulurencontract en elke maand een andere aanvulling", "WISSELENDE-INKOMSTEN-VERREKEND"),
    ("weggestuurd bij de opvang want niet uit de regio", "REGIOBINDING-OPVANG"),
]


def _codes(query):
    rules = legal_search.search_rules(query, selectors.blocking_rules())
    provisions = legal_search.search_provisions(query, selectors.provisions())
    return [r.obj.code for r in rules], [p.obj.code for p in provisions]


def test_at_least_forty_pairs():
    assert len(PAIRS) >= 40


def test_synonyms_expand_by_stem_and_in_order():
    assert "huurinkomsten" in legal_search.expand("Kamerverhuur?")
    assert "kostendelersnorm" in legal_search.expand("volwassen zonen")
    # A multi-word situation needs its words next to each other, in order.
    assert "kostendelersnorm" not in legal_search.expand("zoon volwassen")
    assert legal_search.expand("de het") == []
    for synonym in legal_search.synonyms():
        assert synonym.expands_to, synonym.term


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_catalogues")
def test_results_are_ranked_and_show_the_matched_words():
    results = legal_search.search_rules("kamerverhuur", selectors.blocking_rules())
    assert results[0].obj.code == "HUURINKOMSTEN-INKOMEN"
    assert [r.rank for r in results] == sorted((r.rank for r in results), reverse=True)
    title = [text for text, hit in results[0].title if hit]
    assert title == ["kostgeldinkomsten"], results[0].title
    # The whole title, even when the match is at its end ("… kamer (onzelfstandige …)").
    query = "cliënt verhuurt een kamer"
    for result in legal_search.search_rules(query, selectors.blocking_rules()):
        assert "".join(text for text, _ in result.title) == result.obj.name_nl
    for result in legal_search.search_provisions(query, selectors.provisions()):
        assert "".join(text for text, _ in result.title) == result.obj.title
    marked = [text.lower() for text, hit in results[0].snippet if hit]
    assert marked and all("kostgeld" in t for t in marked), results[0].snippet


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_catalogues")
def test_filters_still_apply_to_a_search():
    found = legal_search.search_provisions("kwijtschelding", selectors.provisions(law="Gemw"))
    assert [r.obj.code for r in found] == ["GW-255"]
    unfiltered = legal_search.search_provisions("kwijtschelding", selectors.provisions())
    assert {"GW-255", "INV-26"} <= {r.obj.code for r in unfiltered}


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_catalogues")
@pytest.mark.parametrize(("query", "code"), PAIRS)
def test_worker_words_find_the_rule_or_article(query, code):
    rules, provisions = _codes(query)
    is_rule = selectors.blocking_rules().filter(code=code).exists()
    assert is_rule or selectors.provisions().filter(code=code).exists(), f"no row {code}"
    found = rules if is_rule else provisions
    assert code in found[:TOP], f"{query!r}: {code} not in the top {TOP} of {found[:8]}"


@pytest.mark.django_db
def test_the_data_migration_indexed_the_seeded_regelbank():
    from maatwerk.core.models import SearchDocument
    from maatwerk.legal.models import BlockingRule, Provision

    assert SearchDocument.objects.filter(kind=legal_search.RULE_KIND).count() == (
        BlockingRule.objects.count()
    )
    assert SearchDocument.objects.filter(kind=legal_search.PROVISION_KIND).count() == (
        Provision.objects.count()
    )


@pytest.fixture
def admin(db):
    from maatwerk.accounts.roles import Role

    from ..factories import TeamFactory, user_with_role

    return user_with_role(Role.ADMIN, TeamFactory())


@pytest.mark.usefixtures("seeded_catalogues")
def test_a_persons_change_is_in_the_index_at_once(admin):
    from maatwerk.legal import services
    from maatwerk.legal.models import BlockingRule, Provision

    provision = Provision.objects.get(code="PW-35")
    assert "PW-35" not in _codes("zonnepanelen")[1]
    services.update_provision(admin, provision, room_nl="Ook voor zonnepanelen op het dak.")
    assert _codes("zonnepaneel")[1] == ["PW-35"]
    # The rules that escape through it name it: their index follows its new title.
    services.update_provision(admin, provision, title="Bijzondere bijstand en zonneboilers")
    assert "KOSTENDELERSNORM" in _codes("zonneboilers")[0]

    rule = BlockingRule.objects.get(code="JONGERENNORM")
    services.update_blocking_rule(admin, rule, description="Een studiefinancieringsgat.")
    assert _codes("studiefinancieringsgaten")[0] == ["JONGERENNORM"]
    new = services.add_blocking_rule(
        admin, code="NIEUW", name_nl="Parkeervergunning telt", applied_by="municipality"
    )
    assert _codes("parkeervergunningen")[0] == [new.code]


@pytest.mark.usefixtures("seeded_catalogues")
def test_loading_the_files_rebuilds_the_index(db):
    from maatwerk.core.models import SearchDocument
    from maatwerk.legal import sync

    SearchDocument.objects.filter(kind=legal_search.RULE_KIND).delete()
    sync.load()
    assert "HUURINKOMSTEN-INKOMEN" in _codes("kamerverhuur")[0]


@pytest.mark.usefixtures("seeded_catalogues")
def test_reindex_search_command_rebuilds_the_index(db):
    from io import StringIO

    from django.core.management import call_command

    from maatwerk.core import search as core_search
    from maatwerk.legal.models import BlockingRule, Provision

    core_search.clear(legal_search.RULE_KIND)
    assert _codes("kamerverhuur")[0] == []
    out = StringIO()
    call_command("reindex_search", stdout=out)
    rows = Provision.objects.count() + BlockingRule.objects.count()
    assert f"regelbank: {rows} rijen" in out.getvalue()
    assert "HUURINKOMSTEN-INKOMEN" in _codes("kamerverhuur")[0]


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_catalogues")
def test_hond_shows_what_it_found_and_why():
    """Walk finding: "hond" listed rows about maatwerkvoorzieningen in general. A dog is found
    through the situation it stands for (a provision refused as a category, issue 18)."""
    rules, provisions = _codes("hond")
    assert rules[0] == "CATEGORIALE-UITSLUITING"
    assert provisions[0] == "WMO-235"
    for result in legal_search.search_provisions("hond", selectors.provisions()):
        marked = [t for t, hit in result.title + result.snippet if hit]
        assert marked, f"{result.obj.code} is listed without a marked word"


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_catalogues")
def test_the_help_line_names_the_words_this_search_added(client):
    from django.urls import reverse

    from maatwerk.accounts.roles import Role

    from ..factories import TeamFactory, user_with_role

    client.force_login(user_with_role(Role.WORKER, team=TeamFactory()))
    html = client.get(reverse("legal:index"), {"q": "hond"}).content.decode()
    assert "ook gezocht op: huisdier, hulphond, categoraal uitgesloten." in html
    assert "kamerverhuur" not in html  # no fixed example any more
    plain = client.get(reverse("legal:index"), {"q": "briefadres"}).content.decode()
    assert "ook gezocht op" not in plain and "Gevonden woorden zijn gemarkeerd" in plain
