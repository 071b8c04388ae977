"""Routing, mandates, peer rule, deadlines and ledger arithmetic: plain functions, no database."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.decisions import ledger, routing
from maatwerk.decisions.ledger import Entry, LedgerError, balances, replay, validate
from maatwerk.decisions.routing import (
    DepartmentRoute,
    Level,
    Mandate,
    NoHolder,
    PeerLimit,
    RoutingError,
    Vote,
    counting_votes,
    deadline,
    department_for,
    escalate_to_holder,
    is_overdue,
    is_own_plan,
    mandate_for,
    may_decide,
    next_level,
    peer_approved,
    refusal,
    route,
    route_to_holder,
    vote_refusal,
    within_household_cap,
    within_peer_limit,
    working_days_between,
)

quick = settings(max_examples=200, deadline=None)

MANDATES = {
    "worker": Mandate("worker", D("500")),
    "team_lead": Mandate("team_lead", D("2500")),
    "manager": Mandate("manager", D("10000"), household_cap_per_year=D("15000")),
    "director": Mandate("director", None),
}
LADDER = [
    Level(0, role="worker", deadline_working_days=2),
    Level(1, role="team_lead", deadline_working_days=3),
    Level(2, role="manager", deadline_working_days=5),
    Level(3, role="director", deadline_working_days=5),
    Level(4, body="burgerzaken", deadline_working_days=10, non_financial=True),
]


def cents(max_euros: int, min_cents: int = 0):
    return st.integers(min_cents, max_euros * 100).map(lambda n: D(n) / 100)


# --- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "role"),
    [
        (D("0.01"), "worker"),
        (D("500"), "worker"),
        (D("500.01"), "team_lead"),
        (D("2500"), "team_lead"),
        (D("6500"), "manager"),
        (D("10000"), "manager"),
        (D("10000.01"), "director"),
        (D("1000000"), "director"),
    ],
)
def test_route_goes_to_lowest_level_that_covers(amount, role):
    assert route(amount, LADDER, MANDATES).role == role


def test_route_non_financial_goes_to_the_named_level():
    assert route(None, LADDER, MANDATES).body == "burgerzaken"
    assert route(D("0"), LADDER, MANDATES).body == "burgerzaken"
    assert route(D("0"), LADDER, MANDATES, non_financial=False).role == "worker"
    # Without a non-financial level, a plan without money goes to the lowest level.
    assert route(None, LADDER[:4], MANDATES).role == "worker"


def test_route_accepts_a_list_of_mandates_and_refuses_what_nobody_covers():
    assert route(D("700"), LADDER, list(MANDATES.values())).role == "team_lead"
    capped = {k: v for k, v in MANDATES.items() if k != "director"}
    with pytest.raises(RoutingError):
        route(D("20000"), LADDER, capped)
    with pytest.raises(RoutingError):
        route(D("5"), [], MANDATES)
    with pytest.raises(RoutingError):
        route(D("-1"), LADDER, MANDATES)


def test_a_body_level_needs_a_mandate_of_its_own():
    ladder = [Level(0, role="manager"), Level(1, body="doorbraaktafel")]
    assert (
        route(
            D("50000"), ladder, {**MANDATES, "doorbraaktafel": Mandate("doorbraaktafel", None)}
        ).body
        == "doorbraaktafel"
    )
    with pytest.raises(RoutingError):
        route(D("50000"), ladder, MANDATES)


def test_next_level_climbs_and_skips_non_financial_levels():
    assert next_level(LADDER, LADDER[0]).role == "team_lead"
    assert next_level(LADDER, 2).role == "director"
    assert next_level(LADDER, LADDER[3]) is None
    # From the non-financial level there is nothing higher here.
    assert next_level(LADDER, LADDER[4]) is None
    shuffled = [LADDER[3], LADDER[1], LADDER[0], LADDER[2]]
    assert next_level(shuffled, LADDER[1]).role == "manager"


def test_may_decide_never_on_own_plan():
    assert may_decide("manager", D("6500"), MANDATES, author_is_decider=False)
    assert not may_decide("manager", D("6500"), MANDATES, author_is_decider=True)
    assert not may_decide("worker", D("6500"), MANDATES, author_is_decider=False)
    assert not may_decide("policy_analyst", D("1"), MANDATES, author_is_decider=False)
    assert may_decide("director", D("99999999"), MANDATES, author_is_decider=False)


def test_household_cap():
    manager = MANDATES["manager"]
    assert within_household_cap(manager, D("5000"), D("10000"))
    assert not within_household_cap(manager, D("5000.01"), D("10000"))
    assert within_household_cap(MANDATES["worker"], D("500"), D("99999"))


mandate_amounts = st.lists(cents(20000, 1), min_size=1, max_size=6, unique=True)


@st.composite
def ladders(draw):
    amounts = sorted(draw(mandate_amounts))
    if draw(st.booleans()):
        amounts.append(None)  # an unlimited top
    roles = [f"r{i}" for i in range(len(amounts))]
    # Mandates need not grow with the position: the ladder is whatever the admin configured.
    order = draw(st.permutations(range(len(roles))))
    mandates = {role: Mandate(role, amount) for role, amount in zip(roles, amounts, strict=True)}
    ladder = [
        Level(position=pos, role=roles[i], deadline_working_days=draw(st.integers(0, 10)))
        for pos, i in enumerate(order)
    ]
    if draw(st.booleans()):
        ladder.append(Level(len(ladder), body="partner", non_financial=True))
    return ladder, mandates


@quick
@given(ladders(), cents(30000, 1))
def test_property_never_routed_below_the_amount(ladder_and_mandates, amount):
    ladder, mandates = ladder_and_mandates
    try:
        level = route(amount, ladder, mandates)
    except RoutingError:
        # Only when truly nobody covers it.
        assert all(m.amount is not None and m.amount < amount for m in mandates.values())
        return
    mandate = mandates[level.key]
    assert mandate.amount is None or mandate.amount >= amount
    assert not level.non_financial
    # And it is the lowest such level.
    for lower in ladder:
        if lower.position < level.position and not lower.non_financial:
            m = mandates[lower.key]
            assert m.amount is not None and m.amount < amount


@quick
@given(ladders(), cents(30000, 1), st.booleans())
def test_property_may_decide_matches_the_mandate(ladder_and_mandates, amount, own):
    _, mandates = ladder_and_mandates
    for role, mandate in mandates.items():
        allowed = may_decide(role, amount, mandates, author_is_decider=own)
        assert allowed == (not own and (mandate.amount is None or amount <= mandate.amount))


# --- peers -------------------------------------------------------------------------------------

RULE = PeerLimit(limit=D("500"), peers_required=3)


def test_peer_three_colleagues_approve_two_do_not():
    votes = [Vote("a", True, "T"), Vote("b", True, "T")]
    assert not peer_approved(D("300"), RULE, votes, author="w", team="T")
    votes.append(Vote("c", True, "T"))
    assert peer_approved(D("300"), RULE, votes, author="w", team="T")


def test_peer_author_vote_never_counts_and_each_peer_once():
    votes = [Vote("w", True, "T"), Vote("a", True, "T"), Vote("a", True, "T"), Vote("b", True, "T")]
    assert not peer_approved(D("300"), RULE, votes, author="w", team="T")
    assert counting_votes(votes, author="w") == {"a": True, "b": True}


def test_peer_other_team_and_changed_votes():
    votes = [Vote("a", True, "T"), Vote("b", True, "T"), Vote("x", True, "U")]
    assert not peer_approved(D("300"), RULE, votes, author="w", team="T")
    votes = [
        Vote("a", True, "T"),
        Vote("b", True, "T"),
        Vote("c", True, "T"),
        Vote("c", False, "T"),
    ]
    assert not peer_approved(D("300"), RULE, votes, author="w", team="T")


def test_peer_never_above_the_limit_or_without_money_or_rule():
    votes = [Vote(f"p{i}", True, "T") for i in range(10)]
    assert peer_approved(D("500"), RULE, votes, author="w", team="T")
    assert not peer_approved(D("500.01"), RULE, votes, author="w", team="T")
    assert not peer_approved(D("0"), RULE, votes, author="w", team="T")
    assert not peer_approved(None, RULE, votes, author="w", team="T")
    assert not peer_approved(D("100"), None, votes, author="w", team="T")


voters = st.sampled_from(["author", "a", "b", "c", "d", "e"])
vote_lists = st.lists(
    st.builds(Vote, voter=voters, approve=st.booleans(), team=st.sampled_from(["T", "U"])),
    max_size=15,
)


@quick
@given(cents(2000), cents(1000, 1), st.integers(1, 4), vote_lists)
def test_property_peers_never_approve_above_the_limit(amount, limit, required, votes):
    rule = PeerLimit(limit=limit, peers_required=required)
    if amount > limit:
        assert not peer_approved(amount, rule, votes, author="author", team="T")


@quick
@given(cents(1000, 1), st.integers(1, 4), vote_lists, st.booleans())
def test_property_author_vote_never_counts(amount, required, votes, author_approves):
    rule = PeerLimit(limit=D("1000"), peers_required=required)
    without = [v for v in votes if v.voter != "author"]
    with_author = [*votes, Vote("author", author_approves, "T")]
    assert peer_approved(amount, rule, with_author, "author", "T") == peer_approved(
        amount, rule, without, "author", "T"
    )
    # Approval means enough distinct colleagues of the team, none of them the author.
    if peer_approved(amount, rule, votes, "author", "T"):
        last = {}
        for v in votes:
            if v.voter != "author" and v.team == "T":
                last[v.voter] = v.approve
        assert sum(last.values()) >= required


# --- deadlines ---------------------------------------------------------------------------------


def test_deadline_skips_weekends_and_holidays():
    friday = date(2026, 11, 27)
    assert deadline(friday, 1) == date(2026, 11, 30)  # Monday
    assert deadline(friday, 5) == date(2026, 12, 4)
    assert deadline(friday, 0) == friday
    assert deadline(datetime(2026, 11, 27, 16, 0), 1) == date(2026, 11, 30)
    christmas = [date(2026, 12, 25), date(2026, 12, 28)]  # Friday, and a Monday off
    assert deadline(date(2026, 12, 24), 1, christmas) == date(2026, 12, 29)
    with pytest.raises(ValueError):
        deadline(friday, -1)


def test_is_overdue_runs_to_the_end_of_the_day():
    due = date(2026, 11, 30)
    assert not is_overdue(datetime(2026, 11, 30, 23, 59), due)
    assert is_overdue(datetime(2026, 12, 1, 0, 0), due)
    assert is_overdue(date(2026, 12, 1), due)
    assert not is_overdue(date(2026, 12, 1), None)


@quick
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test_property_deadline_is_a_working_day_exactly_n_working_days_on(start, n):
    due = deadline(start, n)
    if n:
        assert due.weekday() < 5
        assert due > start
    assert working_days_between(start, due) == n
    # At most n working days plus the weekends in between: never more than n + 2 per week + 2.
    assert (due - start).days <= n + 2 * (n // 5 + 1)


# --- ledger ------------------------------------------------------------------------------------


def E(i, kind, amount, ref=None):
    return Entry(i, kind, D(amount), ref)


def test_ledger_commit_pay_release():
    entries = [
        E(1, "commitment", "6500"),
        E(2, "payment", "4000", 1),
        E(3, "release", "500", 1),
        E(4, "commitment", "1000"),
    ]
    assert replay(D("10000"), entries) == (D("3000"), D("4000"), D("3000"))
    assert balances(D("10000"), entries) == (D("3000"), D("4000"), D("3000"))


def test_ledger_refusals():
    base = [E(1, "commitment", "600"), E(2, "payment", "500", 1)]
    replay(D("1000"), base)
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), base, E(3, "payment", "100.01", 1))
    assert err.value.code == "overpaid"
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), base, E(3, "release", "100.01", 1))
    assert err.value.code == "over_released"
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), base, E(3, "commitment", "400.01"))
    assert err.value.code == "insufficient"
    with pytest.raises(LedgerError):
        validate(D("1000"), base, E(3, "payment", "1", 2))  # pays a payment
    with pytest.raises(LedgerError):
        validate(D("1000"), base, E(3, "reversal", "600", 99))  # nothing to reverse
    with pytest.raises(LedgerError):
        validate(D("1000"), base, E(3, "reversal", "1", 2))  # not exactly the amount
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), base, E(3, "reversal", "600", 1))  # commitment still has a payment
    assert err.value.code == "settled"
    for bad in ("0", "-5"):
        with pytest.raises(LedgerError):
            validate(D("1000"), base, E(3, "commitment", bad))
    with pytest.raises(LedgerError):
        validate(D("1000"), base, E(3, "gift", "5"))
    with pytest.raises(LedgerError):
        validate(D("1000"), base, E(1, "commitment", "5"))


def test_ledger_reversal_and_reversal_of_reversal():
    entries = [E(1, "commitment", "600"), E(2, "payment", "500", 1)]
    entries.append(E(3, "reversal", "500", 2))
    assert replay(D("1000"), entries) == (D("600"), D("0"), D("400"))
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), entries, E(4, "reversal", "500", 2))  # twice
    assert err.value.code == "reversed"
    entries.append(E(4, "reversal", "500", 3))
    assert replay(D("1000"), entries) == (D("100"), D("500"), D("400"))


def test_ledger_restoring_a_commitment_must_still_fit():
    entries = [E(1, "commitment", "600"), E(2, "reversal", "600", 1), E(3, "commitment", "900")]
    replay(D("1000"), entries)
    with pytest.raises(LedgerError) as err:
        validate(D("1000"), entries, E(4, "reversal", "600", 2))
    assert err.value.code == "insufficient"


operations = st.lists(
    st.tuples(
        st.sampled_from(ledger.KINDS),
        st.integers(1, 3000).map(lambda n: D(n) / 10),
        st.integers(0, 30),
    ),
    max_size=40,
)


@quick
@given(st.integers(0, 500).map(lambda n: D(n) * 10), operations)
def test_property_validated_ledger_never_overdraws_and_sums_match(budget, ops):
    entries: list[Entry] = []
    for i, (kind, amount, ref_index) in enumerate(ops):
        ref = entries[ref_index % len(entries)].id if entries and kind != "commitment" else None
        if kind == "reversal" and ref is not None:
            amount = next(e.amount for e in entries if e.id == ref)
        candidate = Entry(i, kind, amount, ref)
        try:
            result = validate(budget, entries, candidate)
        except LedgerError:
            continue  # refused: the entry is not appended
        entries.append(candidate)
        assert result == balances(budget, entries)
        assert result.available >= 0
        assert result.committed_open >= 0
        assert result.paid >= 0
        assert result.committed_open + result.paid + result.available == budget
    # Sums consistent with a straightforward recount over entries in force.
    active = ledger.active_ids(entries)
    commitments = sum(
        (e.amount for e in entries if e.id in active and e.kind == "commitment"), D(0)
    )
    paid = sum((e.amount for e in entries if e.id in active and e.kind == "payment"), D(0))
    released = sum((e.amount for e in entries if e.id in active and e.kind == "release"), D(0))
    open_, paid_total, available = balances(budget, entries)
    assert paid_total == paid
    assert open_ == commitments - paid - released
    assert available == budget - commitments + released


@quick
@given(st.lists(st.integers(1, 1000).map(D), min_size=1, max_size=10), st.data())
def test_property_reversal_of_a_reversal_restores(amounts, data):
    budget = sum(amounts, D(0))
    entries = [Entry(i, "commitment", a) for i, a in enumerate(amounts)]
    before = balances(budget, entries)
    target = data.draw(st.sampled_from(entries))
    n = len(entries)
    entries.append(Entry(n, "reversal", target.amount, target.id))
    after_one = replay(budget, entries)
    assert after_one.available == before.available + target.amount
    entries.append(Entry(n + 1, "reversal", target.amount, n))
    assert replay(budget, entries) == before


# --- routing to a level somebody holds (issue 8) -----------------------------------------------

EVERY_LEVEL = frozenset(level.position for level in LADDER)


def test_a_level_nobody_holds_is_skipped_upward():
    routed = route_to_holder(D("6500"), LADDER, MANDATES, held=EVERY_LEVEL - {2})
    assert routed.level.role == "director"
    assert [level.role for level in routed.skipped] == ["manager"]
    # Held: no detour.
    routed = route_to_holder(D("6500"), LADDER, MANDATES, held=EVERY_LEVEL)
    assert (routed.level.role, routed.skipped) == ("manager", ())


def test_nobody_holds_any_level_that_could_take_it():
    with pytest.raises(NoHolder):
        route_to_holder(D("6500"), LADDER, MANDATES, held={0, 1})  # below the amount only
    with pytest.raises(NoHolder):
        route_to_holder(D("0"), LADDER, MANDATES, held=set())
    # NoHolder is a RoutingError, but not every RoutingError is NoHolder.
    with pytest.raises(RoutingError) as err:
        route_to_holder(D("50"), LADDER, {}, held=EVERY_LEVEL)
    assert not isinstance(err.value, NoHolder)


def test_a_plan_without_money_goes_to_a_held_level_non_financial_first():
    assert route_to_holder(D("0"), LADDER, MANDATES, held=EVERY_LEVEL).level.body == "burgerzaken"
    routed = route_to_holder(None, LADDER, MANDATES, held={1, 3})
    assert routed.level.role == "team_lead"
    assert [lv.key for lv in routed.skipped] == ["burgerzaken", "worker"]


def test_escalation_passes_levels_nobody_holds():
    routed = escalate_to_holder(LADDER, 0, held={0, 3})
    assert routed.level.role == "director"
    assert [lv.role for lv in routed.skipped] == ["team_lead", "manager"]
    assert escalate_to_holder(LADDER, None, held={1}).level.role == "team_lead"
    with pytest.raises(NoHolder):
        escalate_to_holder(LADDER, 3, held=EVERY_LEVEL)  # the top


def test_a_plan_without_money_may_be_decided_without_a_mandate():
    assert may_decide("team_lead", D("0"), {}, author_is_decider=False)
    assert may_decide("", None, MANDATES, author_is_decider=False)
    assert not may_decide("team_lead", D("0"), MANDATES, author_is_decider=True)


BRP, INCOME = (
    DepartmentRoute("burgerzaken", applier="municipality_brp"),
    DepartmentRoute("werk_en_inkomen", applier="municipality"),
)


def test_a_plan_without_money_goes_to_the_department_of_what_it_asks():
    routes = [INCOME, BRP]
    assert department_for([(7, "municipality_brp")], routes) == BRP
    assert department_for([(3, "municipality")], routes) == INCOME
    assert department_for([(9, "uwv")], routes) is None
    assert department_for([], routes) is None
    # The first obstacle that maps decides; a route for the very rule wins over its applier.
    assert department_for([(9, "uwv"), (3, "municipality")], routes) == INCOME
    rule_route = DepartmentRoute("schuldhulp", rule=3)
    assert department_for([(3, "municipality")], [INCOME, rule_route]) == rule_route


@st.composite
def holdings(draw):
    ladder, mandates = draw(ladders())
    held = draw(st.sets(st.sampled_from([lv.position for lv in ladder])))
    return ladder, mandates, held


@quick
@given(holdings(), cents(30000, 0))
def test_property_routed_to_a_held_level_that_covers_past_only_empty_ones(data, amount):
    ladder, mandates, held = data
    try:
        routed = route_to_holder(amount, ladder, mandates, held)
    except NoHolder:
        # Nobody holds any level that could take it.
        if amount == 0:
            assert not held
        else:
            assert not any(
                lv.position in held
                and not lv.non_financial
                and (mandates[lv.key].amount is None or mandates[lv.key].amount >= amount)
                and lv.position >= route(amount, ladder, mandates).position
                for lv in ladder
            )
        return
    except RoutingError:
        assert all(m.amount is not None and m.amount < amount for m in mandates.values())
        return
    assert routed.level.position in held
    assert all(lv.position not in held for lv in routed.skipped)
    if amount > 0:
        mandate = mandates[routed.level.key]
        assert mandate.amount is None or mandate.amount >= amount
        first = route(amount, ladder, mandates)
        # Never below where the amount belongs; skipped levels lie between the two.
        assert routed.level.position >= first.position
        assert all(first.position <= lv.position < routed.level.position for lv in routed.skipped)
    else:
        # Without money every decider may approve: the step is approvable where it lands.
        assert may_decide(routed.level.key, amount, mandates, author_is_decider=False)


@quick
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(1, 5)), st.sampled_from(["a", "b", "c", ""])),
        max_size=4,
    ),
    st.lists(
        st.one_of(
            st.builds(DepartmentRoute, st.sampled_from("XYZ"), applier=st.sampled_from("abc")),
            st.builds(DepartmentRoute, st.sampled_from("XYZ"), rule=st.integers(1, 5)),
        ),
        max_size=5,
    ),
)
def test_property_department_matches_the_first_obstacle_that_maps(asks, routes):
    found = department_for(asks, routes)
    maps = [
        (rule, applier)
        for rule, applier in asks
        if any(r.rule == rule and rule is not None for r in routes)
        or any(r.rule is None and applier and r.applier == applier for r in routes)
    ]
    if not maps:
        assert found is None
        return
    rule, applier = maps[0]
    by_rule = [r for r in routes if rule is not None and r.rule == rule]
    assert found == (
        by_rule[0]
        if by_rule
        else next(r for r in routes if r.rule is None and r.applier == applier)
    )


# --- one owner per rule, and examples that kill mutants that survived (issue 10) --------------


def test_a_one_colleague_peer_rule():
    rule = PeerLimit(limit=D("250"), peers_required=1)
    assert peer_approved(D("250"), rule, [Vote("a", True, "T")], author="w", team="T")
    assert not peer_approved(D("250"), rule, [Vote("a", False, "T")], author="w", team="T")
    assert not peer_approved(D("250"), rule, [Vote("w", True, "T")], author="w", team="T")
    assert not peer_approved(D("250"), rule, [], author="w", team="T")
    # A rule that asks for nobody approves nothing.
    nobody = PeerLimit(limit=D("250"), peers_required=0)
    assert not peer_approved(D("250"), nobody, [Vote("a", True, "T")], author="w", team="T")


@pytest.mark.parametrize(
    "order",
    [("w", "a", "b"), ("a", "w", "b"), ("a", "b", "w")],
    ids=["author-first", "author-between", "author-last"],
)
def test_the_authors_vote_anywhere_among_the_votes_is_skipped_not_the_rest(order):
    votes = [Vote(voter, voter != "w", "T") for voter in order]
    rule = PeerLimit(limit=D("500"), peers_required=2)
    assert counting_votes(votes, author="w") == {"a": True, "b": True}
    assert counting_votes(votes, author="w", team="T") == {"a": True, "b": True}
    assert peer_approved(D("300"), rule, votes, author="w", team="T")


def test_mandate_lookup_with_amount_none():
    top = Mandate("director", None)
    assert top.covers(D("1000000000"))
    assert mandate_for("director", [MANDATES["worker"], top]) is top
    assert mandate_for("director", MANDATES).amount is None
    assert mandate_for("nobody", list(MANDATES.values())) is None
    assert route(D("10000.01"), LADDER, list(MANDATES.values())).role == "director"
    assert may_decide("director", D("1000000000"), MANDATES, author_is_decider=False)
    # A decision that grants nothing (amount None) needs no mandate, but is never one's own.
    assert may_decide("policy_analyst", None, MANDATES, author_is_decider=False)
    assert may_decide("worker", None, {}, author_is_decider=False)
    assert not may_decide("director", None, MANDATES, author_is_decider=True)


def test_refusal_says_why_own_plan_first():
    assert refusal("worker", D("1"), MANDATES, author_is_decider=False) is None
    assert refusal("worker", D("1"), MANDATES, author_is_decider=True) == routing.OWN_PLAN
    assert (
        refusal("worker", D("1"), MANDATES, author_is_decider=True, holds_step=False)
        == routing.OWN_PLAN
    )
    assert (
        refusal("worker", D("1"), MANDATES, author_is_decider=False, holds_step=False)
        == routing.NOT_ROUTED
    )
    assert refusal("worker", D("500.01"), MANDATES, author_is_decider=False) == (
        routing.BEYOND_MANDATE
    )
    assert refusal("nobody", D("1"), MANDATES, author_is_decider=False) == routing.BEYOND_MANDATE
    assert refusal("worker", None, MANDATES, author_is_decider=False, holds_step=False) == (
        routing.NOT_ROUTED
    )


def test_is_own_plan_for_author_and_submitter():
    assert is_own_plan(1, 1, None)
    assert is_own_plan(2, 1, 2)
    assert not is_own_plan(3, 1, 2)
    assert not is_own_plan(None, None, None)
    assert not is_own_plan(None, 1, None)


def test_the_peer_limit_has_one_owner():
    rule = PeerLimit(limit=D("500"), peers_required=2)
    assert rule.bounds == (D("0"), D("500"))
    assert [rule.allows(a) for a in (None, D("0"), D("0.01"), D("500"), D("500.01"))] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert not within_peer_limit(None, D("1"))
    assert within_peer_limit(rule, D("1"))
    assert vote_refusal(D("1"), rule, author_is_voter=False, is_colleague=True) is None
    assert vote_refusal(D("501"), rule, author_is_voter=False, is_colleague=True) == (
        routing.ABOVE_PEER_LIMIT
    )
    assert vote_refusal(D("1"), None, author_is_voter=False, is_colleague=True) == (
        routing.ABOVE_PEER_LIMIT
    )
    assert vote_refusal(D("1"), rule, author_is_voter=True, is_colleague=True) == routing.OWN_PLAN
    assert vote_refusal(D("1"), rule, author_is_voter=False, is_colleague=False) == (
        routing.NOT_A_COLLEAGUE
    )


@quick
@given(cents(2000), cents(1000, 1))
def test_property_peer_approval_only_within_the_peer_limit(amount, limit):
    rule = PeerLimit(limit=limit, peers_required=1)
    approved = peer_approved(amount, rule, [Vote("a", True, "T")], author="w", team="T")
    assert approved == rule.allows(amount) == (0 < amount <= limit)
