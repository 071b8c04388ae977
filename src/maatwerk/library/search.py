"""Finding good examples: the library's use of the generic full-text index (core/search.py).

- `index_example` / `unindex_example`: what the index holds of an example. Only an APPROVED
  example is in it, and only its de-identified texts (title, story, lessons) and its coded facts
  (rule, provisions, life domains, kinds of organisation, solution, outcome) in Dutch words, and
  the possible last parts of their compound words (`core.search.compound_parts`) —
  never the source plan or anything of the household, which the index could otherwise hand to
  anyone who searches.
- `search_examples(user, query, filters)`: the one selector behind the search box and the
  filters of /bibliotheek/. Visibility comes from `visible_examples(user)` and is applied inside
  the search query itself; two queries whatever the number of hits (the search, the rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation

from maatwerk.core import search as core_search

from . import selectors
from .models import Example, ExampleLifeDomain

KIND = "library.example"
# The title weighs most, then the story and the coded facts; the lessons least.
WEIGHTS = {"title": "A", "story": "B", "facts": "B", "lessons": "C", "compound_parts": "D"}
# The best 20: a search page, not the library; a word more narrows it.
MAX_RESULTS = 20
FILTER_KEYS = ("blocking_rule", "law", "life_domain", "amount_min", "amount_max", "outcome")


def indexable_examples(model=Example) -> QuerySet[Example]:
    """Approved examples with what `example_fields` reads, in four queries for any number.

    `model`: the Example model of a data migration's state (default: today's)."""
    return (
        model.objects.filter(status=Example.Status.APPROVED)
        .select_related("blocking_rule")
        .prefetch_related("provisions__law", "life_domains", "organisations")
    )


def example_fields(example: Example) -> dict[str, str]:
    """The texts of an example as the index holds them (labels in Dutch, the search language).

    Reads the relations with `.all()`, so `indexable_examples()` serves many at once."""
    with translation.override("nl"):
        facts = []
        if example.blocking_rule_id:
            rule = example.blocking_rule
            facts += [rule.name_nl, rule.code]
        for provision in example.provisions.all():
            facts += [provision.law.code, provision.law.name, provision.title]
        facts += [str(d.get_domain_display()) for d in example.life_domains.all()]
        facts += [str(o.get_organisation_type_display()) for o in example.organisations.all()]
        if example.solution_kind:
            facts.append(str(example.get_solution_kind_display()))
        if example.outcome_code:
            facts.append(str(example.get_outcome_code_display()))
    texts = {
        "title": example.title,
        "story": example.story,
        "lessons": example.lessons,
        "facts": "\n".join(f for f in facts if f),
    }
    # "achterstand" finds "huurachterstand" and "energieachterstand", below the word itself.
    return {**texts, "compound_parts": core_search.compound_parts(*texts.values())}


def index_example(example: Example) -> None:
    """Bring the index in line with the example: in it when approved, out of it otherwise."""
    if example.status != Example.Status.APPROVED:
        unindex_example(example)
        return
    example = indexable_examples().get(pk=example.pk)
    core_search.index_document(KIND, example.pk, example_fields(example), WEIGHTS)


def reindex_all(batch_size: int = 2000, *, model=Example) -> int:
    """Rebuild the library's part of the index from the approved examples (after an import,
    a restore or a change of what is indexed); returns how many are indexed."""
    core_search.clear(KIND)
    ids = list(indexable_examples(model).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = indexable_examples(model).filter(pk__in=ids[start : start + batch_size])
        core_search.index_documents(KIND, [(e.pk, example_fields(e)) for e in batch], WEIGHTS)
    return len(ids)


def unindex_example(example: Example) -> None:
    core_search.remove_document(KIND, example.pk)


@dataclass
class Result:
    example: Example
    rank: float | None
    snippet: list[tuple[str, bool]]


def filtered_examples(user, filters: dict | None = None) -> QuerySet[Example]:
    """The approved examples of `visible_examples(user)` narrowed by the filters of the search
    form (cleaned values).

    Filters on many-valued facts go through `pk IN (…)`, so an example is never listed twice."""
    # Only approved examples are found: the team's drafts have their own list on the page.
    qs = selectors.visible_examples(user).filter(status=Example.Status.APPROVED)
    f = {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS and v not in (None, "")}
    if f.get("blocking_rule"):
        qs = qs.filter(blocking_rule=f["blocking_rule"])
    if f.get("law"):
        qs = qs.filter(
            pk__in=Example.provisions.through.objects.filter(provision__law=f["law"]).values(
                "example_id"
            )
        )
    if f.get("life_domain"):
        qs = qs.filter(
            pk__in=ExampleLifeDomain.objects.filter(domain=f["life_domain"]).values("example_id")
        )
    if f.get("amount_min") is not None:
        qs = qs.filter(tailored_total__gte=Decimal(f["amount_min"]))
    if f.get("amount_max") is not None:
        qs = qs.filter(tailored_total__lte=Decimal(f["amount_max"]))
    if f.get("outcome"):
        qs = qs.filter(outcome_code=f["outcome"])
    return qs


def search_examples(user, query: str = "", filters: dict | None = None) -> list[Result]:
    """The examples `user` may see that match `query` (all words, any inflection) and the
    filters, best first; without words in the query, the filtered list in its own order."""
    # The results show title, rule, totals and a snippet: none of the list's prefetched facts.
    qs = filtered_examples(user, filters).select_related("blocking_rule").prefetch_related(None)
    if not core_search.query_terms(query):
        return [Result(e, None, core_search.snippet(e.story, "")) for e in qs[:MAX_RESULTS]]
    hits = core_search.search(KIND, query, allowed=qs.values("pk"), limit=MAX_RESULTS)
    by_pk = {e.pk: e for e in qs.filter(pk__in=[h.object_id for h in hits])}
    return [
        Result(
            by_pk[h.object_id],
            h.rank,
            core_search.snippet(by_pk[h.object_id].story, query, compounds=True),
        )
        for h in hits
        if h.object_id in by_pk
    ]
