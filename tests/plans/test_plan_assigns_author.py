"""The first plan on a case nobody works on yet assigns its author (walk finding 4)."""

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Case, Obstacle
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services

from ..factories import CaseFactory, user_with_role
from ..plan_helpers import configure_mandates


def _obstacle(case):
    return Obstacle.objects.create(
        case=case,
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        applied_by="tax_allowances",
        effect="Toeslag verrekend.",
    )


@pytest.fixture
def unassigned(world):
    configure_mandates(world["team_a"].organisation)
    case = CaseFactory(household__team=world["team_a"], title="Zonder werker")
    assert not case.assigned_workers.exists()
    return case


def test_first_plan_on_unassigned_case_assigns_the_author(world, unassigned, client):
    worker = world["users"][Role.WORKER]
    services.create_plan(worker, unassigned, [_obstacle(unassigned)], solution="Iets")
    assert list(unassigned.assigned_workers.all()) == [worker]
    event = AuditEvent.objects.get(
        object_type="cases.case", object_id=str(unassigned.pk), reason="first_plan"
    )
    assert event.actor == worker
    assert event.changes == {"assigned_workers": {"old": [], "new": [worker.pk]}}
    # The case says who works on it and counts among the worker's own cases.
    client.force_login(worker)
    page = client.get(reverse("cases:detail", args=[unassigned.pk])).content.decode()
    assert "Nog niemand toegewezen" not in page
    mine = client.get(reverse("cases:mine")).content.decode()
    assert "Zonder werker" in mine


def test_plan_on_assigned_case_leaves_the_workers_alone(world):
    lead = world["users"][Role.TEAM_LEAD]
    worker = world["users"][Role.WORKER]
    configure_mandates(world["team_a"].organisation)
    case = world["case_a"]
    services.create_plan(lead, case, [_obstacle(case)], solution="Iets")
    assert list(case.assigned_workers.all()) == [worker]
    assert not AuditEvent.objects.filter(reason="first_plan").exists()


def test_a_second_worker_does_not_join_by_writing_another_plan(world, unassigned):
    worker = world["users"][Role.WORKER]
    colleague = user_with_role(Role.WORKER, world["team_a"])
    services.create_plan(worker, unassigned, [_obstacle(unassigned)], solution="Eerste")
    services.create_plan(colleague, unassigned, [_obstacle(unassigned)], solution="Tweede")
    assert list(Case.objects.get(pk=unassigned.pk).assigned_workers.all()) == [worker]
