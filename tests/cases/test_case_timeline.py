"""The case timeline shows what happened to the case's obstacles and plans, not only notes
(walk finding 16): obstacle added, plan created, submitted, decided."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import selectors, services
from maatwerk.decisions import services as decisions

from ..plan_helpers import configure_mandates, submitted_plan


def _timeline(client, user, case) -> str:
    client.force_login(user)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    start = body.index('<ol class="om-timeline">')
    return body[start : body.index("</ol>", start)]


def test_timeline_shows_obstacle_plan_submission_and_decision(client, world):
    worker, lead, case = (
        world["users"][Role.WORKER],
        world["users"][Role.TEAM_LEAD],
        world["case_a"],
    )
    configure_mandates(world["team_a"].organisation)
    services.add_obstacle(
        actor=worker, case=case, description_new_rule="Borgregel", applied_by="uwv", effect="x"
    )
    timeline = _timeline(client, worker, case)
    assert "Knelpunt toegevoegd" in timeline and "Borgregel" in timeline

    plan = submitted_plan(case, worker, "500")
    timeline = _timeline(client, worker, case)
    assert "Plan aangemaakt" in timeline
    assert "Plan ingediend" in timeline
    assert reverse("plans:detail", args=[plan.pk]) in timeline

    decisions.reject(lead, plan, "Past niet.")
    timeline = _timeline(client, worker, case)
    assert "Besluit over het plan" in timeline and "afgewezen" in timeline
    # Newest first: the decision above the submission above the obstacle.
    assert (
        timeline.index("Besluit over het plan")
        < timeline.index("Plan ingediend")
        < timeline.index("Knelpunt toegevoegd")
    )


def test_timeline_keeps_notes_with_their_anchor(client, world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    note = services.add_note(actor=worker, case=case, text="Eerste gesprek gevoerd.")
    timeline = _timeline(client, worker, case)
    assert f'id="note-{note.pk}"' in timeline and "Eerste gesprek gevoerd." in timeline
    assert [e.kind for e in selectors.case_timeline(case)] == ["note"]
