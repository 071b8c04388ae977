"""The start page's library tasks (issue 16): a team lead or privacy officer sees each good
example waiting for their review; the worker who proposed one sees it when it was returned,
linked to the reason."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.library import services
from maatwerk.workspace import selectors

from ..factories import user_with_role
from ..library.world import approved_plan
from ..plans.test_plan_lifecycle import org  # noqa: F401  (a team with mandates and a case)


def _kinds(user, kind):
    return [t for t in selectors.tasks(user) if t.kind == kind]


def test_review_and_return_are_tasks(org, client):  # noqa: F811  (the fixture, imported)
    worker, lead = org["worker"], org["users"][Role.TEAM_LEAD]
    privacy = user_with_role(Role.PRIVACY_OFFICER, org["team"])
    example = services.propose_example(approved_plan(org), worker, "Opvang", "Verhaal.", "")
    assert not _kinds(lead, "example_review")  # a draft waits for nobody but its writer
    example = services.submit_example(example, worker)
    detail = reverse("library:detail", args=[example.pk])
    for reviewer in (lead, privacy):
        (task,) = _kinds(reviewer, "example_review")
        assert task.url == detail + "#review" and task.subject == "Opvang"
    assert not _kinds(worker, "example_review")  # never one's own
    client.force_login(lead)
    assert "Beoordeel een goed voorbeeld voor de bibliotheek" in client.get("/").content.decode()

    services.return_example(example, lead, "Haal de naam van de school weg.")
    assert not _kinds(lead, "example_review")
    (task,) = _kinds(worker, "example_returned")
    assert task.url == detail + "#return-reason"
    assert not _kinds(org["users"]["worker2"], "example_returned")  # only the proposer's
    client.force_login(worker)
    body = client.get("/").content.decode()
    assert "Uw goede voorbeeld is teruggestuurd: lees waarom en pas het aan" in body
    assert 'id="return-reason"' in client.get(detail).content.decode()

    services.submit_example(example, worker)
    assert not _kinds(worker, "example_returned")
