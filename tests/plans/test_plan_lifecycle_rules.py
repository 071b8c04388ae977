"""The plan lifecycle as plain data (plans/lifecycle.py): every allowed and forbidden step."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.plans import lifecycle as lc
from maatwerk.plans.models import Plan

ALLOWED = {
    (lc.DRAFT, lc.SUBMITTED),
    (lc.SUBMITTED, lc.APPROVED),
    (lc.SUBMITTED, lc.REJECTED),
    (lc.SUBMITTED, lc.WITHDRAWN),
    (lc.APPROVED, lc.PARTLY_PAID),
    (lc.APPROVED, lc.PAID),
    (lc.APPROVED, lc.CLOSED),
    (lc.PARTLY_PAID, lc.APPROVED),
    (lc.PARTLY_PAID, lc.PAID),
    (lc.PAID, lc.APPROVED),
    (lc.PAID, lc.PARTLY_PAID),
    (lc.PAID, lc.CLOSED),
    (lc.REJECTED, lc.CLOSED),
    (lc.WITHDRAWN, lc.CLOSED),
}


@pytest.mark.parametrize("old", lc.STATUSES)
@pytest.mark.parametrize("new", lc.STATUSES)
def test_every_pair_of_statuses_is_allowed_exactly_as_the_table_says(old, new):
    assert lc.may_transition(old, new) == ((old, new) in ALLOWED)
    if (old, new) in ALLOWED:
        lc.check(old, new)
    else:
        with pytest.raises(lc.TransitionError):
            lc.check(old, new)


def test_the_named_groups_follow_the_table():
    assert {lc.APPROVED, lc.PAID, lc.REJECTED, lc.WITHDRAWN} == lc.CLOSABLE
    assert lc.TRANSITIONS[lc.CLOSED] == frozenset()
    assert set(lc.STATUSES) == set(Plan.Status.values) == set(lc.TRANSITIONS) == set(lc.TONES)


def test_unknown_statuses_go_nowhere():
    assert not lc.may_transition("bogus", lc.SUBMITTED)
    assert not lc.may_transition(lc.DRAFT, "bogus")


@given(st.lists(st.sampled_from(lc.STATUSES), max_size=30))
def test_a_walk_of_allowed_steps_never_returns_to_draft_and_ends_at_closed(choices):
    status, seen = lc.DRAFT, [lc.DRAFT]
    for wanted in choices:
        if lc.may_transition(status, wanted):
            status = wanted
            seen.append(status)
    assert lc.DRAFT not in seen[1:]
    assert lc.SUBMITTED not in seen[2:]  # submitted once, right after the draft
    if lc.CLOSED in seen:
        assert seen[-1] == lc.CLOSED and seen.count(lc.CLOSED) == 1
    # A plan is never both rejected/withdrawn and approved/paid.
    assert not ({lc.REJECTED, lc.WITHDRAWN} & set(seen) and lc.PAYABLE & set(seen))


money = st.decimals(min_value=0, max_value=100_000, places=2)


@given(money, money)
def test_payment_status_follows_what_was_paid_and_what_is_open(paid, still_open):
    status = lc.payment_status(paid, still_open)
    if paid == 0:
        assert status == lc.APPROVED
    elif still_open == 0:
        assert status == lc.PAID
    else:
        assert status == lc.PARTLY_PAID
    assert status in lc.PAYABLE


def test_payment_status_examples():
    assert lc.payment_status(D("0"), D("6500")) == lc.APPROVED
    assert lc.payment_status(D("2000"), D("4500")) == lc.PARTLY_PAID
    assert lc.payment_status(D("6500"), D("0")) == lc.PAID
