"""The catalogue's choices are the engine's: the engine (costs/engine.py) owns units, cost types
and reliability grades; the models only label them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from maatwerk.costs import engine, models


@pytest.mark.parametrize(
    ("choices", "owner"),
    [
        (models.Unit, engine.UNITS),
        (models.CostType, engine.COST_TYPES),
        (models.Grade, engine.GRADES),
    ],
)
def test_model_choices_are_the_engines_values_in_its_order(choices, owner):
    assert tuple(choices.values) == owner
    assert all(str(label) for label in choices.labels)


def test_grade_constraint_and_uplift_follow_the_engine():
    constraint = next(
        c for c in models.CostItemVersion._meta.constraints if c.name == "costversion_grade_valid"
    )
    assert dict(constraint.condition.children)["grade__in"] == list(engine.GRADES)
    assert set(engine.GRADE_UPLIFT) == set(engine.GRADES)


def test_a_value_without_a_label_or_a_label_without_a_value_fails_at_once():
    with pytest.raises(ImproperlyConfigured):
        models._choices("Unit", (*engine.UNITS, "per_week"), {u: u for u in engine.UNITS})
    with pytest.raises(ImproperlyConfigured):
        models._choices("Grade", ("A", "B"), {"A": "a", "B": "b", "C": "c"})
