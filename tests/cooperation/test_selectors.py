"""Need-to-know on requests: a user sees a request exactly when they see its case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import CooperationRequest

from ..factories import CaseFactory, TeamFactory, user_with_role


@pytest.fixture
def coop_b(world, toeslagen):
    worker_b = user_with_role(Role.WORKER, world["team_b"])
    return services.create_request(
        worker_b, case=world["case_b"], organisation=toeslagen, question="Iets anders"
    )


@pytest.mark.parametrize("role", [Role.WORKER, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR])
def test_case_roles_see_their_teams_requests_only(world, coop, coop_b, role):
    user = world["users"][role]
    assert list(selectors.visible_requests(user)) == [coop]
    assert selectors.request_detail(user, coop.pk) == coop
    with pytest.raises(CooperationRequest.DoesNotExist):
        selectors.request_detail(user, coop_b.pk)


@pytest.mark.parametrize(
    "role", [Role.POLICY_ANALYST, Role.PRIVACY_OFFICER, Role.ADMIN, Role.PARTNER_CLIENT]
)
def test_roles_without_casework_see_no_requests(world, coop, role):
    assert not selectors.visible_requests(world["users"][role]).exists()


def test_another_team_of_the_same_organisation_sees_nothing(world, coop):
    team2 = TeamFactory(organisation=world["team_a"].organisation)
    worker2 = user_with_role(Role.WORKER, team2)
    assert not selectors.visible_requests(worker2).exists()
    assert not selectors.may_write(worker2, coop)


def test_only_workers_and_team_leads_write(world, coop):
    assert selectors.may_write(world["users"][Role.WORKER], coop)
    assert selectors.may_write(world["users"][Role.TEAM_LEAD], coop)
    assert not selectors.may_write(world["users"][Role.MANAGER], coop)


def _overdue(worker, case, organisation, days_late):
    sent_on = timezone.localdate() - timedelta(days=14 + days_late)
    return services.create_request(
        worker,
        case=case,
        organisation=organisation,
        question="Stop de verrekening.",
        consent_on=sent_on,
        consent_scope="Naam",
        send=True,
        sent_on=sent_on,
    )


def test_overdue_requests_most_urgent_first_for_their_maker_or_case_worker(
    world, worker, toeslagen
):
    later = _overdue(worker, world["case_a"], toeslagen, 2)
    earlier = _overdue(worker, world["case_a"], toeslagen, 9)
    assert list(selectors.overdue_requests(worker)) == [earlier, later]
    # The team lead made none and is not assigned to the case: not on their list.
    assert not selectors.overdue_requests(world["users"][Role.TEAM_LEAD]).exists()
    # Another worker of the team who is assigned to the case sees them too.
    colleague = user_with_role(Role.WORKER, world["team_a"])
    world["case_a"].assigned_workers.add(colleague)
    assert selectors.overdue_requests(colleague).count() == 2


def test_not_overdue_on_the_due_date_itself(world, worker, toeslagen):
    _overdue(worker, world["case_a"], toeslagen, 0)
    assert not selectors.overdue_requests(worker).exists()


def test_requests_of_a_plan_and_of_a_case(world, worker, toeslagen):
    from maatwerk.demo.plans import complete_plan

    plan = complete_plan(worker, world["case_a"], "100")
    on_plan = services.create_request(
        worker, case=world["case_a"], plan=plan, organisation=toeslagen, question="Plan"
    )
    on_case = services.create_request(
        worker, case=world["case_a"], organisation=toeslagen, question="Casus"
    )
    assert list(selectors.request_list(worker, plan=plan)) == [on_plan]
    assert set(selectors.request_list(worker, case=world["case_a"])) == {on_plan, on_case}
    assert not selectors.request_list(worker, case=CaseFactory()).exists()
