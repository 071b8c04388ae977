"""Collective patterns (issue 14, point 5) as pure functions on plain data.

Per neighbourhood code and life domain: which obstacles (blocking rules, the newly described
ones together) recur — distinct households with such an obstacle recorded in a fixed period.
A household counts once per pattern; a case in several life domains counts under each, so
patterns of one neighbourhood do not add up, and no total is shown: with no published total,
nothing hidden can be worked out from one. A pattern lies inside one cell of the signal
report's per-neighbourhood breakdown (rule × neighbourhood): where the report hides that cell,
the pattern is hidden too, so the two pages together reveal no more than the report alone.

The suppression is `core.small_numbers.suppress` under the inside rule: a pattern with fewer
than 5 households is not shown (only how many such patterns there are). Nothing here names a
case, a household or a person, and no free text enters (a newly described rule is NEW_RULE).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from maatwerk.core.small_numbers import Cell, Rule, suppress

from .report import NEW_RULE

NO_DOMAIN = ""  # a case without a recorded life domain


@dataclass(frozen=True)
class PatternFact:
    """One obstacle of the period: its household, the case's neighbourhood code, one life
    domain of its case (one fact per domain) and its rule (a BlockingRule id or NEW_RULE)."""

    household: int
    neighbourhood: str
    domain: str
    rule: int | str


@dataclass(frozen=True)
class Pattern:
    neighbourhood: str
    domain: str
    rule: int | str
    households: int


@dataclass
class Patterns:
    shown: list[Pattern]  # most households first
    hidden: dict[str, int]  # per neighbourhood: how many patterns are too small to show


def facts_for(
    household: int, neighbourhood: str, domains: Iterable[str], rule: int | str | None
) -> list[PatternFact]:
    """The facts of one obstacle (a case without a life domain counts under NO_DOMAIN)."""
    rule = NEW_RULE if rule is None else rule
    return [
        PatternFact(household, neighbourhood, d, rule)
        for d in (sorted(set(domains)) or [NO_DOMAIN])
    ]


def build(facts: Iterable[PatternFact], rule: Rule, withheld: frozenset = frozenset()) -> Patterns:
    """The patterns that may be shown under `rule`, sorted by households (most first, then by
    key), and per neighbourhood the number of hidden ones. `withheld` holds the (rule,
    neighbourhood) cells the signal report hides for the same period: a pattern inside such a
    cell is hidden too, or its count would give away part of what the report hides (a lower
    bound of a cell kept back by secondary suppression)."""
    households: dict[tuple, set[int]] = defaultdict(set)
    for f in facts:
        households[(f.neighbourhood, f.domain, f.rule)].add(f.household)
    keys = sorted(households, key=str)
    table = suppress(
        [[Cell(len(households[k]))] for k in keys], rule, row_totals=False, column_totals=False
    )
    shown, hidden = [], defaultdict(int)
    for i, key in enumerate(keys):
        if (i, 0) in table.hidden or (key[2], key[0]) in withheld:
            hidden[key[0]] += 1
        else:
            n = rule.shown_count(len(households[key]))
            shown.append(Pattern(key[0], key[1], key[2], n))
    shown.sort(key=lambda p: (-p.households, p.neighbourhood, p.domain, str(p.rule)))
    return Patterns(shown, dict(hidden))
