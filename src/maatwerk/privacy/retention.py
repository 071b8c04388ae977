"""Retention periods of cases (issue 17, point 1): plain data in, a date out; no database.

A case concerns one or more kinds of help (`kinds_of`, by the mapping in
privacy/data/retention_mapping.yaml); each kind has a retention rule (a period counted from an
end event: the closing of the case, or the end of the provision). The case's retention ends at
the latest of its rules' ends: the longest wins. A case still open, or whose provision has not
ended, has no end yet.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

CASE_CLOSED = "case_closed"
PROVISION_ENDED = "provision_ended"
MAPPING_FILE = Path(__file__).resolve().parent / "data" / "retention_mapping.yaml"
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Rule:
    code: str
    years: int
    days: int
    counted_from: str  # CASE_CLOSED or PROVISION_ENDED

    def __post_init__(self):
        if self.years < 0 or self.days < 0 or (self.years == 0 and self.days == 0):
            raise ValueError("a retention period is positive")
        if self.counted_from not in (CASE_CLOSED, PROVISION_ENDED):
            raise ValueError(f"unknown end event {self.counted_from!r}")


@dataclass(frozen=True)
class CaseFacts:
    """What the retention of one case depends on."""

    closed_on: date | None  # None: the case is open
    # The day the last provision of the case ended (its last approved plan closed); None when
    # one is still running or the case had none.
    provision_ended_on: date | None = None
    provision_running: bool = False


def parse_period(value: str) -> tuple[int, int]:
    """(years, days) of an ISO 8601 period as the Selectielijst writes it: P15Y, P42D, P6M
    (months as 30 days would be a guess, so months are refused)."""
    match = _DURATION.match(value.strip())
    if not match or not any(match.groups()):
        raise ValueError(f"not a period: {value!r}")
    years, months, days = (int(g) if g else 0 for g in match.groups())
    if months:
        raise ValueError(f"periods in months are not supported: {value!r}")
    return years, days


def period_label(years: int, days: int) -> str:
    parts = []
    if years:
        parts.append(f"{years} jaar")
    if days:
        parts.append(f"{days} dagen" if days != 1 else "1 dag")
    return " en ".join(parts)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def start_of(rule: Rule, facts: CaseFacts) -> date | None:
    """The end event the rule counts from, or None while it has not happened."""
    if facts.closed_on is None:
        return None
    if rule.counted_from == CASE_CLOSED:
        return facts.closed_on
    if facts.provision_running:
        return None
    # A provision cannot end before the case did for retention: a case closed with its plan
    # already closed counts from the case's closing, the later of the two.
    return max(facts.closed_on, facts.provision_ended_on or facts.closed_on)


def rule_end(rule: Rule, facts: CaseFacts) -> date | None:
    start = start_of(rule, facts)
    if start is None:
        return None
    return add_years(start, rule.years) + timedelta(days=rule.days)


def end_date(facts: CaseFacts, rules: Iterable[Rule]) -> date | None:
    """The day the case's retention ends: the latest end of its rules. None while the case is
    open or any rule's end event has not happened (a running provision keeps the whole case)."""
    rules = list(rules)
    if not rules:
        raise ValueError("a case concerns at least one kind of help")
    ends = [rule_end(rule, facts) for rule in rules]
    if any(end is None for end in ends):
        return None
    return max(ends)


@dataclass(frozen=True)
class Mapping_:
    version: str
    laws: Mapping[str, str]
    rejected: str
    life_domains: Mapping[str, str]
    abandoned_reasons: frozenset[str]
    abandoned: str
    default: str

    def codes(self) -> set[str]:
        return {
            *self.laws.values(),
            self.rejected,
            *self.life_domains.values(),
            self.abandoned,
            self.default,
        }


@cache
def mapping() -> Mapping_:
    data = yaml.safe_load(MAPPING_FILE.read_text(encoding="utf-8"))
    return Mapping_(
        version=str(data["version"]),
        laws=dict(data["laws"]),
        rejected=data["rejected"],
        life_domains=dict(data["life_domains"]),
        abandoned_reasons=frozenset(data["abandoned"]["close_reasons"]),
        abandoned=data["abandoned"]["rule"],
        default=data["default"],
    )


def kinds_of(
    *,
    approved_laws: Iterable[str],
    rejected_plans: bool,
    has_approved_plan: bool,
    life_domains: Iterable[str],
    close_reason: str,
    m: Mapping_ | None = None,
) -> set[str]:
    """The retention rules (codes) a case concerns; never empty."""
    m = m or mapping()
    kinds = {m.laws[law] for law in approved_laws if law in m.laws}
    if rejected_plans:
        kinds.add(m.rejected)
    abandoned = not has_approved_plan and close_reason in m.abandoned_reasons
    if not abandoned:
        kinds |= {m.life_domains[d] for d in life_domains if d in m.life_domains}
    if not kinds:
        kinds.add(m.abandoned if abandoned else m.default)
    return kinds
