"""Scenario lines as the calculator and plan forms post them: shared by both pages.

Raw rows (strings, as a browser posts them) so that adding a line never loses what was typed,
and each line form paired with the catalogue row it points at.
"""

from . import selectors

RECURRING_UNITS = {"per_day", "per_hour", "per_month", "per_year"}
# A sensible first quantity per month for a unit a worker picks from the catalogue.
DEFAULT_QUANTITY = {"per_day": "30", "per_hour": "4"}


def catalogue_row(row: selectors.PricedItem, horizon: int) -> dict[str, str]:
    """A new line for a catalogue item: its price, recurring over the horizon if it recurs."""
    unit = row.item.unit
    return {
        "item": str(row.item.pk),
        "label": "",
        "amount": "",
        "unit": "",
        "bearer": "",
        "cost_type": "",
        "quantity": DEFAULT_QUANTITY.get(unit, "1"),
        "start_month": "0",
        "duration_months": str(horizon) if unit in RECURRING_UNITS else "",
        "probability": "100",
    }


def priced_for_forms(user, formset, *, year: int | None = None) -> dict:
    """item id -> PricedItem for the catalogue lines of `formset`, in one query."""
    ids = {int(v) for f in formset if str(v := f["item"].value() or "").isdigit()}
    if not ids:
        return {}
    rows = selectors.priced(selectors.items_for(user).filter(pk__in=ids), year=year)
    return {p.item.pk: p for p in rows}


def with_items(formset, priced: dict) -> list[tuple]:
    """Each line form with the catalogue row it points at (or None for a line of one's own)."""
    out = []
    for form in formset:
        raw = str(form["item"].value() or "")
        out.append((form, priced.get(int(raw)) if raw.isdigit() else None))
    return out


# --- Line actions: add, remove and search, posted by buttons of the calculator and plan forms.
# Without JavaScript each is a plain submit of the whole form, so everything typed comes back.


def posted_rows(data, prefix: str, fields, *, limit: int) -> list[dict[str, str]]:
    """The lines of formset `prefix` as posted, raw, so adding or removing one keeps what the
    worker typed."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), limit)
    except ValueError:
        total = 0
    return [{f: data.get(f"{prefix}-{i}-{f}", "") for f in fields} for i in range(max(total, 0))]


def parse_action(post, scenarios) -> dict:
    """What the pressed line button asks: {"add": (scenario, "free" | item id),
    "remove": (scenario, index), "search": [scenario, …], "queries": {scenario: text}}; empty
    when the form was sent to calculate or save."""
    queries = {s: post.get(f"q_{s}", "").strip()[:100] for s in scenarios}
    action: dict = {"queries": queries}
    scenario, _sep, what = post.get("add_line", "").partition(":")
    if scenario in scenarios and what == "free":
        action["add"] = (scenario, "free")
    elif scenario in scenarios and what.startswith("item:") and what[5:].isdigit():
        action["add"] = (scenario, int(what[5:]))
    scenario, _sep, index = post.get("remove_line", "").partition(":")
    if scenario in scenarios and index.isdigit():
        action["remove"] = (scenario, int(index))
    if (scenario := post.get("search_in", "")) in scenarios:
        action["search"] = [scenario]
    elif "save" not in post and not ({"add", "remove"} & action.keys()):
        action["search"] = [s for s, q in queries.items() if q]
    return action if {"add", "remove"} & action.keys() or action.get("search") else {}


def priced_item(user, item_id: int):
    """The catalogue row of `item_id` as `user` sees it priced, or None."""
    found = selectors.priced(selectors.items_for(user).filter(pk=item_id))
    return found[0] if found else None


def search(user, text: str) -> list:
    """Catalogue rows for a search box: at most eight."""
    return selectors.search_as_typed(user, text, limit=8) if text.strip() else []
