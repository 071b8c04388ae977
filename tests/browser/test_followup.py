"""Browser journey (issue 13's acceptance): the worker marks a plan's action carried out on its
plan page and its follow-ups come due (the approval in the past), records them from the start
page's task list with the keyboard, the last one closes the plan and the case and releases
what was not spent; the team lead sees the release in the ledger and the plan counted in the
cohorts. Accessible, fits 320 px (marking, recording) and 1280 px. Screenshots go to
MAATWERK_SCREENSHOT_DIR when it is set. The cohorts at 320 px: test_cohorts.py."""

import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup.models import ActionCarriedOut, FollowUp
from maatwerk.plans.models import Plan

from ..factories import PASSWORD
from .conftest import assert_accessible, login
from .followup_world import approved_plan
from .test_decisions_flow import signed_in
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


def _section(page, name: str) -> None:
    target = os.environ.get("MAATWERK_SCREENSHOT_DIR")
    if target:
        page.locator("#followup").screenshot(path=str(Path(target) / f"{name}.png"))


def _in_work_since(page, day, text: str) -> None:
    tick(page, "#id_measured_0")
    tick(page, "#id_still_in_work")
    type_into(page, "#id_still_in_work_since_0", str(day.day))
    type_into(page, "#id_still_in_work_since_1", str(day.month))
    type_into(page, "#id_still_in_work_since_2", str(day.year))
    type_into(page, "#id_still_in_work_text", text)


def test_a_follow_up_comes_due_the_plan_closes_and_the_cohort_counts_it(
    page, browser, browser_context_args, live_server, followup_world
):
    """Issue 13's acceptance journey. Plan 0 of Wijkteam Oost (€2,000) was approved 400 days ago
    and €1,500 paid today. The worker marks its action carried out on the approval day (plan
    page, 320 px): all three follow-ups come due. They record them from the start page (the first
    at 320 px), the last closes the plan and releases the €500 not spent, the case closes; the
    team lead sees the release in the ledger and the plan counted in the cohorts (six plans:
    over the small-number rule)."""
    world = followup_world
    plan = world["journey"]
    start = world["journey_start"]
    login(page, live_server, world["worker"].username, PASSWORD)
    tasks = page.locator(".om-task--followup")
    expect(tasks).to_have_count(1)  # the end of the action: today, the day of the payment
    # 1. On a phone: the action was carried out on the approval day, marked on the plan page.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{live_server.url}/plannen/{plan.pk}/#followup")
    type_into(page, "#id_carried_out_on_0", str(start.day))
    type_into(page, "#id_carried_out_on_1", str(start.month))
    type_into(page, "#id_carried_out_on_2", str(start.year))
    _section(page, "carried-out-form-320")
    send(page, "Actie markeren als uitgevoerd")
    expect(page.locator("#carried-out")).to_be_visible()
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == start
    assert FollowUp.objects.get(plan=plan, moment="end_of_action").due_on == start
    assert_accessible(page)
    _fits(page, 320)
    _section(page, "carried-out-done-320")
    # All three follow-ups have come due.
    page.goto(f"{live_server.url}/")
    expect(tasks).to_have_count(3)
    _fits(page, 320)
    _shot(page, "start-tasks-320")
    # 2. The end of the action, still on the phone: sent empty first (errors, nothing lost).
    follow(page, page.locator(".om-task--followup a").first.inner_text())
    expect(page.locator("#record-form")).to_be_visible()
    _shot(page, "record-320")
    send(page, "Vervolgmoment vastleggen")
    expect(page.locator(".errorlist").first).to_be_visible()
    assert FollowUp.objects.filter(plan=plan, status="recorded").count() == 0
    _shot(page, "record-errors-320")
    assert_accessible(page)
    _fits(page, 320)
    _in_work_since(page, start, "Werkt 32 uur per week.")
    _fits(page, 320)
    send(page, "Vervolgmoment vastleggen")
    expect(page.locator("#followup")).to_be_visible()
    _fits(page, 320)
    # 3. +6 months: no contact — unmeasured, never a failure.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    expect(tasks).to_have_count(2)
    follow(page, page.locator(".om-task--followup a").first.inner_text())
    tick(page, "#id_measured_2")  # 0 measured with outcomes, 1 none holds, 2 not measured
    tick(page, "#id_reason_1")
    send(page, "Vervolgmoment vastleggen")
    # 4. +12 months, the last: still in work since the action (held ≥ 6 months).
    page.goto(f"{live_server.url}/")
    expect(tasks).to_have_count(1)
    follow(page, page.locator(".om-task--followup a").first.inner_text())
    assert_accessible(page)
    _in_work_since(page, start, "Vast contract sinds de zomer.")
    send(page, "Vervolgmoment vastleggen")
    expect(page.locator("#realised")).to_be_visible()
    expect(page.locator("#followup")).to_contain_text("niet gemeten")
    _shot(page, "plan-followups-1280")
    page.goto(f"{live_server.url}/")
    expect(tasks).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    release = LedgerEntry.objects.get(plan=plan, kind="release")
    assert release.amount == D("500.00")
    # What was recorded reads back on the follow-up's own page.
    recorded = FollowUp.objects.get(plan=plan, moment="plus_12")
    page.goto(f"{live_server.url}/vervolg/{recorded.pk}/")
    expect(page.locator("#outcomes")).to_contain_text("Vast contract sinds de zomer.")
    # The case closes with its only plan.
    page.goto(f"{live_server.url}/casussen/{plan.case_id}/")
    expect(page.locator("main dl").first).to_contain_text("gesloten")
    plan.case.refresh_from_db()
    assert plan.case.status == "closed"
    # The team lead: the release in the ledger, exact euros; the plan counted in the cohorts.
    with signed_in(browser, browser_context_args, live_server, world["lead"]) as lead:
        lead.goto(f"{live_server.url}/besluiten/budget/{release.budget_id}/")
        row = lead.locator(f"#entry-{release.pk}")
        expect(row).to_contain_text("vrijval")
        expect(row).to_contain_text("500,00")
        _shot(lead, "ledger-release-1280")
        follow(lead, "Opbrengst")  # the menu entry for leads, managers and directors
        cells = lead.locator("#cohort-table tbody tr").first.locator("th, td")
        # Team, plans, measured (share), not measured, not yet recorded, outcomes that hold.
        expect(cells.nth(0)).to_have_text("Wijkteam Oost")
        expect(cells.nth(1)).to_have_text("6")
        expect(cells.nth(2)).to_have_text("5 (83%)")
        expect(cells.nth(3)).to_have_text("1")
        expect(cells.nth(4)).to_have_text("0")
        expect(cells.nth(5)).to_have_text("1")
        expect(lead.locator("svg[role=img]")).to_be_visible()
        assert_accessible(lead)
        _fits(lead, 1280)
        _shot(lead, "cohorts-team-1280")


def test_measured_none_of_the_outcomes_holds_through_the_page(
    page, browser, browser_context_args, live_server, followup_world
):
    """ "Measured: none of the outcomes holds" (f14), with the keyboard, on a phone (320 px)
    and at 1280 px. A seventh plan of Wijkteam Oost, approved 200 days ago and paid in full:
    its end of the action and +6 months are due. On the phone the worker first ticks an
    outcome and then chooses "none holds": refused in Dutch at the outcomes, which stay in
    sight, nothing recorded; untick it and it is recorded, and reads back. At 1280 px the +6
    months too. The team lead's cohorts count it as measured (6 of 7), not as unmeasured and
    not as an outcome that holds, in a column of its own."""
    world = followup_world
    plan = approved_plan(world, days_ago=200, paid="2000")
    end = FollowUp.objects.get(plan=plan, moment="end_of_action")
    later = FollowUp.objects.get(plan=plan, moment="plus_6")
    login(page, live_server, world["worker"].username, PASSWORD)
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{live_server.url}/vervolg/{end.pk}/")
    expect(page.locator("#record-form")).to_be_visible()
    tick(page, "#id_measured_0")
    tick(page, "#id_still_in_work")
    tick(page, "#id_measured_1")  # measured: none of the outcomes holds
    expect(page.locator("#outcome-fields")).to_be_hidden()  # nothing to tick with this answer
    expect(page.locator(".om-record__reason")).to_be_hidden()
    _fits(page, 320)
    _shot(page, "record-none-holds-320")
    send(page, "Vervolgmoment vastleggen")
    error = page.locator("#outcome-fields_error")
    expect(error).to_contain_text("geen van de uitkomsten houdt stand")
    expect(error).to_contain_text("vinkte ook uitkomsten aan")
    expect(page.locator("#outcome-fields")).to_be_visible()
    expect(page.locator("#id_measured_1")).to_be_checked()  # nothing typed lost
    assert FollowUp.objects.get(pk=end.pk).status == "scheduled"
    assert_accessible(page)
    _fits(page, 320)
    _shot(page, "record-none-holds-refused-320")
    page.focus("#id_still_in_work")
    page.keyboard.press("Space")  # untick it
    expect(page.locator("#id_still_in_work")).not_to_be_checked()
    send(page, "Vervolgmoment vastleggen")
    expect(page.locator("#followup")).to_be_visible()
    end.refresh_from_db()
    assert (end.status, end.measured, end.none_holds) == ("recorded", "yes", True)
    assert not end.outcomes.exists()
    expect(page.locator("#realised-explained")).to_contain_text("Meegeteld: 0 maanden")
    expect(page.locator("#realised-explained")).to_contain_text("geen van de uitkomsten")
    _fits(page, 320)
    _section(page, "plan-none-holds-320")
    page.goto(f"{live_server.url}/vervolg/{end.pk}/")
    expect(page.locator("#none-holds")).to_contain_text("telt als gemeten")
    _fits(page, 320)
    # At 1280 px: the +6 months, none holds again.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/vervolg/{later.pk}/")
    tick(page, "#id_measured_1")
    assert_accessible(page)
    _shot(page, "record-none-holds-1280")
    send(page, "Vervolgmoment vastleggen")
    expect(page.locator("#followup")).to_be_visible()
    assert FollowUp.objects.get(pk=later.pk).none_holds
    with signed_in(browser, browser_context_args, live_server, world["lead"]) as lead:
        for width in (1280, 320):
            lead.set_viewport_size({"width": width, "height": 900})
            lead.goto(live_server.url + reverse("followup:cohorts"))
            row = lead.locator("#cohort-table tbody tr").first
            expect(row.locator("th")).to_have_text("Wijkteam Oost")
            # Seven plans: plans 2–5 and this one measured (5 of 7), plan 1 not measured,
            # plan 0 not yet recorded; none holds six months yet.
            expect(row.locator('[data-label="Gemeten (aandeel)"]')).to_have_text("5 (71%)")
            expect(row.locator(".om-cohort-unmeasured")).to_have_text("1")
            expect(row.locator('[data-label="Uitkomsten die standhouden"]')).to_have_text("0")
            expect(row.locator('[data-label="Gemeten, geen uitkomst houdt stand"]')).to_have_text(
                "1"
            )
            expect(lead.locator("#cohort-rules")).to_contain_text("telt als gemeten")
            assert_accessible(lead)
            _fits(lead, width)
            _shot(lead, f"cohorts-none-holds-{width}")
