"""Where an obstacle belongs, kept on the obstacle itself (issue 14, the signal report's speed).

The signal report groups obstacles of a period by team, organisation and neighbourhood and
counts distinct households. Reading those through the case and the household joined 1,000,000
obstacles to their cases and households for every report (≈ 0.3–0.5 s of a year's report).
They are copied onto the obstacle when it is written, and an index on (team, created at) that
carries the other columns serves the report's read from the index alone.

This module is the one owner of the rule "an obstacle's team, organisation, household and
neighbourhood are its case's": `Obstacle.save()` (every single write, also through
`services.add_obstacle`) and the bulk inserts of the data generators call it; the data
migration `cases/0007` applied the same rule once to the obstacles that existed. A case never
changes team or household and a household's neighbourhood code is only set when it is made
(no service changes them); if one ever does, it must call `refresh_for_cases` in its
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

# The obstacle's column ← the path from its case.
RULE = {
    "team_id": "team_id",
    "organisation_id": "team__organisation_id",
    "household_id": "household_id",
    "neighbourhood_code": "household__neighbourhood_code",
}


def for_cases(case_ids: Iterable[int]) -> dict[int, dict]:
    """The grouping columns of an obstacle of each case, in one query."""
    from .models import Case

    rows = Case.objects.filter(pk__in=list(case_ids)).values_list("pk", *RULE.values())
    return {
        pk: {
            column: (value or "") if column == "neighbourhood_code" else value
            for column, value in zip(RULE, values, strict=True)
        }
        for pk, *values in rows
    }


def apply(obstacles, grouping: dict[int, dict]) -> None:
    """Set the grouping columns on unsaved obstacles from `for_cases` (bulk inserts)."""
    for obstacle in obstacles:
        for column, value in grouping[obstacle.case_id].items():
            setattr(obstacle, column, value)


def refresh_for_cases(case_ids: Iterable[int]) -> int:
    """Rewrite the grouping columns of the cases' obstacles (after a case's team, household or
    neighbourhood changed); the number of obstacles rewritten."""
    from .models import Obstacle

    changed = 0
    for case_id, columns in for_cases(case_ids).items():
        changed += Obstacle.objects.filter(case_id=case_id).update(**columns)
    return changed
