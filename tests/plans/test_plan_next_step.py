"""A submitted plan's next step is waiting for the decider, withdrawing comes second
(walk finding 17)."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.core.formatting import long_date
from maatwerk.decisions import selectors

from ..plan_helpers import configure_mandates, submitted_plan


def test_submitted_plan_says_whom_it_waits_for_before_withdrawing(client, world):
    worker = world["users"][Role.WORKER]
    configure_mandates(world["team_a"].organisation)
    plan = submitted_plan(world["case_a"], worker, "500")
    step = selectors.open_step(plan)
    names = ", ".join(str(u) for u in selectors.step_deciders(step))
    assert names
    client.force_login(worker)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    section = body[body.index('id="lifecycle"') :]
    wait = f"Wacht op het besluit van {names}, uiterlijk {long_date(step.deadline)}."
    assert wait in section
    assert section.index(wait) < section.index("Plan intrekken")
