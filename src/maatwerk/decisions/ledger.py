"""Ledger arithmetic (grootboek) for one budget, on plain data.

Money moves only as append-only entries:

- a *commitment* (verplichting) reserves an amount when a plan is approved;
- a *payment* (betaling) settles (part of) one commitment;
- a *release* (vrijval) frees (part of) the unused rest of one commitment;
- a *reversal* (correctie) cancels exactly one earlier entry; reversing a reversal restores it.

So money is never counted twice::

    open commitment = commitment − its payments − its releases
    available       = budget − open commitments − payments

`validate` refuses every entry that would break those rules or take ``available`` below zero;
`balances` computes the figures. All amounts are `Decimal`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

ZERO = Decimal("0.00")

COMMITMENT = "commitment"
PAYMENT = "payment"
RELEASE = "release"
REVERSAL = "reversal"
KINDS = (COMMITMENT, PAYMENT, RELEASE, REVERSAL)
SETTLING = (PAYMENT, RELEASE)


class LedgerError(ValueError):
    """An entry that the ledger refuses; ``code`` says why (machine-readable)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Entry:
    id: Hashable
    kind: str
    amount: Decimal
    refers_to: Hashable | None = None


class Balances(NamedTuple):
    committed_open: Decimal
    paid: Decimal
    available: Decimal


def active_ids(entries: Sequence[Entry]) -> set[Hashable]:
    """The entries in force: not cancelled by a reversal that is itself in force."""
    reversals_of: dict[Hashable, list[Hashable]] = defaultdict(list)
    for entry in entries:
        if entry.kind == REVERSAL:
            reversals_of[entry.refers_to].append(entry.id)
    active: dict[Hashable, bool] = {}
    # A reversal always refers to an earlier entry, so walking backwards settles each one's
    # reversals before the entry itself.
    for entry in reversed(entries):
        active[entry.id] = not any(active.get(r, False) for r in reversals_of.get(entry.id, ()))
    return {key for key, on in active.items() if on}


def settled_by_commitment(
    entries: Sequence[Entry], active: set[Hashable] | None = None
) -> dict[Hashable, tuple[Decimal, Decimal]]:
    """Per commitment id: (paid, released), counting only entries in force."""
    active = active_ids(entries) if active is None else active
    result: dict[Hashable, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for entry in entries:
        if entry.id in active and entry.kind in SETTLING:
            result[entry.refers_to][0 if entry.kind == PAYMENT else 1] += entry.amount
    return {key: (paid, released) for key, (paid, released) in result.items()}


def balances(budget_amount: Decimal, entries: Iterable[Entry]) -> Balances:
    """(open commitments, payments, available) for a budget and its entries, oldest first."""
    entries = list(entries)
    active = active_ids(entries)
    settled = settled_by_commitment(entries, active)
    committed_open = ZERO
    paid = ZERO
    for entry in entries:
        if entry.id not in active:
            continue
        if entry.kind == COMMITMENT:
            p, r = settled.get(entry.id, (ZERO, ZERO))
            committed_open += entry.amount - p - r
        elif entry.kind == PAYMENT:
            paid += entry.amount
    return Balances(committed_open, paid, Decimal(budget_amount) - committed_open - paid)


def plan_totals(entries: Sequence[Entry]) -> tuple[Decimal, Decimal]:
    """(paid, still open) over the entries of one plan, oldest first, counting those in force.

    A plan's payments, releases and reversals refer to its own entries, so its entries alone
    settle its commitments.
    """
    active = active_ids(entries)
    settled = settled_by_commitment(entries, active)
    paid = still_open = ZERO
    for entry in entries:
        if entry.id not in active:
            continue
        if entry.kind == PAYMENT:
            paid += entry.amount
        elif entry.kind == COMMITMENT:
            p, r = settled.get(entry.id, (ZERO, ZERO))
            still_open += entry.amount - p - r
    return paid, still_open


def open_amount(entries: Sequence[Entry], commitment_id: Hashable) -> Decimal:
    """What is still open of one commitment (zero when it is not in force)."""
    active = active_ids(entries)
    for entry in entries:
        if entry.id == commitment_id and entry.kind == COMMITMENT and entry.id in active:
            p, r = settled_by_commitment(entries, active).get(entry.id, (ZERO, ZERO))
            return entry.amount - p - r
    return ZERO


def validate(budget_amount: Decimal, entries: Sequence[Entry], new: Entry) -> Balances:
    """Check that ``new`` may be appended to ``entries``; return the balances after it.

    Raises `LedgerError` when the entry is malformed, refers to the wrong entry, would pay or
    release more than is open, would reverse an entry twice, or would take the budget below zero.
    """
    if new.kind not in KINDS:
        raise LedgerError("kind", f"unknown entry kind {new.kind!r}")
    if not isinstance(new.amount, Decimal) or not new.amount.is_finite() or new.amount <= 0:
        raise LedgerError("amount", "the amount must be a positive Decimal")
    by_id = {entry.id: entry for entry in entries}
    if new.id in by_id:
        raise LedgerError("duplicate", "an entry with this id already exists")
    active = active_ids(entries)

    if new.kind == COMMITMENT:
        if new.refers_to is not None:
            raise LedgerError("refers_to", "a commitment refers to no other entry")
    else:
        target = by_id.get(new.refers_to)
        if target is None:
            raise LedgerError("refers_to", "the entry referred to does not exist")
        if new.kind in SETTLING:
            if target.kind != COMMITMENT:
                raise LedgerError("refers_to", "a payment or release settles a commitment")
            if target.id not in active:
                raise LedgerError("reversed", "the commitment has been reversed")
            rest = open_amount(entries, target.id)
            if new.amount > rest:
                code = "overpaid" if new.kind == PAYMENT else "over_released"
                raise LedgerError(code, "the amount exceeds what is open of the commitment")
        else:  # reversal
            if target.id not in active:
                raise LedgerError("reversed", "this entry has already been reversed")
            if new.amount != target.amount:
                raise LedgerError("amount", "a reversal has exactly the amount it reverses")

    after = [*entries, new]
    _check_state(after)
    result = balances(budget_amount, after)
    if result.available < 0:
        raise LedgerError("insufficient", "budget insufficient")
    return result


def _check_state(entries: Sequence[Entry]) -> None:
    """The state after an entry: settlements point at commitments in force, none overdrawn."""
    active = active_ids(entries)
    by_id = {entry.id: entry for entry in entries}
    for entry in entries:
        if entry.id in active and entry.kind in SETTLING and entry.refers_to not in active:
            raise LedgerError(
                "settled", "reverse the payments and releases of a commitment before it"
            )
    for commitment_id, (paid, released) in settled_by_commitment(entries, active).items():
        if paid + released > by_id[commitment_id].amount:
            raise LedgerError("overpaid", "the amount exceeds what is open of the commitment")


def replay(budget_amount: Decimal, entries: Iterable[Entry]) -> Balances:
    """Validate a whole ledger entry by entry; return the final balances."""
    seen: list[Entry] = []
    result = Balances(ZERO, ZERO, Decimal(budget_amount))
    for entry in entries:
        result = validate(budget_amount, seen, entry)
        seen.append(entry)
    return result
