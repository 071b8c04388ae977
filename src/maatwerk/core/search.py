"""Full-text search in Dutch behind one interface, on PostgreSQL and on SQLite.

Any app indexes its objects under a `kind` ("library.example", later "legal.blocking_rule") and
asks `search(kind, query, allowed)` for the ids that match, best first. The caller decides what
the user may see: `allowed` is a queryset of the ids (or a list of them) the search is limited to,
applied inside the one search query, so visibility is never an afterthought on a page of results.

Two backends, one behaviour (tests/core/test_search.py runs the same tests on both):

- PostgreSQL (production): a generated `tsvector` column with the `dutch` configuration (Snowball
  Dutch stemmer and stop words), a GIN index, `plainto_tsquery` and `ts_rank` with weights A–D.
- SQLite (the embedded default): FTS5, which has no Dutch stemmer, so words are stemmed here in
  Python with the same Snowball algorithm PostgreSQL uses (`dutch_porter` in snowballstemmer 3;
  its newer `dutch` stems "schulden" to "schul" and "gemeente" to "meen", and would not agree with
  the database) and the same stop words, for the index and for the query alike. Ranked by bm25
  with the same proportions between the weights as PostgreSQL's defaults.

A query is never passed to a query language as it was typed: `query_terms` keeps only words
(letters and digits), so quotes, `*`, `-`, `NEAR`, `OR` and brackets are plain text, never syntax;
all words must match (AND). `search_any` takes several such queries and finds what matches any
of them (OR of ANDs: a query expanded with synonyms), built from the same quoted stems or
`plainto_tsquery` parameters, so it adds no syntax either. The pure functions (`words`,
`query_terms`, `fts5_match`, `fts5_match_any`, `snippet`) need no database and are tested with
Hypothesis.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from .models import SearchDocument

WEIGHTS = ("A", "B", "C", "D")
DEFAULT_WEIGHT = "C"
# PostgreSQL's ts_rank defaults ({D 0.1, C 0.2, B 0.4, A 1.0}); bm25 takes them per column.
_BM25_WEIGHTS = "1.0, 0.4, 0.2, 0.1"
# A longer query is cut: nobody types more, and it bounds the work one request can ask for.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 16
# `search_any`: how many alternatives one search may OR together (a typed query and its synonyms).
MAX_ALTERNATIVES = 32

# PostgreSQL's tsearch_data/dutch.stop (the Snowball list), so both backends drop the same words.
STOP_WORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar
    heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel
    meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt
    wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest andere""".split()  # noqa: SIM905
)

# A word: letters and digits (no underscore); everything else separates words.
_WORD = re.compile(r"[^\W_]+")
_local = threading.local()


class Hit(NamedTuple):
    object_id: int
    rank: float


def _stemmer():
    # A Snowball stemmer object keeps state while it stems: one per thread (gthread workers).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch_porter")
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball Dutch stem of one lower-case word (cached: the same words come back)."""
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """The lower-case words of a text, without Dutch stop words, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stemmed_text(text: str) -> str:
    """What SQLite's FTS5 table holds for a text: its stems, separated by spaces."""
    return " ".join(stem(w) for w in words(text))


# Dutch writes compounds as one word ("huurachterstand", "energieachterstand", "jeugdzorg"), and
# a stemmer leaves them whole, so "achterstand" would not find them. An app that wants them found
# indexes their parts too (`compound_parts`, at a low weight): every tail of a long word that is
# long enough to be a word of its own, after a head long enough to be one. No lexicon, so on both
# backends alike and for any word; a query is searched as typed. The price is some noise for
# queries that happen to end other words ("uren" finds "facturen"), which the low weight puts
# below the examples that hold the word itself.
COMPOUND_MIN_WORD = 8  # shorter words are seldom compounds
COMPOUND_MIN_HEAD = 3  # "gas|rekening", "huur|achterstand"
COMPOUND_MIN_TAIL = 4  # "jeugd|zorg", "vrijwilligers|werk"


def _tails(word: str) -> list[str]:
    """The tails of one lower-case word that may be the last part of a compound."""
    if len(word) < COMPOUND_MIN_WORD or not word.isalpha():
        return []
    return [word[i:] for i in range(COMPOUND_MIN_HEAD, len(word) - COMPOUND_MIN_TAIL + 1)]


def compound_parts(*texts: str) -> str:
    """The possible last parts of the compounds in `texts`, each once, separated by spaces: a
    field to index next to the texts themselves, so a search for a word finds the compounds
    that end in it (both backends stem them like any word)."""
    parts: dict[str, None] = {}
    for text in texts:
        for word in dict.fromkeys(words(text or "")):
            parts.update(dict.fromkeys(_tails(word)))
    return " ".join(parts)


def query_terms(query: str) -> list[str]:
    """The words of a typed query that take part in the search (empty: nothing to search for).

    Duplicates are dropped, order kept; at most MAX_QUERY_TERMS words."""
    seen: dict[str, None] = {}
    for word in words((query or "")[:MAX_QUERY_CHARS]):
        seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_TERMS]


def fts5_match(query: str) -> str | None:
    """The FTS5 MATCH expression for a typed query, or None when it has no words.

    Every stem is a quoted string, so nothing the user typed can be read as FTS5 syntax;
    space-separated strings are ANDed."""
    stems = dict.fromkeys(stem(w) for w in query_terms(query))
    if not stems:
        return None
    # Stems hold only letters and digits; doubling quotes is the FTS5 escape all the same.
    return " ".join('"' + s.replace('"', '""') + '"' for s in stems)


def fts5_match_any(queries: Iterable[str]) -> str | None:
    """The FTS5 MATCH expression that matches when any of the queries matches (each one as
    `fts5_match` makes it, all its words), or None when none has words."""
    groups = list(dict.fromkeys(m for m in map(fts5_match, queries) if m))[:MAX_ALTERNATIVES]
    if not groups:
        return None
    # Explicit AND inside brackets: FTS5 gives implicit AND a higher precedence than OR, but
    # spelling it out keeps the expression readable in a log.
    return " OR ".join("(" + g.replace('" "', '" AND "') + ")" for g in groups)


def snippet(
    text: str, query: str | Iterable[str], width: int = 200, *, compounds: bool = False
) -> list[tuple[str, bool]]:
    """A piece of `text` around the first word that matches the query, as (text, is_match)
    segments, so a template can mark the matches without marking up user text itself.

    Words match by stem, as the search does; `query` may be several queries (`search_any`),
    whose words all count. With `compounds` (for a kind indexed with `compound_parts`) a
    compound matches by its last part too. Without a match: the start of the text."""
    queries = [query] if isinstance(query, str) else list(query)
    wanted = {stem(w) for q in queries for w in query_terms(q)}

    def matches(word: str) -> bool:
        word = word.lower()
        if stem(word) in wanted:
            return True
        return compounds and any(stem(tail) in wanted for tail in _tails(word))

    spans = [m for m in _WORD.finditer(text) if m.group().lower() not in STOP_WORDS]
    first = next((m for m in spans if matches(m.group())), None)
    start = 0
    if first is not None and first.start() > width // 3:
        # Begin at a word a third of the width before the match, so it has some context.
        start = next(
            (m.start() for m in spans if m.start() >= first.start() - width // 3), first.start()
        )
    end = len(text)
    if end - start > width:
        cut = [m.end() for m in spans if start < m.end() <= start + width]
        end = cut[-1] if cut else start + width
    segments: list[tuple[str, bool]] = []
    if start > 0:
        segments.append(("… ", False))
    position = start
    for m in spans:
        if m.start() < start or m.end() > end:
            continue
        if matches(m.group()):
            if m.start() > position:
                segments.append((text[position : m.start()], False))
            segments.append((m.group(), True))
            position = m.end()
    if end > position:
        segments.append((text[position:end], False))
    if end < len(text):
        segments.append((" …", False))
    return segments


# A Dutch compound writes its parts as one word ("kinderopvang", "dagopvang"): a stem matches the
# whole word only, so "opvang" does not find them. For a short text such as a name, a part of at
# least this many letters may match inside a word as well (`parts`, `mark_parts`).
MIN_PART = 4


def parts(query: str) -> list[str]:
    """The stems of a typed query that may match as part of a compound word ("opvang" in
    "Kinderopvang"); empty when a stem is shorter than MIN_PART letters (too many words hold
    "bso" or "wet"): every word must be long enough to search for it this way."""
    stems = list(dict.fromkeys(stem(w) for w in query_terms(query)))
    if not stems or any(len(s) < MIN_PART for s in stems):
        return []
    return stems


def mark_parts(text: str, found: Iterable[str]) -> list[tuple[str, bool]]:
    """`text` as (text, is_match) segments with every word that holds one of `found` (lower
    case, e.g. from `parts`) marked whole: "<mark>Kinderopvang</mark> <mark>dagopvang</mark>"."""
    found = [f for f in found if f]
    segments: list[tuple[str, bool]] = []
    position = 0
    for m in _WORD.finditer(text):
        if any(f in m.group().lower() for f in found):
            if m.start() > position:
                segments.append((text[position : m.start()], False))
            segments.append((m.group(), True))
            position = m.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def first_snippet(texts: Iterable[str], query: str | Iterable[str]) -> list[tuple[str, bool]]:
    """The snippet of the first of `texts` that has a matched word; empty when none has."""
    for text in filter(None, texts):
        segments = snippet(text, query)
        if any(is_match for _, is_match in segments):
            return segments
    return []


def _texts(fields: Mapping[str, str], weights: Mapping[str, str] | None) -> dict[str, str]:
    texts: dict[str, list[str]] = {w: [] for w in WEIGHTS}
    for name, value in fields.items():
        weight = (weights or {}).get(name, DEFAULT_WEIGHT)
        if weight not in WEIGHTS:
            raise ValueError(f"weight of {name!r} must be one of {WEIGHTS}, not {weight!r}")
        if value:
            texts[weight].append(str(value))
    return {f"text_{w.lower()}": "\n".join(parts) for w, parts in texts.items()}


@transaction.atomic
def index_document(
    kind: str,
    object_id: int,
    fields: Mapping[str, str],
    weights: Mapping[str, str] | None = None,
) -> SearchDocument:
    """Put (or replace) the text of one object in the index.

    `fields` maps a field name to its text; `weights` maps a field name to "A" (heaviest) … "D";
    a field without a weight counts as DEFAULT_WEIGHT. Pass only text anyone who may find the
    object may read: the index is searched without looking at the object itself."""
    texts = _texts(fields, weights)
    document, _ = SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults=texts
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A flush or a restored backup can leave a row under a reused id: replace, never add.
            cursor.execute("DELETE FROM core_searchdocument_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO core_searchdocument_fts (rowid, text_a, text_b, text_c, text_d) "
                "VALUES (%s, %s, %s, %s, %s)",
                [document.pk, *(stemmed_text(texts[f"text_{w.lower()}"]) for w in WEIGHTS)],
            )
    return document


@transaction.atomic
def index_documents(
    kind: str,
    documents: Iterable[tuple[int, Mapping[str, str]]],
    weights: Mapping[str, str] | None = None,
) -> int:
    """Put many objects in the index at once ((object_id, fields) pairs): for a rebuild of the
    index and for the benchmark's generated data. Replaces what was indexed for those ids."""
    rows = [
        SearchDocument(kind=kind, object_id=object_id, **_texts(fields, weights))
        for object_id, fields in documents
    ]
    ids = [row.object_id for row in rows]
    for start in range(0, len(ids), 5000):
        remove_documents(kind, ids[start : start + 5000])
    SearchDocument.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "sqlite":
        by_object: dict[int, int] = {}
        for start in range(0, len(ids), 5000):
            chunk = SearchDocument.objects.filter(
                kind=kind, object_id__in=ids[start : start + 5000]
            )
            by_object.update(chunk.values_list("object_id", "pk"))
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO core_searchdocument_fts (rowid, text_a, text_b, text_c, text_d) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    [by_object[row.object_id]]
                    + [stemmed_text(getattr(row, f"text_{w.lower()}")) for w in WEIGHTS]
                    for row in rows
                ],
            )
    return len(rows)


def remove_documents(kind: str, object_ids: Iterable[int]) -> None:
    """Take many objects out of the index."""
    ids = list(object_ids)
    if not ids:
        return
    documents = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
    if connection.vendor == "sqlite":
        pks = list(documents.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM core_searchdocument_fts WHERE rowid = %s", [[pk] for pk in pks]
            )
    documents.delete()


@transaction.atomic
def clear(kind: str) -> None:
    """Empty the index of one kind (before a rebuild)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM core_searchdocument_fts WHERE rowid IN "
                "(SELECT id FROM core_searchdocument WHERE kind = %s)",
                [kind],
            )
    SearchDocument.objects.filter(kind=kind).delete()


@transaction.atomic
def remove_document(kind: str, object_id: int) -> None:
    """Take one object out of the index (nothing happens when it is not in it)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM core_searchdocument_fts WHERE rowid IN "
                "(SELECT id FROM core_searchdocument WHERE kind = %s AND object_id = %s)",
                [kind, object_id],
            )
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def _allowed_sql(allowed: QuerySet | Iterable[int] | None) -> tuple[str, list]:
    if allowed is None:
        return "", []
    if isinstance(allowed, QuerySet):
        if allowed.query.values_select or allowed._fields:  # already one column
            subquery = allowed
        else:
            subquery = allowed.values("pk")
        # Order is meaningless inside IN (…) and can keep the planner from hashing the subquery.
        subquery = subquery.order_by()
        try:
            sql, params = subquery.query.sql_with_params()
        except EmptyResultSet:  # e.g. `pk__in=[]`: a filter Django knows matches nothing
            return " AND 1 = 0", []
        return f" AND d.object_id IN ({sql})", list(params)
    ids = [int(i) for i in allowed]
    if not ids:
        return " AND 1 = 0", []
    return f" AND d.object_id IN ({', '.join(['%s'] * len(ids))})", ids


def _alternatives(queries: Iterable[str]) -> list[str]:
    """The queries that have words, each as its words (so duplicates fold), at most
    MAX_ALTERNATIVES."""
    seen: dict[str, None] = {}
    for query in queries:
        terms = query_terms(query)
        if terms:
            seen.setdefault(" ".join(terms), None)
    return list(seen)[:MAX_ALTERNATIVES]


def search_any(
    kind: str,
    queries: Iterable[str],
    allowed: QuerySet | Iterable[int] | None = None,
    limit: int = 100,
) -> list[Hit]:
    """The ids of the objects of `kind` whose text holds every word of at least one of
    `queries`, best first (an object matching more of the words ranks higher).

    For a query expanded with synonyms or split into its words. One query; without words, []."""
    alternatives = _alternatives(queries)
    if not alternatives:
        return []
    allowed_sql, allowed_params = _allowed_sql(allowed)
    if connection.vendor == "postgresql":
        # One plainto_tsquery per alternative, ORed with `||`: the text is always a parameter.
        combined = " || ".join(["plainto_tsquery('dutch'::regconfig, %s)"] * len(alternatives))
        sql = (
            "SELECT d.object_id, ts_rank(d.vector, q.query) AS rank "  # noqa: S608
            f"FROM core_searchdocument d, (SELECT {combined}) AS q(query) "
            "WHERE d.kind = %s AND d.vector @@ q.query" + allowed_sql + " "
            "ORDER BY rank DESC, d.object_id DESC LIMIT %s"
        )
        params = [*alternatives, kind, *allowed_params, limit]
    elif connection.vendor == "sqlite":
        sql = (
            f"SELECT d.object_id, -bm25(core_searchdocument_fts, {_BM25_WEIGHTS}) AS rank "  # noqa: S608
            "FROM core_searchdocument_fts "
            "JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid "
            "WHERE core_searchdocument_fts MATCH %s AND d.kind = %s" + allowed_sql + " "
            "ORDER BY rank DESC, d.object_id DESC LIMIT %s"
        )
        params = [fts5_match_any(alternatives), kind, *allowed_params, limit]
    else:  # pragma: no cover - the project runs on these two only
        raise NotImplementedError(f"full-text search on {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(int(object_id), float(rank)) for object_id, rank in cursor.fetchall()]


def search(
    kind: str,
    query: str,
    allowed: QuerySet | Iterable[int] | None = None,
    limit: int = 100,
) -> list[Hit]:
    """The ids of the objects of `kind` whose text holds every word of `query`, best first.

    `allowed`: a queryset (of the objects, or of their ids) or a list of ids the search is
    limited to; None searches all. One query; an empty or word-less query returns []."""
    terms = query_terms(query)
    if not terms:
        return []
    allowed_sql, allowed_params = _allowed_sql(allowed)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT d.object_id, ts_rank(d.vector, q.query) AS rank "
            "FROM core_searchdocument d, plainto_tsquery('dutch'::regconfig, %s) AS q(query) "
            "WHERE d.kind = %s AND d.vector @@ q.query" + allowed_sql + " "
            "ORDER BY rank DESC, d.object_id DESC LIMIT %s"
        )
        params = [" ".join(terms), kind, *allowed_params, limit]
    elif connection.vendor == "sqlite":
        sql = (
            # Only constants and the compiled `allowed` subquery are formatted in; input is a param.
            f"SELECT d.object_id, -bm25(core_searchdocument_fts, {_BM25_WEIGHTS}) AS rank "  # noqa: S608
            "FROM core_searchdocument_fts "
            "JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid "
            "WHERE core_searchdocument_fts MATCH %s AND d.kind = %s" + allowed_sql + " "
            "ORDER BY rank DESC, d.object_id DESC LIMIT %s"
        )
        params = [fts5_match(query), kind, *allowed_params, limit]
    else:  # pragma: no cover - the project runs on these two only
        raise NotImplementedError(f"full-text search on {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(int(object_id), float(rank)) for object_id, rank in cursor.fetchall()]


# Synonyms and situations: a maintained list per app (a CSV file with the columns term,
# expands_to (alternatives separated by ";") and note) that turns a worker's words into the
# catalogue's. Each app keeps its own file, because the words a term should lead to differ: in the
# regelbank "schuldhulp" leads to rules, in the cost catalogue to the prices of the help itself.


class Synonym(NamedTuple):
    term: str
    stems: tuple[str, ...]
    expands_to: tuple[str, ...]
    note: str


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def read_synonyms(path) -> tuple[Synonym, ...]:
    """The synonyms of one file (a term without words is left out)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Synonym(
            row["term"].strip(),
            _stems(row["term"]),
            tuple(e.strip() for e in row["expands_to"].split(";") if e.strip()),
            row["note"].strip(),
        )
        for row in rows
        if _stems(row["term"])
    )


def _contains(sequence: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(sequence[i : i + n] == part for i in range(len(sequence) - n + 1))


class Expansion(NamedTuple):
    """A query as it is searched: `strong` (all its words together, and the words and
    situations its synonyms stand for) ranks first; `weak` (each word on its own) fills up."""

    strong: list[str]
    weak: list[str]


def expansion(query: str, synonyms: Iterable[Synonym] = ()) -> Expansion:
    """The alternatives a query is searched as (any one may match).

    A synonym matches by stems, in order and next to each other ("volwassen zonen" matches
    "volwassen zoon")."""
    terms = query_terms(query)
    if not terms:
        return Expansion([], [])
    stems = tuple(stem(t) for t in terms)
    strong = [" ".join(terms)]
    for synonym in synonyms:
        if _contains(stems, synonym.stems):
            strong += synonym.expands_to
    strong = list(dict.fromkeys(strong))
    weak = [t for t in terms if t not in strong] if len(terms) > 1 else []
    return Expansion(strong, weak)


def search_expansion(
    kind: str,
    query: Expansion,
    allowed: QuerySet | Iterable[int] | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Hits for the strong alternatives first, then those for single words (one search each:
    PostgreSQL's ts_rank knows no rarity of words, so a text full of a common word would
    otherwise outrank the row a worker's situation names). Always one or two queries."""
    hits = search_any(kind, query.strong, allowed=allowed, limit=limit)
    if query.weak:  # also when the strong ones filled the page: as many queries for any data
        seen = {h.object_id for h in hits}
        more = search_any(kind, query.weak, allowed=allowed, limit=limit)
        hits += [h for h in more if h.object_id not in seen][: limit - len(hits)]
    return hits
