"""The value triangle as a pure function: codes per corner, complete iff nothing is missing."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from maatwerk.plans import triangle as t
from maatwerk.plans.messages import MISSING_MESSAGES

COMPLETE = t.TriangleInput(
    provision_explanations=("Hardheidsclausule biedt ruimte",),
    goal="Blijven werken",
    resident_words="Dan hou ik mijn baan.",
    agreement="yes",
    agreement_date=date(2026, 11, 1),
    agreement_how="in_person",
    standard_lines=1,
    tailored_lines=1,
    calculation_ok=True,
    solution_kind="payment_of_cost",
)


def test_a_complete_plan_has_three_complete_corners():
    tri = t.assess(COMPLETE)
    assert tri.complete and tri.missing == {}
    assert [c.name for c in tri.corners] == ["legitimacy", "involvement", "return"]


def test_an_empty_plan_misses_something_on_every_corner():
    tri = t.assess(t.TriangleInput())
    assert tri.missing == {
        "legitimacy": ("no_provision",),
        "involvement": (
            "no_goal",
            "no_resident_words",
            "no_agreement",
            "no_agreement_date",
            "no_agreement_how",
        ),
        "return": ("no_standard_lines", "no_tailored_lines"),
        "solution_kind": ("no_solution_kind",),
    }


def test_a_provision_needs_an_explanation():
    tri = t.assess(t.TriangleInput(**{**COMPLETE.__dict__, "provision_explanations": ("x", " ")}))
    assert tri.missing == {"legitimacy": ("provision_without_explanation",)}


def test_agreement_no_is_not_enough():
    tri = t.assess(t.TriangleInput(**{**COMPLETE.__dict__, "agreement": "no"}))
    assert tri.missing == {"involvement": ("no_agreement",)}


def test_a_failing_calculation_leaves_return_incomplete():
    tri = t.assess(t.TriangleInput(**{**COMPLETE.__dict__, "calculation_ok": False}))
    assert tri.missing == {"return": ("calculation_fails",)}
    assert tri.corner("return").complete is False


def test_a_plan_without_a_kind_of_solution_is_not_ready_to_submit():
    """The three corners may all be complete: submission still needs the kind (issue 14)."""
    for blank in ("", "  "):
        tri = t.assess(t.TriangleInput(**{**COMPLETE.__dict__, "solution_kind": blank}))
        assert tri.corners_complete and not tri.complete
        assert tri.missing == {"solution_kind": ("no_solution_kind",)}


def test_every_code_has_a_message():
    assert set(MISSING_MESSAGES) == set(t.CODES)


inputs = st.builds(
    t.TriangleInput,
    provision_explanations=st.lists(st.sampled_from(["", " ", "uitleg"]), max_size=3).map(tuple),
    goal=st.sampled_from(["", "doel"]),
    resident_words=st.sampled_from(["", "  ", "woorden"]),
    agreement=st.sampled_from(["yes", "no", "unknown"]),
    agreement_date=st.one_of(st.none(), st.dates()),
    agreement_how=st.sampled_from(["", "in_person", "by_phone"]),
    standard_lines=st.integers(0, 3),
    tailored_lines=st.integers(0, 3),
    calculation_ok=st.booleans(),
    solution_kind=st.sampled_from(["", " ", "payment_of_cost"]),
)


@given(inputs)
def test_complete_if_and_only_if_nothing_is_missing(data):
    tri = t.assess(data)
    assert tri.complete == (not any(c.missing for c in tri.corners) and not tri.solution)
    assert tri.complete == (tri.missing == {})
    for corner in tri.corners:
        assert corner.complete == (corner.missing == ())
        assert set(corner.missing) <= set(t.CODES)
    expected = (
        any(e.strip() for e in data.provision_explanations)
        and all(e.strip() for e in data.provision_explanations)
        and bool(data.goal.strip())
        and bool(data.resident_words.strip())
        and data.agreement == "yes"
        and data.agreement_date is not None
        and bool(data.agreement_how)
        and data.standard_lines > 0
        and data.tailored_lines > 0
        and data.calculation_ok
        and bool(data.solution_kind.strip())
    )
    assert tri.complete == expected
