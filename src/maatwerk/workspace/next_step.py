"""The case page's one main button: what to do next on a case.

It lives here, in the top layer, because it needs plans (statuses, versions) and decisions (who
decides a waiting plan, by when), and `cases` sits below both (DESIGN.md "Layers"). The case
page gets it through the ``{% case_next_step %}`` tag of this app, so no lower app imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from maatwerk.cases.models import Case
from maatwerk.core.formatting import long_date
from maatwerk.decisions import selectors as decision_selectors
from maatwerk.plans import lifecycle
from maatwerk.plans.models import Plan


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    hint: str = ""
    post: bool = False  # a form button (reopen) rather than a link


def _waiting_hint(plan: Plan) -> str:
    """ "Plan 9 waits for a decision by Tom Leider until 4 December 2026": the open step's
    deciders by name (else its level) and its deadline."""
    step = decision_selectors.open_step(plan)
    if step is None:
        return _("Plan %(n)s waits for a decision.") % {"n": plan.pk}
    names = [u.get_full_name() or u.username for u in decision_selectors.step_deciders(step)]
    return _("Plan %(n)s waits for a decision by %(who)s until %(date)s.") % {
        "n": plan.pk,
        "who": ", ".join(names) or str(step.level_label),
        "date": long_date(step.deadline),
    }


def next_step(case: Case, plans: list[Plan]) -> NextStep:
    """The one thing to do next on this case, for someone who may write to it.

    `plans` are the case's plans, newest first. The order is the journey's: a closed case is
    reopened first; an unfinished plan, or a rejected or withdrawn one that nobody revised or
    closed yet, comes before new work; then obstacle, plan; then a plan that waits.
    """
    if case.status == Case.Status.CLOSED:
        return NextStep(
            _("Reopen the case"),
            reverse("cases:reopen", args=[case.pk]),
            _("The case is closed. Reopen it when the household needs help again."),
            post=True,
        )
    draft = next((p for p in plans if p.status == Plan.Status.DRAFT), None)
    if draft is not None:
        return NextStep(
            _("Finish the plan"),
            reverse("plans:edit", args=[draft.pk]),
            _("Draft plan %(n)s waits to be completed and submitted.") % {"n": draft.pk},
        )
    revised = {p.previous_version_id for p in plans if p.previous_version_id}
    returned = next(
        (p for p in plans if p.status in lifecycle.REVISABLE and p.pk not in revised), None
    )
    if returned is not None:
        if returned.status == Plan.Status.WITHDRAWN:
            hint = _("Plan %(n)s was withdrawn. Revise it as a new version, or close it.")
        else:
            hint = _("Plan %(n)s was rejected. Read the reason, then revise it or close it.")
        return NextStep(
            _("Revise or close the plan"),
            reverse("plans:detail", args=[returned.pk]),
            hint % {"n": returned.pk},
        )
    obstacles = list(case.obstacles.all())
    if not obstacles:
        return NextStep(
            _("Record an obstacle"),
            reverse("cases:add_obstacle", args=[case.pk]),
            _("What rule or routine blocks this household? Record it first."),
        )
    unsolved = next((o for o in obstacles if not getattr(o, "plan_count", 0)), None)
    if unsolved is not None:
        return NextStep(
            _("New plan"),
            reverse("plans:new", args=[case.pk]) + f"?knelpunt={unsolved.pk}",
            _("An obstacle has no plan yet: write the tailored solution."),
        )
    waiting = next((p for p in plans if p.status == Plan.Status.SUBMITTED), None)
    if waiting is not None:
        return NextStep(
            _("View the plan"), reverse("plans:detail", args=[waiting.pk]), _waiting_hint(waiting)
        )
    return NextStep(
        _("Record an obstacle"),
        reverse("cases:add_obstacle", args=[case.pk]),
        _(
            "Every obstacle has a plan. Record a new obstacle, or close the case when the goal "
            "is reached."
        ),
    )
