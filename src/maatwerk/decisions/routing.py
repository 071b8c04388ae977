"""Mandates, the peer rule and the escalation ladder, as plain data and plain functions.

No Django in here: the models in `decisions.models` are turned into these dataclasses by the
services, and everything that decides *who* may decide *what* lives below, property-tested on
its own (tests/decisions/test_decisions_routing.py).

Vocabulary:

- a `Mandate` is the amount one role (or named body) may grant alone per plan, with an optional
  cap per household per year; ``amount=None`` means no upper limit (the top of the ladder);
- a `PeerLimit` (what the `PeerRule` model configures) lets ``peers_required`` colleagues of
  the same team approve a plan up to ``limit`` (the mini-maatwerkbudget); the author never
  counts and each colleague counts once;
- the ladder is a sequence of `Level`s ordered by ``position``; each level is a role or a named
  body (``doorbraaktafel``) with a deadline in working days. A level marked ``non_financial``
  takes plans without money that need another department or partner to act.
"""

from __future__ import annotations

from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")


class RoutingError(ValueError):
    """No level of the ladder can take this plan."""


class NoHolder(RoutingError):
    """Levels could take the plan, but nobody holds any of them."""


@dataclass(frozen=True)
class DepartmentRoute:
    """A plan without money whose obstacle has this blocking rule (or a rule applied by this
    kind of organisation) is decided by ``department``."""

    department: Hashable
    applier: str = ""
    rule: Hashable | None = None
    deadline_working_days: int = 10


@dataclass(frozen=True)
class Mandate:
    """What one role or body may grant alone per plan (``None``: no upper limit)."""

    role: str
    amount: Decimal | None
    household_cap_per_year: Decimal | None = None

    def covers(self, amount: Decimal) -> bool:
        return self.amount is None or amount <= self.amount


@dataclass(frozen=True)
class PeerLimit:
    """Up to ``limit``, ``peers_required`` colleagues of the author's team may approve."""

    limit: Decimal
    peers_required: int

    @property
    def bounds(self) -> tuple[Decimal, Decimal]:
        """(exclusive lower bound, inclusive upper bound) of the amounts colleagues decide."""
        return ZERO, Decimal(self.limit)

    def allows(self, amount: Decimal | None) -> bool:
        """Whether colleagues may decide a plan of ``amount``: above zero, up to the limit.

        The one place the peer limit is checked: services and selectors ask this, and the
        inbox query (`selectors.peer_amount_q`) uses `bounds`.
        """
        if amount is None:
            return False
        low, high = self.bounds
        return low < Decimal(amount) <= high


def within_peer_limit(peer_limit: PeerLimit | None, amount: Decimal | None) -> bool:
    """Whether a plan of ``amount`` may be decided by colleagues (no rule: never)."""
    return peer_limit is not None and peer_limit.allows(amount)


@dataclass(frozen=True)
class Level:
    """One rung of the escalation ladder: a role or a named body, and its deadline."""

    position: int
    role: str = ""
    body: str = ""
    deadline_working_days: int = 5
    non_financial: bool = False

    @property
    def key(self) -> str:
        """The name the mandates are looked up by: the role, or else the body's name."""
        return self.role or self.body


@dataclass(frozen=True)
class Vote:
    """One colleague's vote on a peer-decided plan."""

    voter: Hashable
    approve: bool
    team: Hashable | None = None


def mandate_for(key: str, mandates: Mapping[str, Mandate] | Iterable[Mandate]) -> Mandate | None:
    """The mandate of a role or body, or ``None`` when it has none."""
    if isinstance(mandates, Mapping):
        return mandates.get(key)
    for mandate in mandates:
        if mandate.role == key:
            return mandate
    return None


def _as_mapping(mandates: Mapping[str, Mandate] | Iterable[Mandate]) -> Mapping[str, Mandate]:
    if isinstance(mandates, Mapping):
        return mandates
    return {m.role: m for m in mandates}


def covers(level: Level, amount: Decimal, mandates: Mapping[str, Mandate]) -> bool:
    """Whether the mandate of ``level`` covers ``amount`` (no mandate covers nothing)."""
    mandate = mandates.get(level.key)
    return mandate is not None and mandate.covers(amount)


def _ordered(ladder: Iterable[Level]) -> list[Level]:
    return sorted(ladder, key=lambda level: level.position)


def route(
    amount: Decimal | None,
    ladder: Sequence[Level],
    mandates: Mapping[str, Mandate] | Iterable[Mandate],
    *,
    non_financial: bool | None = None,
) -> Level:
    """The level a submitted plan goes to.

    A financial plan goes to the lowest financial level whose mandate covers its amount. A plan
    without money (``amount`` is ``None`` or zero, unless ``non_financial`` says otherwise) goes
    to the first level marked non-financial, or to the lowest level when none is marked.
    Raises `RoutingError` when no level can take it.
    """
    amount = ZERO if amount is None else Decimal(amount)
    if amount < 0:
        raise RoutingError("amount must not be negative")
    if non_financial is None:
        non_financial = amount == 0
    levels = _ordered(ladder)
    if not levels:
        raise RoutingError("the escalation ladder is empty")
    if non_financial:
        for level in levels:
            if level.non_financial:
                return level
        return levels[0]
    by_key = _as_mapping(mandates)
    for level in levels:
        if not level.non_financial and covers(level, amount, by_key):
            return level
    raise RoutingError("no level of the ladder has a mandate for this amount")


@dataclass(frozen=True)
class Routed:
    """Where a plan goes, and the levels passed over on the way because nobody holds them."""

    level: Level
    skipped: tuple[Level, ...] = ()


def _first_held(candidates: Sequence[Level], held: Container[int]) -> Routed:
    for i, level in enumerate(candidates):
        if level.position in held:
            return Routed(level, tuple(candidates[:i]))
    raise NoHolder("nobody holds a level that can take this plan")


def route_to_holder(
    amount: Decimal | None,
    ladder: Sequence[Level],
    mandates: Mapping[str, Mandate] | Iterable[Mandate],
    held: Container[int],
    *,
    non_financial: bool | None = None,
) -> Routed:
    """`route`, but a level nobody holds (``held``: the positions that have a holder) is
    skipped upward to the first level that has one.

    A financial plan climbs only through levels whose mandate covers its amount; a plan without
    money through every level, those marked non-financial first (nothing to grant, so any
    decider may approve it). Raises `NoHolder` when no candidate level has a holder, and
    `RoutingError` when no level can take the plan at all.
    """
    amount = ZERO if amount is None else Decimal(amount)
    if non_financial is None:
        non_financial = amount == 0
    first = route(amount, ladder, mandates, non_financial=non_financial)
    levels = _ordered(ladder)
    if non_financial:
        marked = [lv for lv in levels if lv.non_financial]
        candidates = marked + [lv for lv in levels if lv not in marked]
    else:
        by_key = _as_mapping(mandates)
        candidates = [
            lv
            for lv in levels
            if lv.position >= first.position and not lv.non_financial and covers(lv, amount, by_key)
        ]
    return _first_held(candidates, held)


def escalate_to_holder(
    ladder: Sequence[Level], current: int | None, held: Container[int]
) -> Routed:
    """The first level above position ``current`` that has a holder (from the bottom when
    ``current`` is None, e.g. after a department's step), with the empty levels passed over.

    Raises `NoHolder` at the top of the ladder.
    """
    candidates = []
    level = next_level(ladder, -1 if current is None else current)
    while level is not None:
        candidates.append(level)
        level = next_level(ladder, level)
    if not candidates:
        raise NoHolder("this is the top of the ladder")
    return _first_held(candidates, held)


def department_for(
    asks: Sequence[tuple[Hashable | None, str]], routes: Iterable[DepartmentRoute]
) -> DepartmentRoute | None:
    """The department that decides a plan without money.

    ``asks`` is, per obstacle of the plan in order, its blocking rule and who applies that rule.
    The first obstacle that maps decides; for it, a route for its very rule wins over a route
    for its applier. ``None`` when no route matches (the ladder decides then).
    """
    routes = list(routes)
    for rule, applier in asks:
        for route_ in routes:
            if rule is not None and route_.rule == rule:
                return route_
        for route_ in routes:
            if route_.rule is None and applier and route_.applier == applier:
                return route_
    return None


def next_level(ladder: Sequence[Level], current: Level | int) -> Level | None:
    """The level above ``current`` (a `Level` or a position), or ``None`` at the top.

    Escalation climbs the decision ladder: levels reserved for non-financial plans are skipped.
    """
    position = current if isinstance(current, int) else current.position
    for level in _ordered(ladder):
        if level.position > position and not level.non_financial:
            return level
    return None


# Why someone may not take a decision or cast a peer vote (`refusal`, `vote_refusal`).
OWN_PLAN = "own_plan"
NOT_ROUTED = "not_routed"
BEYOND_MANDATE = "mandate"
ABOVE_PEER_LIMIT = "peer_limit"
NOT_A_COLLEAGUE = "not_a_colleague"


def is_own_plan(person: Hashable | None, author: Hashable | None, submitter=None) -> bool:
    """Whether ``person`` wrote or submitted the plan (ids or any comparable values)."""
    return person is not None and person in (author, submitter)


def refusal(
    role: str,
    amount: Decimal | None,
    mandates: Mapping[str, Mandate] | Iterable[Mandate],
    *,
    author_is_decider: bool,
    holds_step: bool = True,
) -> str | None:
    """Why someone in ``role`` may not decide a plan of ``amount`` alone, or ``None``.

    The one owner of "nobody decides on their own plan": ``OWN_PLAN`` whatever the mandate
    and the step. Then ``NOT_ROUTED`` when the step is not theirs, and ``BEYOND_MANDATE`` when
    the amount is more than their mandate. A decision that grants nothing (``amount`` is
    ``None`` or zero: a plan without money, or a rejection) needs no mandate.
    """
    if author_is_decider:
        return OWN_PLAN
    if not holds_step:
        return NOT_ROUTED
    if amount is None or Decimal(amount) == 0:
        return None
    mandate = mandate_for(role, mandates)
    if mandate is None or not mandate.covers(Decimal(amount)):
        return BEYOND_MANDATE
    return None


def may_decide(
    role: str,
    amount: Decimal | None,
    mandates: Mapping[str, Mandate] | Iterable[Mandate],
    author_is_decider: bool,
) -> bool:
    """Whether someone in ``role`` may decide alone on a plan of ``amount`` (see `refusal`).

    Nobody decides on their own plan, whatever their mandate. A plan without money grants
    nothing, so whoever it is routed to may decide it, mandate or not.
    """
    return refusal(role, amount, mandates, author_is_decider=author_is_decider) is None


def vote_refusal(
    amount: Decimal | None,
    peer_limit: PeerLimit | None,
    *,
    author_is_voter: bool,
    is_colleague: bool,
) -> str | None:
    """Why someone may not cast a peer vote on a plan of ``amount``, or ``None``.

    ``ABOVE_PEER_LIMIT`` when no peer rule covers the amount, ``OWN_PLAN`` for the plan's
    author or submitter, ``NOT_A_COLLEAGUE`` for anybody outside the plan's team.
    """
    if not within_peer_limit(peer_limit, amount):
        return ABOVE_PEER_LIMIT
    if author_is_voter:
        return OWN_PLAN
    if not is_colleague:
        return NOT_A_COLLEAGUE
    return None


def within_household_cap(mandate: Mandate, amount: Decimal, granted_this_year: Decimal) -> bool:
    """Whether granting ``amount`` keeps the household under the mandate's yearly cap."""
    if mandate.household_cap_per_year is None:
        return True
    return granted_this_year + amount <= mandate.household_cap_per_year


def counting_votes(
    votes: Iterable[Vote], author: Hashable, team: Hashable | None = None
) -> dict[Hashable, bool]:
    """The votes that count, one per colleague (the last one), never the author's.

    With ``team`` given, votes from another team do not count either.
    """
    counted: dict[Hashable, bool] = {}
    for vote in votes:
        if vote.voter == author:
            continue
        if team is not None and vote.team != team:
            continue
        counted[vote.voter] = vote.approve
    return counted


def peer_approved(
    amount: Decimal | None,
    peer_limit: PeerLimit | None,
    votes: Iterable[Vote],
    author: Hashable,
    team: Hashable | None = None,
) -> bool:
    """Whether colleagues approved a plan under the peer rule.

    Only for amounts above zero and up to the rule's limit; the author's vote never counts; each
    colleague counts once (their last vote); with ``team`` given only that team's votes count.
    """
    if not within_peer_limit(peer_limit, amount) or peer_limit.peers_required < 1:
        return False
    approvals = sum(1 for ok in counting_votes(votes, author, team).values() if ok)
    return approvals >= peer_limit.peers_required


def is_working_day(day: date, holidays: Container[date] = ()) -> bool:
    """Monday to Friday, and not one of ``holidays`` (see `maatwerk.core.holidays`)."""
    return day.weekday() < 5 and day not in holidays


def deadline(start: date | datetime, working_days: int, holidays: Container[date] = ()) -> date:
    """The date ``working_days`` working days (Monday–Friday, not a holiday) after ``start``.

    ``holidays`` is any container of dates (a set, or a `maatwerk.core.holidays.Calendar`).
    Zero working days means the start date itself.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    day = start.date() if isinstance(start, datetime) else start
    remaining = working_days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def is_overdue(now: date | datetime, due: date | None) -> bool:
    """Whether ``due`` has passed: a deadline runs to the end of its day."""
    if due is None:
        return False
    today = now.date() if isinstance(now, datetime) else now
    return today > due


def working_days_between(start: date, end: date, holidays: Container[date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
