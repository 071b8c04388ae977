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
