"""Browser journey (issue 13, point 5): a team lead opens the cohorts from the budgets page on a
phone, switches the grouping with the keyboard and reads the table beside the chart; the plan
not measured shows as unmeasured, the plan whose follow-ups are due as not yet recorded. The
world is the one of the follow-up journey (conftest `followup_world`); that journey reads the
cohorts at 1280 px. Accessible, fits 320 px. Screenshots go to MAATWERK_SCREENSHOT_DIR."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
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


def test_team_lead_reads_the_cohorts_from_the_budgets_page(page, live_server, followup_world):
    """At 320 px (the journey in test_followup.py reads them at 1280 px)."""
    width = 320
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, followup_world["lead"].username, PASSWORD)
    page.goto(live_server.url + "/besluiten/budget/")
    _shot(page, f"budgets-link-{width}")
    follow(page, "Hebben de plannen opgeleverd wat ze voorspelden?")
    table = page.locator("#cohort-table")
    expect(table).to_be_visible()
    row = table.locator("tbody tr").first
    expect(row.locator("th")).to_have_text("Wijkteam Oost")
    expect(row.locator(".om-cohort-unmeasured")).to_have_text("1")  # apart, not a failure
    expect(row.locator("td").nth(3)).to_have_text("1")  # plan 0: due, not yet recorded
    # Four plans (four households) measured: their euros stay hidden (fewer than 5 households
    # measured), and the page says
    # why there is no chart (the journey in test_followup.py measures a fifth and sees it).
    expect(row).to_contain_text("niet getoond: minder dan 5 huishoudens gemeten")
    expect(page.locator("svg[role=img]")).to_have_count(0)
    expect(page.locator("#no-chart")).to_be_visible()
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
