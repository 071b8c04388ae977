"""Finding provisions and blocking rules in a worker's own words (core/search.py underneath).

- The index: each provision ("legal.provision") and blocking rule ("legal.rule") with its Dutch
  texts: code and title, the room it gives, the example situation, the rule's description and
  the provisions it rests on or escapes through. The catalogue holds no personal data, so every
  text may be in it. Kept in line by legal/services.py (a person's change) and legal/sync.py
  (the data files); `reindex_all` rebuilds it (load_catalogue, the data migration,
  `manage.py reindex_search`).
- Synonyms and situations (data/synonyms.csv): a worker says "kamerverhuur" or "hond", the law
  says "kostgeld" or "categoraal uitgesloten". A query is expanded with them before it is
  searched (`expand`); every word of the query also counts on its own, so a sentence like "mijn
  cliënt woont met haar volwassen zoon" finds what matches most of it, best first.
- `search_regelbank(query, ...)`: the ranked rules and provisions with a snippet of the text
  that matched, for /regelbank/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import QuerySet

from maatwerk.core import search as core_search

from .models import BlockingRule, BlockingRuleEscape, Provision

PROVISION_KIND = "legal.provision"
RULE_KIND = "legal.rule"
# The title and code weigh most; the room, the example and the description next; the related
# provisions' titles and the English wording least.
PROVISION_WEIGHTS = {"title": "A", "room": "B", "example": "B", "law": "C", "rules": "C", "en": "D"}
RULE_WEIGHTS = {"name": "A", "description": "B", "example": "B", "provisions": "C", "en": "D"}
MAX_RESULTS = 20
SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.csv"


# The machinery is core's (shared with the cost catalogue); the word list is the regelbank's own.
Synonym = core_search.Synonym
Expansion = core_search.Expansion


@lru_cache(maxsize=1)
def synonyms() -> tuple[Synonym, ...]:
    """The maintained list of words and situations, read once per process."""
    return core_search.read_synonyms(SYNONYMS_FILE)


def expansion(query: str) -> Expansion:
    """The alternatives a query is searched as (any one may match); see core_search.expansion."""
    return core_search.expansion(query, synonyms())


def expand(query: str) -> list[str]:
    """Every alternative of `expansion(query)`, strong ones first."""
    strong, weak = expansion(query)
    return [*strong, *weak]


def provision_fields(provision, rules: list[str]) -> dict[str, str]:
    """What the index holds of a provision; `rules`: the names of the rules that rest on it
    or escape through it. Reads with getattr so a data migration's historical model serves."""
    law = provision.law
    return {
        "title": f"{provision.code}\n{provision.title}",
        "room": provision.room_nl,
        "example": getattr(provision, "example_nl", ""),
        "law": f"{law.code}\n{law.name}\n{provision.article}\n"
        + getattr(provision, "applied_by_nl", ""),
        "rules": "\n".join(rules),
        "en": provision.room_en,
    }


def rule_fields(rule, provisions: list) -> dict[str, str]:
    """What the index holds of a blocking rule; `provisions`: its basis and escape routes."""
    return {
        "name": f"{rule.code}\n{rule.name_nl}",
        "description": "\n".join(
            t
            for t in (
                rule.description,
                getattr(rule, "description_nl", ""),
                getattr(rule, "escape_routes_nl", ""),
                getattr(rule, "basis_article", ""),
            )
            if t
        ),
        "example": getattr(rule, "example_nl", ""),
        "provisions": "\n".join(f"{p.code}\n{p.title}\n{p.room_nl}" for p in provisions),
        "en": f"{rule.name_en}\n{rule.recent_change}\n" + getattr(rule, "applied_by_nl", ""),
    }


def _links(models, provision_ids=None, rule_ids=None):
    """(rule id, provision) pairs of bases and escape routes, for the given rows."""
    rule_model, escape_model = models
    pairs = []
    rules = rule_model.objects.select_related("basis_provision").exclude(basis_provision=None)
    escapes = escape_model.objects.select_related("provision")
    if rule_ids is not None:
        rules, escapes = rules.filter(pk__in=rule_ids), escapes.filter(rule_id__in=rule_ids)
    if provision_ids is not None:
        rules = rules.filter(basis_provision_id__in=provision_ids)
        escapes = escapes.filter(provision_id__in=provision_ids)
    pairs += [(r.pk, r.basis_provision) for r in rules]
    pairs += [(e.rule_id, e.provision) for e in escapes.order_by("rule_id", "position")]
    return pairs


def index_rows(provision_ids=None, rule_ids=None, *, models=None) -> int:
    """Index the given provisions and rules (None: all of them). `models`: the (Provision,
    BlockingRule, BlockingRuleEscape) classes, historical ones in a data migration."""
    provision_model, rule_model, escape_model = models or (
        Provision,
        BlockingRule,
        BlockingRuleEscape,
    )
    provisions = provision_model.objects.select_related("law")
    rules = rule_model.objects.all()
    if provision_ids is not None:
        provisions = provisions.filter(pk__in=provision_ids)
    if rule_ids is not None:
        rules = rules.filter(pk__in=rule_ids)
    provisions, rules = list(provisions), list(rules)
    names = dict(rule_model.objects.values_list("pk", "name_nl"))
    rule_names: dict[int, list[str]] = {}
    for rule_id, provision in _links(
        (rule_model, escape_model), provision_ids=[p.pk for p in provisions]
    ):
        rule_names.setdefault(provision.pk, []).append(names[rule_id])
    rule_provisions: dict[int, list] = {}
    for rule_id, provision in _links((rule_model, escape_model), rule_ids=[r.pk for r in rules]):
        # A rule's basis is often one of its ways out too: once is enough.
        if provision not in rule_provisions.setdefault(rule_id, []):
            rule_provisions[rule_id].append(provision)
    # One document at a time: index_document also clears a row an earlier flush left behind.
    for p in provisions:
        core_search.index_document(
            PROVISION_KIND,
            p.pk,
            provision_fields(p, list(dict.fromkeys(rule_names.get(p.pk, [])))),
            PROVISION_WEIGHTS,
        )
    for r in rules:
        core_search.index_document(
            RULE_KIND, r.pk, rule_fields(r, rule_provisions.get(r.pk, [])), RULE_WEIGHTS
        )
    return len(provisions) + len(rules)


def index_provision(provision: Provision) -> None:
    """A provision changed: it, and the rules that name it, as the index holds them."""
    rule_ids = {
        r for r, _ in _links((BlockingRule, BlockingRuleEscape), provision_ids=[provision.pk])
    }
    index_rows([provision.pk], sorted(rule_ids))


def index_rule(rule: BlockingRule) -> None:
    """A rule changed: it, and the provisions whose text names it."""
    provision_ids = {
        p.pk for _, p in _links((BlockingRule, BlockingRuleEscape), rule_ids=[rule.pk])
    }
    index_rows(sorted(provision_ids), [rule.pk])


def reindex_all(*, models=None) -> int:
    """Rebuild the regelbank's part of the index; returns how many rows are in it."""
    core_search.clear(PROVISION_KIND)
    core_search.clear(RULE_KIND)
    return index_rows(models=models)


@dataclass
class Result:
    obj: Provision | BlockingRule
    rank: float
    # The title with its matched words marked, and a piece of the first other text that has a
    # matched word (empty when only the title matched: the page then shows its usual text).
    title: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]


def _ranked(kind, qs: QuerySet, query: Expansion, title, texts) -> list[Result]:
    """Hits for the strong alternatives first, then those for single words (one search each:
    PostgreSQL's ts_rank knows no rarity of words, so a text full of "bijstand" would
    otherwise outrank the rule a worker's situation names)."""
    hits = core_search.search_expansion(kind, query, allowed=qs.values("pk"), limit=MAX_RESULTS)
    by_pk = qs.in_bulk([h.object_id for h in hits])
    alternatives = [*query.strong, *query.weak]
    results = []
    for hit in hits:
        obj = by_pk.get(hit.object_id)
        if obj is None:
            continue
        heading = title(obj)
        results.append(
            Result(
                obj,
                hit.rank,
                # The whole title: a snippet starts at the match once it lies past a third of
                # the width, so the width is three times the title's length.
                core_search.snippet(heading, alternatives, width=3 * len(heading) + 3),
                core_search.first_snippet(texts(obj), alternatives),
            )
        )
    return results


def search_provisions(query: str, qs: QuerySet[Provision]) -> list[Result]:
    """The provisions of `qs` (the filters) that match the query or its synonyms, best first."""
    alternatives = expansion(query)
    if not alternatives.strong:
        return []
    results = _ranked(
        PROVISION_KIND,
        qs,
        alternatives,
        lambda p: p.title,
        lambda p: [p.room_nl, getattr(p, "example_nl", "")],
    )
    _snippet_from_rules(results, [*alternatives.strong, *alternatives.weak])
    return results


def _snippet_from_rules(results: list[Result], alternatives: list[str]) -> None:
    """A provision found through the name of a rule that rests on it or escapes through it
    (the index holds those names) shows that name with the matched words marked, so every
    row on the page says why it is there. Two queries for all results together."""
    bare = [r for r in results if not any(hit for _, hit in r.title + r.snippet)]
    if not bare:
        return
    links = _links((BlockingRule, BlockingRuleEscape), provision_ids=[r.obj.pk for r in bare])
    names = dict(
        BlockingRule.objects.filter(pk__in={rule_id for rule_id, _ in links}).values_list(
            "pk", "name_nl"
        )
    )
    rule_names: dict[int, list[str]] = {}
    for rule_id, provision in links:
        rule_names.setdefault(provision.pk, []).append(names[rule_id])
    for result in bare:
        result.snippet = core_search.first_snippet(rule_names.get(result.obj.pk, []), alternatives)


def search_rules(query: str, qs: QuerySet[BlockingRule]) -> list[Result]:
    """The blocking rules of `qs` that match the query or its synonyms, best first."""
    alternatives = expansion(query)
    if not alternatives.strong:
        return []
    return _ranked(
        RULE_KIND,
        qs,
        alternatives,
        lambda r: r.name_nl,
        lambda r: [
            r.description,
            getattr(r, "description_nl", ""),
            getattr(r, "example_nl", ""),
            getattr(r, "escape_routes_nl", ""),
            *([r.basis_provision.title, r.basis_provision.room_nl] if r.basis_provision else []),
            # The ways out, as `selectors.blocking_rules()` prefetched them (no extra query).
            *(e.provision.room_nl for e in getattr(r, "ordered_escape_routes", [])),
        ],
    )
