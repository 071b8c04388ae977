"""Finding cost items in a worker's own words (core/search.py underneath, as the regelbank does).

- The index: each cost item ("costs.item") with its Dutch texts: code and Dutch name, the note of
  its own latest price (the shared price for a shared item, the organisation's for its local
  item), its description, and the Dutch labels of its life domain, bearer and unit; the source
  and the English name weigh least. A local price another organisation published on a shared
  item is never in it: the index is searched without looking at who asks. The catalogue holds no
  personal data.
- One owner keeps it fresh: costs/services.py (an organisation's item or price) and costs/sync.py
  (the data files) index what they write; `reindex_all` rebuilds it (the data migration,
  load_catalogue, `manage.py reindex_search`). `catalogue_stamp` includes the index's state, so
  the catalogue page's cache follows it.
- Synonyms and situations (data/synonyms.csv, the catalogue's own list; the regelbank keeps its
  own in legal/data): a worker says "huisuitzetting" or "schuldhulp", the catalogue says
  "ontruiming" or "bewind" and "budgetbeheer".
- Compound words: a stem matches whole words, so "opvang" misses "Kinderopvang dagopvang". After
  the index's hits come the items whose Dutch name holds every typed word as a part
  (`_by_compound_part`, core.search.parts), their compound words marked whole.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import F, Q, QuerySet
from django.utils import translation

from maatwerk.core import search as core_search
from maatwerk.core.domains import LifeDomain

from .models import Bearer, CostItem, CostItemVersion, Unit

KIND = "costs.item"
# The name and code weigh most; the note and description next; the labels of the columns the
# page shows after them; the source and the English name least.
WEIGHTS = {
    "name": "A",
    "note": "B",
    "description": "B",
    "labels": "C",
    "source": "D",
    "en": "D",
}
MAX_RESULTS = 60
SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.csv"


@lru_cache(maxsize=1)
def synonyms() -> tuple[core_search.Synonym, ...]:
    """The catalogue's maintained list of words and situations, read once per process."""
    return core_search.read_synonyms(SYNONYMS_FILE)


@lru_cache(maxsize=1)
def synonyms_version() -> str:
    """A fingerprint of the synonyms file: a release that changes it changes search results."""
    return hashlib.sha256(SYNONYMS_FILE.read_bytes()).hexdigest()[:16]


def expansion(query: str) -> core_search.Expansion:
    return core_search.expansion(query, synonyms())


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


def labels(item) -> list[str]:
    """The Dutch labels of an item's life domain, bearer and unit, as the page shows them."""
    with translation.override("nl"):
        return [
            _label(LifeDomain, item.life_domain),
            _label(Bearer, item.bearer),
            _label(Unit, item.unit),
        ]


def item_fields(item, version) -> dict[str, str]:
    """What the index holds of an item; `version`: its own latest price (or None). Reads
    plain fields only, so a data migration's historical model serves."""
    return {
        "name": f"{item.code}\n{item.name_nl}",
        "note": version.note if version is not None else "",
        "description": item.description,
        "labels": "\n".join(t for t in labels(item) if t),
        "source": version.source_title if version is not None else "",
        "en": item.name_en,
    }


def _own_versions(version_model, item_ids) -> dict[int, object]:
    """Per item its own latest price: shared for a shared item, its organisation's for a local
    item (NULL = NULL is not true in SQL, hence the two cases)."""
    versions = version_model.objects.filter(
        Q(item__organisation__isnull=True, organisation__isnull=True)
        | Q(item__organisation__isnull=False, organisation=F("item__organisation"))
    )
    if item_ids is not None:
        versions = versions.filter(item_id__in=item_ids)
    latest: dict[int, object] = {}
    for version in versions.order_by("item_id", "-price_date", "-id"):
        latest.setdefault(version.item_id, version)
    return latest


def index_items(item_ids=None, *, models=None) -> int:
    """Index the given items (None: all of them). `models`: the (CostItem, CostItemVersion)
    classes, historical ones in a data migration."""
    item_model, version_model = models or (CostItem, CostItemVersion)
    items = item_model.objects.all()
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    items = list(items)
    own = _own_versions(version_model, None if item_ids is None else [i.pk for i in items])
    # One document at a time: index_document also clears a row an earlier flush left behind.
    for item in items:
        core_search.index_document(KIND, item.pk, item_fields(item, own.get(item.pk)), WEIGHTS)
    return len(items)


def index_item(item: CostItem) -> None:
    """An item or its own price changed: the item as the index holds it."""
    index_items([item.pk])


def reindex_all(*, models=None) -> int:
    """Rebuild the catalogue's part of the index; returns how many items are in it."""
    core_search.clear(KIND)
    return index_items(models=models)


@dataclass
class Result:
    item: CostItem
    rank: float
    # The name with its matched words marked, and a piece of the note or description with a
    # matched word (empty when neither has one: the labels the row shows in its columns are
    # not repeated).
    name: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]


def search_items(query: str, qs: QuerySet[CostItem], note_of) -> list[Result]:
    """The items of `qs` (the other filters applied) that match the query or its synonyms, best
    first. `note_of(item)`: the note the page shows for the item (its current price's)."""
    alternatives = expansion(query)
    if not alternatives.strong:
        return []
    # What the worker typed ranks first, then what its synonyms stand for, then single words:
    # "huisuitzetting" lists the eviction itself before the bailiff's ontruiming.
    typed, *meant = alternatives.strong
    hits = core_search.search_expansion(
        KIND,
        core_search.Expansion([typed], [*meant, *alternatives.weak]),
        allowed=qs.values("pk"),
        limit=MAX_RESULTS,
    )
    by_pk = qs.in_bulk([h.object_id for h in hits])
    words = [*alternatives.strong, *alternatives.weak]
    results = []
    for hit in hits:
        item = by_pk.get(hit.object_id)
        if item is None:
            continue
        name = item.name_nl
        results.append(
            Result(
                item,
                hit.rank,
                # The whole name (see legal/search.py: the width is three times its length).
                core_search.snippet(name, words, width=3 * len(name) + 3),
                core_search.first_snippet([note_of(item), item.description], words),
            )
        )
    return results + _by_compound_part(typed, qs, {r.item.pk for r in results}, len(results))


def _by_compound_part(typed: str, qs: QuerySet[CostItem], found: set[int], count: int):
    """After the index's hits: items whose Dutch name holds every typed word as part of a
    compound ("opvang" in "Kinderopvang dagopvang", "Gastouderopvang"), which a stem cannot
    match. By name; one query, none when the page is full or a word is too short."""
    stems = core_search.parts(typed)
    room = MAX_RESULTS - count
    if not stems or room <= 0:
        return []
    condition = Q()
    for part in stems:
        condition &= Q(name_nl__icontains=part)
    items = qs.filter(condition).exclude(pk__in=found).order_by("name_nl")[:room]
    return [Result(item, 0.0, core_search.mark_parts(item.name_nl, stems), []) for item in items]
