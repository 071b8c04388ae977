"""The value triangle's codes in the interface language."""

from django.utils.translation import gettext_lazy as _

from . import triangle as t

CORNER_LABELS = {
    t.LEGITIMACY: _("Legal ground"),
    t.INVOLVEMENT: _("Involvement"),
    t.RETURN: _("Return"),
    # Not a corner, but refused with them: a refusal names it by its field's label.
    t.SOLUTION_KIND: _("Kind of solution"),
}

MISSING_MESSAGES = {
    t.NO_PROVISION: _("Choose at least one provision from the legal catalogue."),
    t.PROVISION_WITHOUT_EXPLANATION: _("Explain for every provision why it gives room here."),
    t.NO_GOAL: _("The resident's goal is missing on the case."),
    t.NO_RESIDENT_WORDS: _("Write down the resident's own words about this plan."),
    t.NO_AGREEMENT: _("The resident has not agreed to the plan."),
    t.NO_AGREEMENT_DATE: _("Give the date of the resident's agreement."),
    t.NO_AGREEMENT_HOW: _("Say how the resident gave their agreement."),
    t.NO_STANDARD_LINES: _("Add at least one line to the standard route."),
    t.NO_TAILORED_LINES: _("Add at least one line to the tailored route."),
    t.CALCULATION_FAILS: _("The calculation cannot be made; correct the scenario lines."),
    t.AMOUNT_UNEXPLAINED: _(
        "The amount requested differs from what the tailored route costs the municipality: "
        "the amount decides who decides, so explain the difference (or ask that amount)."
    ),
    t.NO_SOLUTION_KIND: _(
        "Choose the kind of solution (under “The solution”). A draft may do without; a plan "
        "submitted for a decision may not."
    ),
    t.FORGONE_FROM_BUDGET: _(
        "The tailored route only forgoes income: nothing is paid from the maatwerkbudget, so "
        "leave the amount requested empty or at 0."
    ),
}


def missing_by_corner(tri: t.Triangle) -> dict[str, list[str]]:
    """{corner code: [message, …]} for the incomplete corners, and {"solution_kind": […]} when
    the solution has no kind: the keys a submission's refusal names."""
    return {
        name: [str(MISSING_MESSAGES[code]) for code in codes] for name, codes in tri.missing.items()
    }


def corner_views(tri: t.Triangle) -> list[dict]:
    return [
        {
            "name": c.name,
            "label": CORNER_LABELS[c.name],
            "complete": c.complete,
            "missing": [MISSING_MESSAGES[code] for code in c.missing],
        }
        for c in tri.corners
    ]


def solution_view(tri: t.Triangle) -> dict:
    """The solution part of the plan as the corner boxes show it (plans/_corner_missing.html):
    named "solution", after the form's part it points to."""
    return {
        "name": "solution",
        "label": _("The solution"),
        "complete": not tri.solution,
        "missing": [MISSING_MESSAGES[code] for code in tri.solution],
    }


def part_views(tri: t.Triangle) -> dict[str, dict]:
    """{part name: view} of everything the edit page checks before submission: the solution
    and the three corners, in the order of the form."""
    return {"solution": solution_view(tri), **{c["name"]: c for c in corner_views(tri)}}
