"""Browser journey (issue 13): a worker records a plan's follow-ups from the start page's task
list with the keyboard, the last one closes the plan and releases what was not spent; the
pages are accessible and fit 1280 and 320 px. Screenshots go to MAATWERK_SCREENSHOT_DIR when
it is set."""

import os
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget, LedgerEntry, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.followup import services as followup_services
from maatwerk.followup.models import ActionCarriedOut, FollowUp
from maatwerk.plans.models import Plan

from ..factories import PASSWORD, CaseFactory, TeamFactory, user_with_role
from .conftest import assert_accessible, login
from .test_plan_flow import follow, send, tick, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name: str) -> None:
    target = os.environ.get("MAATWERK_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


@pytest.fixture
def world():
    """A plan of €2,000 approved 400 days ago (all three follow-ups due), €1,500 paid."""
    team = TeamFactory(name="Wijkteam Oost")
    for role, amount in [(Role.WORKER, D(500)), (Role.TEAM_LEAD, D(2500))]:
        MandateSetting.objects.create(organisation=team.organisation, role=role, amount=amount)
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    then = timezone.now() - timedelta(days=400)
    for year in {then.year, timezone.now().year}:
        Budget.objects.create(organisation=team.organisation, team=team, year=year, amount=D(9000))
    plan = complete_plan(worker, CaseFactory(household__team=team), "2000")
    decisions.submit_plan(worker, plan)
    decisions.approve(lead, plan, reason="Past.", now=then)
    # The worker marked the action carried out on the approval day: the marking wins over the
    # payment made today, so all three follow-ups stay due.
    followup_services.mark_carried_out(worker, plan, timezone.localdate(then))
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    decisions.record_payment(lead, commitment, D(1500))
    return {"worker": worker, "plan": plan}


@pytest.mark.parametrize("width", [1280, 320])
def test_worker_records_the_follow_ups_and_the_plan_closes(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    plan = world["plan"]
    login(page, live_server, world["worker"].username, PASSWORD)
    tasks = page.locator(".om-task--followup")
    expect(tasks).to_have_count(3)
    _shot(page, f"start-tasks-{width}")
    _fits(page, width)
    today = timezone.localdate()
    start = today - timedelta(days=400)
    for n in range(3):
        follow(page, page.locator(".om-task--followup a").first.inner_text())
        expect(page.locator("#record-form")).to_be_visible()
        assert_accessible(page)
        _fits(page, width)
        if n == 0:
            _shot(page, f"record-{width}")
            # Sent without an answer: the errors are shown and nothing is recorded.
            send(page, "Vervolgmoment vastleggen")
            expect(page.locator(".errorlist").first).to_be_visible()
            _shot(page, f"record-errors-{width}")
        if n == 1:
            tick(page, "#id_measured_1")
            tick(page, "#id_reason_1")
        else:
            tick(page, "#id_measured_0")
            tick(page, "#id_still_in_work")
            type_into(page, "#id_still_in_work_since_0", str(start.day))
            type_into(page, "#id_still_in_work_since_1", str(start.month))
            type_into(page, "#id_still_in_work_since_2", str(start.year))
            type_into(page, "#id_still_in_work_text", "Werkt 32 uur per week.")
        send(page, "Vervolgmoment vastleggen")
        expect(page.locator("#followup")).to_be_visible()
        page.goto(f"{live_server.url}/")
    expect(page.locator(".om-task--followup")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert LedgerEntry.objects.get(plan=plan, kind="release").amount == D("500.00")
    page.goto(f"{live_server.url}/plannen/{plan.pk}/#followup")
    expect(page.locator("#followup")).to_contain_text("niet gemeten")
    expect(page.locator("#realised")).to_be_visible()
    assert_accessible(page)
    _shot(page, f"plan-followups-{width}")
    if os.environ.get("MAATWERK_SCREENSHOT_DIR"):
        page.locator("#followup").screenshot(
            path=str(Path(os.environ["MAATWERK_SCREENSHOT_DIR"]) / f"plan-section-{width}.png")
        )
    _fits(page, width)
    recorded = FollowUp.objects.get(plan=plan, moment="plus_12")
    page.goto(f"{live_server.url}/vervolg/{recorded.pk}/")
    expect(page.locator("#outcomes")).to_contain_text("Werkt 32 uur per week.")
    assert_accessible(page)
    _shot(page, f"recorded-{width}")
    _fits(page, width)


@pytest.mark.parametrize("width", [1280, 320])
def test_worker_marks_the_action_carried_out_on_the_plan_page(page, live_server, width):
    """The plan page's small form: the day the action was carried out moves the follow-ups."""
    team = TeamFactory(name="Wijkteam West")
    MandateSetting.objects.create(organisation=team.organisation, role=Role.TEAM_LEAD, amount=2500)
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    then = timezone.now() - timedelta(days=60)
    for year in {then.year, timezone.now().year}:
        Budget.objects.create(organisation=team.organisation, team=team, year=year, amount=D(9000))
    plan = complete_plan(worker, CaseFactory(household__team=team), "2000")
    decisions.submit_plan(worker, plan)
    decisions.approve(lead, plan, reason="Akkoord.", now=then)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/#followup")
    expect(page.locator("#carried-out-form")).to_be_visible()
    day = timezone.localdate() - timedelta(days=20)
    type_into(page, "#id_carried_out_on_0", str(day.day))
    type_into(page, "#id_carried_out_on_1", str(day.month))
    type_into(page, "#id_carried_out_on_2", str(day.year))
    _shot(page, f"plan-carried-out-form-{width}")
    if os.environ.get("MAATWERK_SCREENSHOT_DIR"):
        page.locator("#followup").screenshot(
            path=str(Path(os.environ["MAATWERK_SCREENSHOT_DIR"]) / f"carried-out-{width}.png")
        )
    send(page, "Actie markeren als uitgevoerd")
    expect(page.locator("#carried-out")).to_be_visible()
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day
    assert FollowUp.objects.get(plan=plan, moment="end_of_action").due_on == day
    assert_accessible(page)
    _fits(page, width)
    if os.environ.get("MAATWERK_SCREENSHOT_DIR"):
        page.locator("#followup").screenshot(
            path=str(Path(os.environ["MAATWERK_SCREENSHOT_DIR"]) / f"carried-out-done-{width}.png")
        )
