"""The generic full-text index (core/search.py): the same tests on SQLite and on PostgreSQL
(run this file with DATABASE_URL=postgres://… for the second)."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core import search
from maatwerk.core.models import SearchDocument

KIND = "test.thing"

NASTY = [
    "",
    "   ",
    '"',
    '""',
    "'",
    "*",
    "-",
    "huur*",
    "-huur",
    '"huur',
    "NEAR(huur schuld)",
    "huur NEAR schuld",
    "huur OR schuld",
    "huur AND NOT schuld",
    "(huur",
    "huur:schuld",
    "text_a:huur",
    "^huur",
    "'); DROP TABLE core_searchdocument; --",
    "de het een",  # stop words only
    "\x00huur",
    "ﬁ ß İ ǅ",
    "%s %(x)s",
]


def _index(object_id, title="", story="", facts=""):
    return search.index_document(
        KIND,
        object_id,
        {"title": title, "story": story, "facts": facts},
        {"title": "A", "story": "B", "facts": "C"},
    )


def _ids(query, **kwargs):
    return [hit.object_id for hit in search.search(KIND, query, **kwargs)]


@pytest.mark.django_db
class TestSearch:
    def test_another_inflection_finds_the_word(self):
        _index(1, story="Een huurachterstand van drie maanden dreigde tot ontruiming te leiden.")
        _index(2, story="Schuld bij de zorgverzekeraar.")
        _index(3, story="Werk gevonden via de wijkagent.")
        assert _ids("huurachterstanden") == [1]
        assert _ids("Huurachterstand") == [1]
        assert _ids("schulden") == [2]
        assert _ids("gemeenten") == []

    def test_all_words_must_match(self):
        _index(1, story="Schuld en huurachterstand tegelijk.")
        _index(2, story="Alleen een schuld.")
        _index(3, story="Alleen een huurachterstand.")
        assert _ids("schulden huurachterstanden") == [1]
        assert sorted(_ids("schulden")) == [1, 2]

    def test_compound_parts_find_a_compound_by_its_last_part(self):
        """Issue 16: "achterstand" finds "huurachterstand" and "energieachterstand" when the
        kind indexes `compound_parts`, below a text that holds the word itself; without the
        parts (as before) it does not."""

        def index(object_id, story, parts=True):
            fields = {"story": story}
            if parts:
                fields["compound_parts"] = search.compound_parts(story)
            search.index_document(KIND, object_id, fields, {"story": "B", "compound_parts": "D"})

        index(1, "Een huurachterstand van drie maanden.")
        index(2, "De achterstand bij de verhuurder liep op.")
        index(3, "Een energieachterstanden-regeling.")
        index(4, "Een huurachterstand zonder delen in de index.", parts=False)
        index(5, "Werk gevonden via de wijkagent.")
        hits = _ids("achterstanden")
        assert hits[0] == 2  # the word itself first
        assert sorted(hits) == [1, 2, 3]
        assert _ids("huurachterstand") == [4, 1] or _ids("huurachterstand") == [1, 4]
        assert _ids("agent") == [5]  # "wijkagent"
        assert _ids("achter") == []  # the head is no part: only what a compound ends in

    def test_title_ranks_above_story(self):
        _index(1, title="Voorbeeld uit de wijk", story="Er was een betalingsregeling nodig.")
        _index(2, title="Betalingsregeling met de woningcorporatie", story="Er was iets nodig.")
        hits = search.search(KIND, "betalingsregelingen")
        assert [h.object_id for h in hits] == [2, 1]
        assert hits[0].rank > hits[1].rank > 0

    @pytest.mark.parametrize("query", NASTY)
    def test_garbage_is_safe(self, query):
        _index(1, story="huur en schuld")
        result = search.search(KIND, query)
        assert isinstance(result, list)

    def test_operators_are_plain_words(self):
        _index(1, story="huur betaald")
        _index(2, story="schuld betaald")
        # "-huur" is the word huur, not "without huur"; OR is a stop word-free plain word here.
        assert _ids("-huur") == [1]
        assert _ids("huur*") == [1]
        assert _ids("huur OR schuld") == []

    def test_allowed_limits_the_search(self):
        for i in (1, 2, 3):
            _index(i, story="kwijtschelding gemeentelijke belastingen")
        assert sorted(_ids("kwijtschelding")) == [1, 2, 3]
        assert sorted(_ids("kwijtschelding", allowed=[1, 3])) == [1, 3]
        assert _ids("kwijtschelding", allowed=[]) == []
        allowed = SearchDocument.objects.filter(kind=KIND, object_id__gte=2).values("object_id")
        assert sorted(_ids("kwijtschelding", allowed=allowed)) == [2, 3]
        nothing = SearchDocument.objects.filter(pk__in=[]).values("object_id")
        assert _ids("kwijtschelding", allowed=nothing) == []

    def test_reindex_replaces_and_remove_removes(self):
        _index(1, story="bijzondere bijstand")
        _index(1, story="kwijtschelding")
        assert SearchDocument.objects.filter(kind=KIND).count() == 1
        assert _ids("bijstand") == []
        assert _ids("kwijtschelding") == [1]
        search.remove_document(KIND, 1)
        assert _ids("kwijtschelding") == []
        search.remove_document(KIND, 1)  # twice is harmless

    def test_kinds_are_separate(self):
        _index(1, story="schuldhulpverlening")
        search.index_document("other.kind", 1, {"x": "schuldhulpverlening"})
        assert _ids("schuldhulpverlening") == [1]
        search.remove_document("other.kind", 1)
        assert _ids("schuldhulpverlening") == [1]

    def test_one_query_per_search(self, django_assert_num_queries):
        _index(1, story="schuld")
        with django_assert_num_queries(1):
            search.search(KIND, "schulden", allowed=SearchDocument.objects.values("object_id"))
        with django_assert_num_queries(0):
            search.search(KIND, "de ***")

    def test_any_alternative_matches_and_more_words_rank_higher(self):
        _index(1, story="Inkomsten uit onderhuur van een kamer.")
        _index(2, story="Een hond als huisdier.")
        _index(3, story="Een huisdier en inkomsten uit onderhuur.")
        _index(4, story="Alleen inkomsten.")

        def ids(queries, **kwargs):
            return [h.object_id for h in search.search_any(KIND, queries, **kwargs)]

        # Each alternative needs all its words; any alternative will do.
        assert sorted(ids(["onderhuur inkomsten", "huisdieren"])) == [1, 2, 3]
        assert ids(["huisdier onderhuur"]) == [3]
        # Matching both alternatives ranks above matching one.
        assert ids(["huisdier", "onderhuur"])[0] == 3
        assert sorted(ids(["huisdier", "onderhuur"], allowed=[1, 2])) == [1, 2]
        assert ids(["de", "***", ""]) == []
        # OR typed by a user stays a word, also inside an alternative.
        assert ids(["huisdier OR onderhuur"]) == []

    @pytest.mark.parametrize("query", NASTY)
    def test_garbage_is_safe_in_alternatives(self, query):
        _index(1, story="huur en schuld")
        # The plain alternative still finds the row whatever the other ones hold.
        assert [h.object_id for h in search.search_any(KIND, [query, "huur"])] == [1]

    def test_search_any_is_one_query(self, django_assert_num_queries):
        _index(1, story="schuld")
        with django_assert_num_queries(1):
            search.search_any(KIND, ["schulden", "huur", "kamerverhuur"])
        with django_assert_num_queries(0):
            search.search_any(KIND, ["de ***", ""])

    def test_unknown_weight_is_refused(self):
        with pytest.raises(ValueError):
            search.index_document(KIND, 1, {"title": "x"}, {"title": "E"})


def test_terms_and_stems():
    assert search.query_terms("De huurachterstanden, de SCHULDEN!") == [
        "huurachterstanden",
        "schulden",
    ]
    assert search.fts5_match("huurachterstanden schulden") == '"huurachterstand" "schuld"'
    assert search.fts5_match('"*" - NEAR') == '"near"'
    assert search.fts5_match(" ' * ") is None


def test_compound_parts_are_the_tails_of_long_words():
    parts = search.compound_parts("Een huurachterstand, de JEUGDZORG en kinderopvangtoeslag.")
    assert parts.split() == list(dict.fromkeys(parts.split()))  # each once
    for part in ("achterstand", "zorg", "toeslag", "opvangtoeslag"):
        assert part in parts.split()
    for whole_or_short in ("huurachterstand", "huu", "een", "and", "lag"):
        assert whole_or_short not in parts.split()
    assert search.compound_parts("Kort werk, 123456789 en ab12345cd.") == ""


def test_a_snippet_marks_a_compound_by_its_last_part_when_asked():
    text = "Er was een huurachterstand."
    assert ("huurachterstand", True) in search.snippet(text, "achterstanden", compounds=True)
    assert ("huurachterstand", True) not in search.snippet(text, "achterstanden")


def test_snippet_marks_matches_around_the_first_hit():
    text = "Begin. " + "vulling " * 60 + "De schulden liepen op. " + "staart " * 60
    segments = search.snippet(text, "schuld", width=120)
    assert segments[0] == ("… ", False)
    assert ("schulden", True) in segments
    assert segments[-1] == (" …", False)
    assert len("".join(s for s, _ in segments)) <= 130
    assert search.snippet("Kort verhaal.", "niets") == [("Kort verhaal.", False)]


_fts = sqlite3.connect(":memory:")
_fts.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'unicode61 remove_diacritics 2')")
_fts.execute("INSERT INTO t VALUES ('huur schuld', 'near or and not')")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_query_building_never_raises_nor_breaks_fts5(query):
    match = search.fts5_match(query)
    if match is None:
        assert search.query_terms(query) == []
        return
    _fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=40))
def test_any_query_building_never_raises_nor_breaks_fts5(queries):
    match = search.fts5_match_any(queries)
    if match is None:
        assert all(search.query_terms(q) == [] for q in queries)
        return
    assert match.count(" OR ") < search.MAX_ALTERNATIVES
    _fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=40), st.integers(min_value=1, max_value=300))
def test_snippet_never_raises_and_quotes_the_text(text, query, width):
    segments = search.snippet(text, query, width=width)
    body = "".join(s for s, _ in segments).removeprefix("… ").removesuffix(" …")
    assert body in text
    for part, is_match in segments:
        if is_match:
            assert search.stem(part.lower()) in {search.stem(w) for w in search.query_terms(query)}


@pytest.mark.django_db
def test_many_at_once_is_the_same_as_one_by_one():
    _index(1, story="oud verhaal over bijstand")
    search.index_documents(
        KIND,
        [(1, {"story": "kwijtschelding"}), (2, {"title": "Schulden", "story": "huur"})],
        {"title": "A", "story": "B"},
    )
    assert _ids("bijstand") == []
    assert _ids("kwijtschelding") == [1]
    assert _ids("schuld") == [2]
    search.remove_documents(KIND, [1])
    assert _ids("kwijtschelding") == [] and _ids("schuld") == [2]
    search.index_document("other.kind", 2, {"x": "schuld"})
    search.clear(KIND)
    assert _ids("schuld") == [] and not SearchDocument.objects.filter(kind=KIND).exists()
    assert [h.object_id for h in search.search("other.kind", "schuld")] == [2]


def test_parts_and_marking_them_in_a_compound_word():
    from maatwerk.core.search import mark_parts, parts

    assert parts("Opvang") == ["opvang"]
    assert parts("de opvang") == ["opvang"]  # a stop word is no word of the query
    assert parts("kind opvang") == ["kind", "opvang"]
    assert parts("bso") == [] and parts("bso opvang") == [] and parts("!!") == []
    segments = mark_parts("Kinderopvang dagopvang, uurprijs", ["opvang"])
    assert segments == [
        ("Kinderopvang", True),
        (" ", False),
        ("dagopvang", True),
        (", uurprijs", False),
    ]
    assert mark_parts("niets", ["opvang"]) == [("niets", False)]
