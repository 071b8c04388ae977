"""deduce takes ~10 s to build (once per process). Tests of the library's flow stub it out with
the project's own checks alone; a test that asks for the `real_deduce` fixture gets the real one
(built once per test process, then reused)."""

import pytest

from maatwerk.library import deidentify

from ..plans.test_plan_lifecycle import org  # noqa: F401  (a team with mandates and a case)


@pytest.fixture
def real_deduce():
    return deidentify._deduce_spans


@pytest.fixture(autouse=True)
def _no_deduce_unless_asked(request, monkeypatch):
    if "real_deduce" not in request.fixturenames:
        monkeypatch.setattr(deidentify, "_deduce_spans", deidentify.no_model)
