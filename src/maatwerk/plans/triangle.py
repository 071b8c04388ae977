"""The value triangle (*waardendriehoek*) as a pure function on plain data.

`assess` says per corner whether it is complete and, if not, what is missing — as stable codes.
Beside the three corners it checks the one thing the solution itself needs before submission:
its coded kind (issue 14), so the signals report can count kinds of maatwerk. A draft may lack
it; `Triangle.complete` (what submission requires) does not.
The Django layer (`messages.py`) turns the codes into sentences in the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

LEGITIMACY = "legitimacy"
INVOLVEMENT = "involvement"
RETURN = "return"
CORNERS = (LEGITIMACY, INVOLVEMENT, RETURN)
# Not a corner: the key under which `Triangle.missing` names what the solution lacks — the
# plan's field, so a refusal (page or API) names the field to fill in.
SOLUTION_KIND = "solution_kind"

# Missing-item codes.
NO_PROVISION = "no_provision"
PROVISION_WITHOUT_EXPLANATION = "provision_without_explanation"
NO_GOAL = "no_goal"
NO_RESIDENT_WORDS = "no_resident_words"
NO_AGREEMENT = "no_agreement"
NO_AGREEMENT_DATE = "no_agreement_date"
NO_AGREEMENT_HOW = "no_agreement_how"
NO_STANDARD_LINES = "no_standard_lines"
NO_TAILORED_LINES = "no_tailored_lines"
CALCULATION_FAILS = "calculation_fails"
FORGONE_FROM_BUDGET = "forgone_from_budget"
AMOUNT_UNEXPLAINED = "amount_unexplained"
NO_SOLUTION_KIND = "no_solution_kind"

CODES = (
    NO_PROVISION, PROVISION_WITHOUT_EXPLANATION, NO_GOAL, NO_RESIDENT_WORDS, NO_AGREEMENT,
    NO_AGREEMENT_DATE, NO_AGREEMENT_HOW, NO_STANDARD_LINES, NO_TAILORED_LINES, CALCULATION_FAILS,
    FORGONE_FROM_BUDGET, AMOUNT_UNEXPLAINED, NO_SOLUTION_KIND,
)  # fmt: skip


@dataclass(frozen=True)
class TriangleInput:
    provision_explanations: tuple[str, ...] = ()  # one explanation per chosen provision
    goal: str = ""  # the resident's goal, from the case
    resident_words: str = ""
    agreement: str = "unknown"  # "yes", "no" or "unknown"
    agreement_date: date | None = None
    agreement_how: str = ""
    standard_lines: int = 0
    tailored_lines: int = 0
    calculation_ok: bool = False
    # Forgone income is not paid: a tailored route of forgone lines only asks nothing of the
    # maatwerkbudget, so an amount requested would charge the ledger for money nobody pays.
    tailored_forgone_only: bool = False
    amount_requested: Decimal | None = None
    # What the tailored route's payments cost the budget bearer over the horizon (None while it
    # cannot be calculated). The amount requested decides which mandate decides, so where it
    # differs from this cost the plan must say why.
    budget_cost: Decimal | None = None
    amount_reason: str = ""
    solution_kind: str = ""  # the coded kind of solution (core.choices.SolutionKind)


@dataclass(frozen=True)
class Corner:
    name: str
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Triangle:
    corners: tuple[Corner, ...]
    solution: tuple[str, ...] = ()  # what the solution lacks before submission

    @property
    def corners_complete(self) -> bool:
        return all(c.complete for c in self.corners)

    @property
    def complete(self) -> bool:
        """Ready for submission: the three corners and the solution's kind."""
        return self.corners_complete and not self.solution

    @property
    def missing(self) -> dict[str, tuple[str, ...]]:
        """{corner name or SOLUTION_KIND: codes} for everything that blocks submission."""
        missing = {c.name: c.missing for c in self.corners if c.missing}
        if self.solution:
            missing[SOLUTION_KIND] = self.solution
        return missing

    def corner(self, name: str) -> Corner:
        return next(c for c in self.corners if c.name == name)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def amount_differs(requested: Decimal | None, budget_cost: Decimal | None) -> bool:
    """Whether the amount requested (empty counts as 0) differs from the route's cost to the
    budget bearer; False while that cost is unknown."""
    return budget_cost is not None and (requested or Decimal(0)) != budget_cost


def assess(data: TriangleInput) -> Triangle:
    legitimacy: list[str] = []
    if not data.provision_explanations:
        legitimacy.append(NO_PROVISION)
    elif any(_blank(e) for e in data.provision_explanations):
        legitimacy.append(PROVISION_WITHOUT_EXPLANATION)

    involvement: list[str] = []
    if _blank(data.goal):
        involvement.append(NO_GOAL)
    if _blank(data.resident_words):
        involvement.append(NO_RESIDENT_WORDS)
    if data.agreement != "yes":
        involvement.append(NO_AGREEMENT)
    if data.agreement_date is None:
        involvement.append(NO_AGREEMENT_DATE)
    if _blank(data.agreement_how):
        involvement.append(NO_AGREEMENT_HOW)

    ret: list[str] = []
    if data.standard_lines < 1:
        ret.append(NO_STANDARD_LINES)
    if data.tailored_lines < 1:
        ret.append(NO_TAILORED_LINES)
    if not ret and not data.calculation_ok:
        ret.append(CALCULATION_FAILS)
    if data.tailored_forgone_only and (data.amount_requested or 0) > 0:
        ret.append(FORGONE_FROM_BUDGET)
    elif amount_differs(data.amount_requested, data.budget_cost) and _blank(data.amount_reason):
        ret.append(AMOUNT_UNEXPLAINED)

    return Triangle(
        corners=(
            Corner(LEGITIMACY, tuple(legitimacy)),
            Corner(INVOLVEMENT, tuple(involvement)),
            Corner(RETURN, tuple(ret)),
        ),
        solution=() if not _blank(data.solution_kind) else (NO_SOLUTION_KIND,),
    )
