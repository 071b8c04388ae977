"""The library's tests run without deduce unless they ask for `real_deduce` (tests/conftest.py)."""

from ..plans.test_plan_lifecycle import org  # noqa: F401  (a team with mandates and a case)
