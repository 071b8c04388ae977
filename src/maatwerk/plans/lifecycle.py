"""The lifecycle of a plan as plain data: which status may follow which, and how each looks.

One source of truth for the services (that refuse a step not in `TRANSITIONS`), the database
(the status check constraint lists `STATUSES`) and the interface (one badge tone per status).
No Django here, so the rules are tested on their own.

    draft → submitted → approved ⇄ partly_paid ⇄ paid
                      ↘ rejected
                      ↘ withdrawn
    approved, paid, rejected, withdrawn → closed

Payments move a plan between approved, partly_paid and paid (a reversed payment moves it back);
closed is the end. A rejected or withdrawn plan is revised as a new version (a new draft), the
old version keeps its status.
"""

from __future__ import annotations

from decimal import Decimal

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
PARTLY_PAID = "partly_paid"
PAID = "paid"
CLOSED = "closed"

STATUSES = (DRAFT, SUBMITTED, APPROVED, REJECTED, WITHDRAWN, PARTLY_PAID, PAID, CLOSED)

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({APPROVED, REJECTED, WITHDRAWN}),
    APPROVED: frozenset({PARTLY_PAID, PAID, CLOSED}),
    PARTLY_PAID: frozenset({APPROVED, PAID}),
    PAID: frozenset({APPROVED, PARTLY_PAID, CLOSED}),
    REJECTED: frozenset({CLOSED}),
    WITHDRAWN: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

# Where a worker may close the plan; which may be revised as a new version; which are decided.
CLOSABLE = frozenset(s for s, after in TRANSITIONS.items() if CLOSED in after)
REVISABLE = frozenset({REJECTED, WITHDRAWN})
DECIDED = frozenset({APPROVED, REJECTED, PARTLY_PAID, PAID})
PAYABLE = frozenset({APPROVED, PARTLY_PAID, PAID})

# The tone of the status badge (the om-badge modifiers of the stylesheet).
TONES = {
    DRAFT: "neutral",
    SUBMITTED: "info",
    APPROVED: "ok",
    PARTLY_PAID: "ok",
    PAID: "ok",
    REJECTED: "error",
    WITHDRAWN: "neutral",
    CLOSED: "neutral",
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"a plan cannot go from {old!r} to {new!r}")
        self.old = old
        self.new = new


def may_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def check(old: str, new: str) -> None:
    """Raise `TransitionError` unless `old → new` is an allowed step."""
    if not may_transition(old, new):
        raise TransitionError(old, new)


def payment_status(paid: Decimal, still_open: Decimal) -> str:
    """The status of an approved plan from its ledger: nothing paid yet, part, or all of it.

    `paid` is what was paid on the plan's commitments in force, `still_open` what is still
    committed and neither paid nor released.
    """
    if paid <= 0:
        return APPROVED
    return PARTLY_PAID if still_open > 0 else PAID


def tone(status: str) -> str:
    return TONES.get(status, "neutral")
