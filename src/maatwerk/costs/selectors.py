"""Reads of the cost catalogue. Prices are resolved per organisation: a local price of the
user's organisation takes precedence over the shared one."""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from maatwerk.accounts.selectors import organisation_ids
from maatwerk.core.models import SearchDocument

from . import search as costs_search
from .indexation import index_amount, yearly_amount
from .models import CostItem, CostItemVersion, PriceIndex

# An item code as typed: words of letters and digits joined by hyphens ("HUUR-UITZ-DIRECT").
CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")


@dataclass(frozen=True)
class PricedItem:
    item: CostItem
    version: CostItemVersion
    is_local_price: bool
    indexed_amount: Decimal
    indexed_year: int
    # Found by a search: the name with its matched words marked, and a piece of another text
    # the page shows with them ((text, is_match) segments; empty without a search).
    marked_name: tuple = ()
    snippet: tuple = ()


def price_changes() -> dict[int, Decimal]:
    return dict(PriceIndex.objects.values_list("year", "change_pct"))


def _versions_for(org_ids) -> Prefetch:
    return Prefetch(
        "versions",
        queryset=CostItemVersion.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=org_ids)
        ).order_by("-price_date", "-id"),
        to_attr="visible_versions",
    )


def items_for(user, *, include_retired: bool = False) -> QuerySet[CostItem]:
    """Shared items plus the local items of the user's organisation(s)."""
    org_ids = organisation_ids(user)
    qs = CostItem.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=org_ids))
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True).exclude(retirements__organisation_id__in=org_ids)
    return qs.prefetch_related(_versions_for(org_ids))


def current_version(item: CostItem) -> CostItemVersion | None:
    """Latest local price if there is one, else the latest shared price."""
    versions = item.visible_versions
    local = [v for v in versions if v.organisation_id is not None]
    return (local or versions or [None])[0]


def priced(items, *, year: int | None = None, changes=None) -> list[PricedItem]:
    year = year or timezone.localdate().year
    changes = price_changes() if changes is None else changes
    rows = []
    for item in items:
        version = current_version(item)
        if version is None:
            continue
        amount, reached = index_amount(version.amount, version.price_year, year, changes)
        rows.append(PricedItem(item, version, version.organisation_id is not None, amount, reached))
    return rows


def catalogue(
    user,
    *,
    text: str = "",
    life_domain: str = "",
    bearer: str = "",
    cost_type: str = "",
    grade: str = "",
    year: int | None = None,
    changes=None,
) -> list[PricedItem]:
    """The user's catalogue, filtered; with `text` ranked by the full-text index (Dutch stems
    and the catalogue's synonyms, costs/search.py) within the other filters, best first, each
    row with its matched words. Without `text`: every item, by name."""
    qs = items_for(user)
    if life_domain:
        qs = qs.filter(life_domain=life_domain)
    if bearer:
        qs = qs.filter(bearer=bearer)
    if cost_type:
        qs = qs.filter(cost_type=cost_type)
    if text:
        rows = _by_code(qs, text, year, changes) or _found(qs, text, year, changes)
    else:
        rows = priced(qs, year=year, changes=changes)
    if grade:
        rows = [r for r in rows if r.version.grade == grade]
    return rows


def _by_code(qs, text: str, year, changes=None) -> list[PricedItem]:
    """A whole code as typed ("MO-PLEK-JAAR", as the API and the data files name items): that
    item only. (No query for plain words.)"""
    if not CODE.fullmatch(text.strip()):
        return []
    return priced(qs.filter(code__iexact=text.strip()), year=year, changes=changes)


def _found(qs, text: str, year, changes=None) -> list[PricedItem]:
    """The items of `qs` the full-text index finds for `text`, best first, with their marks."""
    results = costs_search.search_items(
        text, qs, lambda item: getattr(current_version(item), "note", "")
    )
    found = {r.item.pk: r for r in results}
    return [
        replace(
            row,
            marked_name=tuple(found[row.item.pk].name),
            snippet=tuple(found[row.item.pk].snippet),
        )
        for row in priced([r.item for r in results], year=year, changes=changes)
    ]


def search_as_typed(user, text: str, *, limit: int = 8) -> list[PricedItem]:
    """For a search box that searches while a worker types (the calculator): items whose name
    or code holds the text as typed, so a word half typed ("bijst") or part of a compound
    ("bijstand" in "Bijstandsnorm") finds them, then the index's whole words and synonyms."""
    if not text.strip():
        return []
    typed = items_for(user).filter(
        Q(name_nl__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text)
    )
    # What the name holds literally first (the worker sees the letters they type), then the
    # index's ranked words and synonyms.
    literal = priced(typed.order_by("name_nl")[:limit])
    seen = {r.item.pk for r in literal}
    ranked = [r for r in catalogue(user, text=text) if r.item.pk not in seen]
    return [*literal, *ranked][:limit]


def catalogue_stamp(user) -> tuple:
    """Changes whenever anything the user's catalogue shows changes.

    Items, versions, retirements and index years are only ever added (a retired item gets a
    date), so highest ids and counts identify the state: pages cached under this stamp never
    go stale, and no invalidation is needed. A search's results also depend on the full-text
    index (rewritten whenever the data files or a service change an item, so the latest
    `updated_at` of its documents moves) and on the synonyms file.
    """
    state = CostItem.objects.order_by().aggregate(
        items=Max("id"),
        versions=Max("versions__id"),
        retirements=Max("retirements__id"),
        retired=Count("id", filter=Q(retired_at__isnull=False), distinct=True),
    )
    index = PriceIndex.objects.order_by().aggregate(last=Max("year"), rows=Count("id"))
    search = SearchDocument.objects.filter(kind=costs_search.KIND).aggregate(
        last=Max("updated_at"), rows=Count("id")
    )
    return (
        tuple(sorted(organisation_ids(user))),
        *state.values(),
        *index.values(),
        *search.values(),
        costs_search.synonyms_version(),
    )


def item_detail(user, pk: int) -> CostItem:
    return items_for(user, include_retired=True).get(pk=pk)


def item_history(user, item: CostItem) -> list[CostItemVersion]:
    return list(item.visible_versions)


# "What does a year cost?" — items that help workers compare the standard route's usual costs.
YEAR_COMPARISON_CODES = [
    "PW-NORM-1P",
    "BEWIND-SCHULD",
    "SCHULD-PROBL",
    "HUUR-UITZ-DIRECT",
    "MO-PLEK-JAAR",
    "BW-INTENSIEF",
    "DETENTIE-VOLW",
]


@dataclass(frozen=True)
class YearCost:
    row: PricedItem
    per_year: Decimal  # one-off items count once
    share: Decimal  # of the largest, 0..100, for the bar


def year_comparison(rows: list[PricedItem]) -> list[YearCost]:
    """Yearly cost of the comparison items found among already priced `rows`."""

    by_code = {r.item.code: r for r in rows}
    picked = [by_code[c] for c in YEAR_COMPARISON_CODES if c in by_code]
    amounts = [
        (r, yearly_amount(r.indexed_amount, r.item.unit) or r.indexed_amount) for r in picked
    ]
    top = max((a for _, a in amounts), default=Decimal(0)) or Decimal(1)
    return [YearCost(r, a, (a * 100 / top).quantize(Decimal("0.1"))) for r, a in amounts]
