"""Routing to a real decider, in a real browser, on the demo data as `load_demo` makes it
(issue 8, points 2 and 3).

The worker submits the €6,500 draft of DEMO-0001 and reads on the plan page who decides and by
when; the manager who holds that level for Wadwijk-Noord finds it in her inbox. The €0 BRP
correction waits for Burgerzaken: its decider approves it from her own inbox. The functional
administrator's page finds no ladder level without a holder. Keyboard only, axe on each page.

Set MAATWERK_SCREENSHOTS=<dir> to keep screenshots of the pages at 1280 and 320 px.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maatwerk.core.formatting import long_date
from maatwerk.decisions.models import DecisionStep
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD, DRAFT_AMOUNT
from maatwerk.plans.models import Plan

from .conftest import assert_accessible, load_demo_data, login
from .test_plan_flow import follow, send, submit_confirmed, tick, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("MAATWERK_SCREENSHOTS")


def shoot(page, name: str) -> None:
    """Keep the page at 1280 px and at 320 px wide (only when asked for)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def demo(transactional_db):
    load_demo_data()


@contextmanager
def signed_in(browser, browser_context_args, live_server, username):
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, username, DEMO_PASSWORD)
        yield page
    finally:
        context.close()


def test_the_demo_plans_reach_people_who_decide_them(
    page, browser, browser_context_args, live_server, demo
):
    # 1. The worker submits the €6,500 demo plan and sees who decides and by when.
    plan = Plan.objects.get(status=Plan.Status.DRAFT, amount_requested=DRAFT_AMOUNT)
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    submit_confirmed(page)
    step = DecisionStep.objects.get(plan=plan, outcome="")
    waiting = page.locator("#waiting-for")
    expect(waiting).to_contain_text("Wacht op besluit van")
    expect(waiting).to_contain_text("Mira Manager")
    expect(waiting).to_contain_text("Leidinggevende")
    expect(waiting).to_contain_text(long_date(step.deadline))
    expect(page.locator(".om-messages")).to_contain_text("Mira Manager")
    assert_accessible(page)
    shoot(page, "plan-submitted")

    # 2. The manager who holds that level for Wadwijk-Noord finds it in her inbox.
    with signed_in(browser, browser_context_args, live_server, "manager") as mpage:
        follow(mpage, "Besluiten")
        row = mpage.locator("tbody tr", has_text=f"Plan {plan.pk}")
        expect(row).to_contain_text("€ 6.500,00")
        expect(row).to_contain_text("Wijkteam Wadwijk-Noord")
        assert_accessible(mpage)

    # 3. The BRP correction without money waits for Burgerzaken; its decider approves it.
    brp = Plan.objects.get(status=Plan.Status.SUBMITTED, amount_requested=0)
    with signed_in(browser, browser_context_args, live_server, "burgerzaken") as bpage:
        follow(bpage, "Besluiten")
        row = bpage.locator("tbody tr", has_text=f"Plan {brp.pk}")
        expect(row).to_be_visible()
        assert_accessible(bpage)
        shoot(bpage, "inbox-burgerzaken")
        follow(bpage, f"Plan {brp.pk}")
        expect(bpage.locator("main")).to_contain_text("Burgerzaken")
        assert_accessible(bpage)
        shoot(bpage, "decide-burgerzaken")
        tick(bpage, "input[name=action][value=approve]")
        type_into(bpage, "#id_reason", "De ex-partner woont aantoonbaar elders: uitschrijven.")
        send(bpage, "Besluit vastleggen")
        expect(bpage.locator("main")).to_contain_text(f"Plan {brp.pk} (casus")
        expect(bpage.locator("main")).to_contain_text("is goedgekeurd.")
    approved = DecisionStep.objects.get(plan=brp, outcome="approve")
    assert approved.decided_by.username == "burgerzaken"
    assert approved.department.name == "Burgerzaken"

    # 4. The functional administrator finds no ladder level that nobody holds.
    with signed_in(browser, browser_context_args, live_server, "beheer") as apage:
        follow(apage, "Ladderniveaus die niemand bekleedt")
        expect(apage.locator("main")).to_contain_text(
            "Elk niveau van de ladder van elk team heeft iemand die het bekleedt."
        )
        assert_accessible(apage)
        shoot(apage, "empty-levels")
