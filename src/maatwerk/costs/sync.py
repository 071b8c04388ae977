"""Bringing a deployment's shared cost catalogue up to date with the project's data files.

Local prices and local items belong to an organisation and are never touched: a load only adds
shared items and appends shared price versions (a published price is never changed). A shared
price a person published (none can today, but the model allows it) counts as a local choice and
is kept. An item's unit never changes under existing plans: a release that changes one is refused
(give the item a new code instead).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.audit import services as audit
from maatwerk.core import catalogue_sync
from maatwerk.core.catalogue_sync import Action, Current, Kind

from . import search as costs_search
from . import seed
from .models import CostItem, CostItemVersion, PriceIndex

NOTE = "bijgewerkt uit de catalogusbestanden van Open Maatwerk"
ITEM_FIELDS = ("name_nl", "name_en", "life_domain", "unit", "bearer", "cost_type")
PRICE_FIELDS = ("amount", "price_date", "grade", "source_title", "source_url", "note")


class CatalogueError(ValueError):
    """A data release the loader will not apply; nothing has been written."""


def item_files() -> dict[str, dict]:
    """Per code the item and its latest shared price (older rows: `history_files`)."""
    files = {}
    for row in seed.latest_rows().values():
        state = {name: row[name] for name in ITEM_FIELDS}
        state.update({name: row[name] for name in PRICE_FIELDS if name != "note"})
        state["note"] = seed.version_note(row)
        files[row["code"]] = state
    return files


def _price_state(row: dict) -> dict:
    state = {name: row[name] for name in PRICE_FIELDS if name != "note"}
    state["note"] = seed.version_note(row)
    return state


def history_files() -> list[tuple[str, dict]]:
    """(code, price) for each row that is not its item's latest price: an earlier figure from
    another source (DETENTIE-VOLW's 2014 DJI figure beside its 2016 one), kept as a version."""
    latest = seed.latest_rows()
    return [
        (row["code"], _price_state(row))
        for row in seed.cost_rows()
        if row is not latest[row["code"]] and row != latest[row["code"]]
    ]


def _append_history() -> int:
    """Add each earlier shared price the item lacks (same date and amount = present)."""
    written = 0
    for code, price in history_files():
        item = CostItem.objects.filter(code=code, organisation__isnull=True).first()
        if item is None:
            continue
        have = CostItemVersion.objects.filter(
            item=item,
            organisation__isnull=True,
            price_date=price["price_date"],
            amount=price["amount"],
        )
        if have.exists():
            _word_history(item, have, price["note"])
            continue
        CostItemVersion.objects.create(item=item, **price)
        changes = {name: {"old": None, "new": str(value)} for name, value in price.items()}
        audit.record(actor=None, action=audit.Action.UPDATE, obj=item, reason=NOTE, changes=changes)
        written += 1
    return written


def _word_history(item, versions, note: str) -> None:
    """An earlier price a deployment holds without a note, where the files now give its Dutch
    note (issue 18: notes written after the row was loaded): the wording is added in place, as
    migration 0003 did for the seeded prices; the amount, date, grade and source never change.
    A note anyone wrote is kept."""
    blank = versions.filter(published_by__isnull=True, note="")
    if not note or not blank.exists():
        return
    # update(), not save(): the model refuses to save a published price again.
    blank.update(note=note)
    changes = {"note": {"old": "", "new": note}}
    audit.record(actor=None, action=audit.Action.UPDATE, obj=item, reason=NOTE, changes=changes)


def current_items() -> dict[str, Current]:
    latest: dict[int, CostItemVersion] = {}
    for version in CostItemVersion.objects.filter(
        organisation__isnull=True, item__organisation__isnull=True
    ).order_by("item_id", "-price_date", "-id"):
        latest.setdefault(version.item_id, version)
    current = {}
    for item in CostItem.objects.filter(organisation__isnull=True):
        version = latest.get(item.pk)
        state = {name: getattr(item, name) for name in ITEM_FIELDS}
        if version is not None:
            state.update({name: getattr(version, name) for name in PRICE_FIELDS})
        from_files = version is None or version.published_by_id is None
        current[item.code] = Current(state, from_files)
    return current


def plan() -> list[Action]:
    return catalogue_sync.plan(item_files(), current_items())


def _check(actions: list[Action]) -> None:
    changed_units = [a.code for a in actions if a.kind == Kind.UPDATE and "unit" in a.changes]
    if changed_units:
        raise CatalogueError(
            _(
                "The data files change the unit of %(codes)s. Plans count in that unit; give "
                "the item a new code instead."
            )
            % {"codes": ", ".join(changed_units)}
        )


def _apply(action: Action) -> None:
    state = action.state
    item_fields = {name: state[name] for name in ITEM_FIELDS}
    if action.kind == Kind.CREATE:
        item = CostItem.objects.create(code=action.code, **item_fields)
        kind = audit.Action.CREATE
    else:
        item = CostItem.objects.select_for_update().get(code=action.code, organisation=None)
        if any(name in action.changes for name in ITEM_FIELDS):
            for name, value in item_fields.items():
                setattr(item, name, value)
            item.save()
        kind = audit.Action.UPDATE
    if action.kind == Kind.CREATE or any(name in action.changes for name in PRICE_FIELDS):
        CostItemVersion.objects.create(item=item, **{name: state[name] for name in PRICE_FIELDS})
    changes = {
        name: {"old": str(c["old"]), "new": str(c["new"])} for name, c in action.changes.items()
    }
    audit.record(actor=None, action=kind, obj=item, reason=NOTE, changes=changes)


def _load_price_index() -> int:
    """Missing years are added; a year CBS revised gets the revised figure (audited)."""
    written = 0
    have = {p.year: p for p in PriceIndex.objects.all()}
    for row in seed.cpi_rows():
        now = have.get(row["year"])
        if now is None:
            index = PriceIndex.objects.create(**row)
            audit.record(actor=None, action=audit.Action.CREATE, obj=index, reason=NOTE)
            written += 1
        elif (now.change_pct, now.source_url) != (row["change_pct"], row["source_url"]):
            changes = {
                "change_pct": {"old": str(now.change_pct), "new": str(row["change_pct"])},
                "source_url": {"old": now.source_url, "new": row["source_url"]},
            }
            now.change_pct, now.source_url = row["change_pct"], row["source_url"]
            now.save()
            audit.record(
                actor=None, action=audit.Action.UPDATE, obj=now, reason=NOTE, changes=changes
            )
            written += 1
    return written


@transaction.atomic
def load(*, dry_run: bool = False) -> list[Action]:
    """Carry out `plan()` in one transaction; with `dry_run` only plan. Returns the plan."""
    planned = plan()
    _check(planned)
    if dry_run:
        return planned
    for action in planned:
        if action.kind in {Kind.CREATE, Kind.UPDATE}:
            _apply(action)
    _append_history()
    _load_price_index()
    # A few hundred items: rebuilding their index is cheaper than tracking which a load touched
    # (and it moves catalogue_stamp, so no cached catalogue page outlives the load).
    costs_search.reindex_all()
    return planned
