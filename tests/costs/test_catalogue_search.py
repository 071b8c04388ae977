"""The cost catalogue searched as a worker speaks (costs/search.py): (query → expected cost item)
pairs, on SQLite and on PostgreSQL (run with DATABASE_URL=postgres://… for the second). The
expected item must be among the first TOP rows the catalogue page would list; where several items
answer the words equally (the catalogue has five prices for hulp bij het huishouden), any of them.
PostgreSQL's ts_rank and SQLite's bm25 order equal answers differently."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.core.models import SearchDocument
from maatwerk.costs import search as costs_search
from maatwerk.costs import selectors, services
from maatwerk.costs.models import CostItem

from ..factories import TeamFactory, user_with_role

TOP = 3

HOUSEHOLD_HELP = ("WMO-HH-UUR", "WMO-HH-MEERINZICHT", "WMO-HH-WESTERVELD", "WMO-HH-PGB-ZZP")
PROTECTED_LIVING = ("BW-INTENSIEF", "BW-PGB-ETMAAL", "BW-PGB-NETWERK", "BW-PGB-TOESLAG-INTENSIEF")

# (what a worker types, the code of the cost item they are looking for, or the codes of the
# items that answer it equally)
PAIRS = [
    ("huisuitzetting", "HUUR-UITZ-DIRECT"),
    ("uit huis gezet", ("HUUR-UITZ-DIRECT", "HUUR-UITZ-MAATSCH", "DEURW-ONTRUIMING")),
    ("maatschappelijke kosten van een uitzetting", "HUUR-UITZ-MAATSCH"),
    ("ontruiming door de deurwaarder", "DEURW-ONTRUIMING"),
    ("schuldhulp", "BEWIND-SCHULD"),
    ("schulden", "SCHULD-PROBL"),
    ("beschermingsbewind", "BEWIND-STD"),
    ("dakloos", "MO-CEBEON"),
    ("slapen in de nachtopvang", "NACHTOPVANG-EIGEN-BIJDRAGE"),
    ("zit in de gevangenis", "DETENTIE-VOLW"),
    ("uithuisplaatsing naar een gezinshuis", "JEUGD-GEZINSHUIS"),
    ("eerste hulp", "ZORG-SEH"),
    ("ambulance", "ZORG-AMBU"),
    ("huishoudelijke hulp", HOUSEHOLD_HELP),
    ("beslag op loon", "DEURW-LOONBESLAG"),
    ("verkeersboete", "CJIB-ADMINKOSTEN"),
    ("werkloos", "WW-JAAR"),
    ("pro deo advocaat", "RECHTSBIJSTAND-EB-LAAG"),
    ("verslaafd en psychiatrie", PROTECTED_LIVING),
    ("huisartsenpost 's nachts", "HAP-CONSULT"),
    ("ziekteverzuim", "VERZUIM-DAG"),
    ("energierekening", "ENERGIETOESLAG-2023"),
    ("mantelzorger", "MANTELZORG-UUR"),
    ("id-kaart", "ID-KAART-18PLUS"),
    # Part of a compound word: only "Gastouderopvang" holds it.
    ("gastouder", "KO-GASTOUDER-UUR"),
]


@pytest.fixture
def worker(db, seeded_catalogues):
    return user_with_role(Role.WORKER, TeamFactory())


def _codes(user, query, **filters):
    return [r.item.code for r in selectors.catalogue(user, text=query, **filters)]


def test_at_least_twelve_pairs():
    assert len(PAIRS) >= 12


def test_the_synonyms_file_is_well_formed():
    terms = [s.term for s in costs_search.synonyms()]
    assert len(terms) == len(set(terms)), "a term twice"
    for synonym in costs_search.synonyms():
        assert synonym.expands_to and synonym.note, synonym.term
    assert "ontruiming" in costs_search.expansion("Huisuitzetting?").strong


@pytest.mark.parametrize(("query", "code"), PAIRS)
def test_worker_words_find_the_cost_item(worker, query, code):
    codes = (code,) if isinstance(code, str) else code
    for c in codes:
        assert CostItem.objects.filter(code=c, organisation=None).exists(), f"no item {c}"
    found = _codes(worker, query)
    assert set(codes) & set(found[:TOP]), f"{query!r}: {codes} not in the top {TOP} of {found[:8]}"


def test_results_are_ranked_and_show_the_matched_words(worker):
    rows = selectors.catalogue(worker, text="huisuitzetting")
    assert rows[0].item.code.startswith("HUUR-UITZ")
    assert [text for text, hit in rows[0].marked_name if hit] == ["Huisuitzetting"]
    assert "".join(text for text, _ in rows[0].marked_name) == rows[0].item.name_nl
    # A synonym's word is marked where it matched: the deurwaarder's ontruiming.
    eviction = next(r for r in rows if r.item.code == "DEURW-ONTRUIMING")
    assert [text for text, hit in eviction.marked_name if hit] == ["ontruiming"]
    # A match in the note only: a piece of the note with the word marked.
    rows = selectors.catalogue(worker, text="Westerveld")
    assert rows and all(r.item.code.startswith("WMO-") for r in rows)
    assert any(hit and text == "Westerveld" for r in rows for text, hit in r.snippet)


def test_other_filters_still_apply_to_a_search(worker):
    everywhere = _codes(worker, "ontruiming")
    assert {"DEURW-ONTRUIMING", "GRIFFIE-RP-ONBEPAALD"} <= set(everywhere)
    justice = _codes(worker, "ontruiming", life_domain="justice")
    assert justice and "GRIFFIE-RP-ONBEPAALD" in justice and "DEURW-ONTRUIMING" not in justice
    # Grade A is only for an official source (test_grade_sources): the bailiff tariffs quoted by
    # schuldinfo.nl are B.
    graded = selectors.catalogue(worker, text="ontruiming", grade="B")
    assert graded and all(r.version.grade == "B" for r in graded)


def test_a_query_of_no_words_finds_nothing_and_no_query_lists_all(worker):
    assert selectors.catalogue(worker, text="de het !!") == []
    assert len(selectors.catalogue(worker)) == CostItem.objects.filter(retired_at=None).count()


def test_every_shared_item_is_indexed_in_dutch(db, seeded_catalogues):
    items = CostItem.objects.filter(organisation=None)
    documents = SearchDocument.objects.filter(kind=costs_search.KIND)
    assert documents.count() == items.count()
    eviction = documents.get(object_id=items.get(code="HUUR-UITZ-DIRECT").pk)
    assert "Huisuitzetting" in eviction.text_a
    assert "Wonen" in eviction.text_c and "Woningcorporatie" in eviction.text_c, eviction.text_c


def test_a_local_item_is_found_by_its_own_organisation_only(db, seeded_catalogues):
    team, other = TeamFactory(), TeamFactory()
    admin = user_with_role(Role.ADMIN, team)
    item = services.add_local_item(
        actor=admin,
        organisation_id=team.organisation_id,
        code="LOKAAL-VOEDSELBANK",
        name_nl="Voedselpakket van de voedselbank",
        name_en="Food parcel",
        description="",
        life_domain="income",
        unit="per_event",
        bearer="municipality",
        cost_type="fiscal",
        amount=Decimal("25"),
        price_date=selectors.timezone.localdate(),
        grade="C",
        source_title="Eigen opgave",
        source_url="https://example.org/voedselbank",
        note="Prijs van de plaatselijke stichting",
    )
    own = user_with_role(Role.WORKER, team)
    stranger = user_with_role(Role.WORKER, other)
    assert _codes(own, "voedselbank") == [item.code]
    assert _codes(own, "plaatselijke stichting") == [item.code]
    assert _codes(stranger, "voedselbank") == []


def test_a_local_price_on_a_shared_item_stays_out_of_the_shared_index(db, seeded_catalogues):
    team = TeamFactory()
    admin = user_with_role(Role.ADMIN, team)
    item = CostItem.objects.get(code="WMO-HH-UUR", organisation=None)
    before = SearchDocument.objects.get(kind=costs_search.KIND, object_id=item.pk)
    services.add_local_price(
        actor=admin,
        item=item,
        organisation_id=team.organisation_id,
        amount=Decimal("40"),
        price_date=selectors.timezone.localdate(),
        grade="C",
        source_title="Eigen contract",
        source_url="https://example.org/contract",
        note="geheimzinnigwoord uit ons contract",
    )
    after = SearchDocument.objects.get(kind=costs_search.KIND, object_id=item.pk)
    assert after.text_b == before.text_b
    assert _codes(user_with_role(Role.WORKER, TeamFactory()), "geheimzinnigwoord") == []


def test_the_loader_keeps_the_index_fresh_and_moves_the_stamp(db, seeded_catalogues):
    from maatwerk.core import search as core_search
    from maatwerk.costs import sync
    from maatwerk.costs.search import KIND

    worker = user_with_role(Role.WORKER, TeamFactory())
    item = CostItem.objects.get(code="HUUR-UITZ-DIRECT", organisation=None)
    # A deployment whose index is behind (a restore, an old release): the load rebuilds it.
    costs_search.core_search.remove_document(costs_search.KIND, item.pk)
    stamp = selectors.catalogue_stamp(worker)

    def indexed():
        # The index itself: the page would still find the item by the words of its name.
        return item.pk in [h.object_id for h in core_search.search(KIND, "huisuitzetting")]

    assert not indexed()
    sync.load()
    assert indexed()
    assert "HUUR-UITZ-DIRECT" in _codes(worker, "huisuitzetting")
    assert selectors.catalogue_stamp(worker) != stamp


def test_reindex_search_rebuilds_the_catalogue_index(db, seeded_catalogues):
    SearchDocument.objects.filter(kind=costs_search.KIND).delete()
    out = StringIO()
    call_command("reindex_search", stdout=out)
    count = CostItem.objects.count()
    assert f"kostencatalogus: {count} kostenposten" in out.getvalue()
    assert SearchDocument.objects.filter(kind=costs_search.KIND).count() == count


def test_the_catalogue_page_marks_the_matched_words(client, worker):
    client.force_login(worker)
    page = client.get(reverse("costs:catalogue") + "?q=huisuitzetting").content.decode()
    assert "<mark>Huisuitzetting</mark> directe kosten" in page
    assert "beste overeenkomst eerst" in page


def test_the_calculator_search_still_finds_a_word_half_typed(worker):
    from maatwerk.costs import line_rows

    assert any(r.item.code.startswith("PW-NORM") for r in line_rows.search(worker, "bijstandsn"))
    assert len(line_rows.search(worker, "bijstand")) == 8


def test_a_whole_code_finds_that_item_only(worker):
    assert _codes(worker, "huur-uitz-direct") == ["HUUR-UITZ-DIRECT"]
    # Not a code of any item: searched as words.
    assert "HUUR-UITZ-DIRECT" in _codes(worker, "HUUR-UITZ")


def test_a_word_finds_the_compounds_that_end_in_it(worker):
    # "opvang" is a word of its own in "maatschappelijke opvang", and the last part of
    # "Kinderopvang dagopvang", "Gastouderopvang" and "Logeeropvang": a stem matches whole words
    # only, so the compounds come after the index's hits, found by the part of their name.
    rows = selectors.catalogue(worker, text="opvang")
    codes = [r.item.code for r in rows]
    assert {"MO-PLEK-JAAR", "KO-DAGOPVANG-UUR", "KO-GASTOUDER-UUR", "WMO-LOGEER-ALLIN"} <= set(
        codes
    )
    assert codes.index("MO-PLEK-JAAR") < codes.index("KO-DAGOPVANG-UUR")
    assert len(codes) == len(set(codes))
    day_care = next(r for r in rows if r.item.code == "KO-DAGOPVANG-UUR")
    assert [t for t, hit in day_care.marked_name if hit] == ["Kinderopvang", "dagopvang"]
    assert "".join(t for t, _ in day_care.marked_name) == day_care.item.name_nl
    # Every word must be in the name; a word under four letters is too common a part to search so.
    assert "KO-DAGOPVANG-UUR" in _codes(worker, "opvang kinder")
    assert "KO-GASTOUDER-UUR" not in _codes(worker, "opvang kinder")
    assert "KO-DAGOPVANG-UUR" not in _codes(worker, "bso opvang")
    # The other filters apply to these as well.
    assert "KO-DAGOPVANG-UUR" not in _codes(worker, "opvang", life_domain="housing")
