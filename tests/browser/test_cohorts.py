"""Browser journey (issue 13, point 5): a team lead opens the cohorts from the budgets page,
switches the grouping with the keyboard and reads the table beside the chart; the plan not
measured at +6 months shows as unmeasured. Accessible, fits 1280 and 320 px. Screenshots go to
MAATWERK_SCREENSHOT_DIR when it is set."""

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
from maatwerk.followup import services as followup
from maatwerk.followup.models import FollowUp

from ..factories import PASSWORD, CaseFactory, TeamFactory, user_with_role
from .conftest import assert_accessible, login
from .test_plan_flow import follow, send, tick

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
    """Six plans of €2,000 approved 400 and 200 days ago, paid; the end of the action measured
    (in work since the approval), one plan not measured at +6 months."""
    team = TeamFactory(name="Wijkteam Oost")
    for role, amount in [(Role.WORKER, D(500)), (Role.TEAM_LEAD, D(2500))]:
        MandateSetting.objects.create(organisation=team.organisation, role=role, amount=amount)
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    now = timezone.now()
    for year in {(now - timedelta(days=400)).year, now.year}:
        Budget.objects.create(organisation=team.organisation, team=team, year=year, amount=D(20000))
    plans = []
    for n in range(6):
        plan = complete_plan(worker, CaseFactory(household__team=team), "2000")
        decisions.submit_plan(worker, plan)
        approved_at = now - timedelta(days=400 - 200 * (n % 2))
        decisions.approve(lead, plan, reason="Past.", now=approved_at)
        # Carried out on the approval day, as the worker marks it: the payment booked today
        # would otherwise move the end of the action (and its follow-ups) to today.
        followup.mark_carried_out(worker, plan, timezone.localdate(approved_at))
        commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
        decisions.record_payment(lead, commitment, D(2000))
        end = FollowUp.objects.get(plan=plan, moment="end_of_action")
        followup.record(
            worker,
            end,
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": end.due_on}],
        )
        plans.append(plan)
    six = FollowUp.objects.get(plan=plans[0], moment="plus_6")
    followup.record(worker, six, measured="not_measured", reason="moved")
    return {"lead": lead}


@pytest.mark.parametrize("width", [1280, 320])
def test_team_lead_reads_the_cohorts_from_the_budgets_page(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, world["lead"].username, PASSWORD)
    page.goto(live_server.url + "/besluiten/budget/")
    _shot(page, f"budgets-link-{width}")
    follow(page, "Hebben de plannen opgeleverd wat ze voorspelden?")
    table = page.locator("#cohort-table")
    expect(table).to_be_visible()
    row = table.locator("tbody tr").first
    expect(row.locator("th")).to_have_text("Wijkteam Oost")
    expect(row.locator(".om-cohort-unmeasured")).to_have_text("1")  # apart, not a failure
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert_accessible(page)
    _fits(page, width)
    _shot(page, f"cohorts-team-{width}")
    # Per quarter of approval, chosen with the keyboard.
    tick(page, "#grouping-kwartaal")
    send(page, "Tonen")
    expect(page.locator("#cohort-caption")).to_contain_text("kwartaal van goedkeuring")
    expect(page.locator("#grouping-kwartaal")).to_be_checked()
    expect(table.locator("tbody tr")).not_to_have_count(0)
    assert_accessible(page)
    _fits(page, width)
    _shot(page, f"cohorts-quarter-{width}")
    tick(page, "#grouping-regel")
    send(page, "Tonen")
    expect(page.locator("#cohort-caption")).to_contain_text("belemmerende regel")
    assert_accessible(page)
    _fits(page, width)
    _shot(page, f"cohorts-rule-{width}")
