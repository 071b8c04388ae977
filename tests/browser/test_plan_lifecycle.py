"""The plan lifecycle in a real browser, on the demo data as `make run` loads it (issue 8,
point 5), with the keyboard only.

The team lead rejects the worker's waiting €1,800 plan with a reason; the worker sees it on the
start page, reads "afgewezen" and the reason on the plan page, revises the plan (version 2) and
submits it again; the earlier version keeps its decision. The worker then withdraws another
submitted plan. axe finds nothing on the changed plan page, at 1280 and at 320 px.

Set ``MAATWERK_SCREENSHOT_DIR`` to a directory to keep screenshots of the plan page there.
"""

import os
from contextlib import contextmanager
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maatwerk.decisions.models import DecisionStep
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.plans.models import Plan

from .conftest import assert_accessible, load_demo_data, login
from .test_plan_flow import choose, follow, send, submit_confirmed, tick, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Vraag eerst de bijzondere bijstand aan; dien het plan daarna opnieuw in."


@contextmanager
def demo_user(browser, context_args, live_server, username: str):
    """A fresh browser context for a demo user, logged in with the keyboard."""
    context = browser.new_context(**context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, username, DEMO_PASSWORD)
        yield page
    finally:
        context.close()


def _shot(page, name: str) -> None:
    target = os.environ.get("MAATWERK_SCREENSHOT_DIR")
    if not target:
        return
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(target) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_reject_revise_resubmit_and_withdraw(page, browser, browser_context_args, live_server):
    load_demo_data()
    waiting = Plan.objects.get(status=Plan.Status.SUBMITTED, amount_requested=D("1800"))
    other = Plan.objects.get(status=Plan.Status.SUBMITTED, amount_requested=D("1200"))

    # 1. The team lead rejects the waiting plan, with a reason, from the inbox.
    with demo_user(browser, browser_context_args, live_server, "teamleider") as lpage:
        follow(lpage, "Besluiten")
        follow(lpage, f"Maatwerkplan {waiting.pk}")
        tick(lpage, "input[name=action][value=reject]")
        type_into(lpage, "#id_reason", REASON)
        send(lpage, "Besluit vastleggen")
        expect(lpage.locator("main")).to_contain_text(f"Plan {waiting.pk} (casus")
        expect(lpage.locator("main")).to_contain_text("is afgewezen")

    # 2. The worker sees the decision on the start page and opens the plan.
    login(page, live_server, "werker", DEMO_PASSWORD)
    recent = page.locator("#recent-decisions")
    expect(recent).to_contain_text(f"Maatwerkplan {waiting.pk}")
    expect(recent).to_contain_text("afgewezen")
    _shot(page, "start")
    recent.get_by_role("link", name=f"Maatwerkplan {waiting.pk}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#plan-status")).to_contain_text("afgewezen")
    expect(page.locator("#decision")).to_contain_text(REASON)
    assert_accessible(page)
    _shot(page, "plan-rejected")

    # 3. She revises it: version 2 is a new draft she can edit, then submit again.
    send(page, "Plan herzien")
    revised = Plan.objects.get(previous_version=waiting)
    assert page.url.endswith(f"/plannen/{revised.pk}/bewerken/")
    # The consent was for version 1: she confirms it with the resident again before submitting.
    expect(page.locator("#consent-again")).to_contain_text("gold voor versie 1")
    tick(page, "input[name=inv-agreement][value=yes]")
    type_date(page, "#id_inv-agreement_date", date.today())
    choose(page, "#id_inv-agreement_how", "telefonisch")
    send(page, "Maatwerkplan opslaan")
    expect(page.locator("#corner-involvement")).not_to_contain_text("incompleet")
    submit_confirmed(page)
    revised.refresh_from_db()
    assert revised.status == Plan.Status.SUBMITTED and revised.version == 2
    expect(page.locator("#plan-status")).to_contain_text("ingediend")
    versions = page.locator("nav.om-versions")
    expect(versions).to_contain_text(f"Maatwerkplan {waiting.pk} (versie 1)")
    expect(versions).to_contain_text(f"Maatwerkplan {revised.pk} (versie 2 van plan {waiting.pk})")
    expect(versions).to_contain_text("afgewezen")
    assert_accessible(page)
    _shot(page, "plan-version-2")
    # The earlier version and its decision stay readable.
    follow(page, f"Maatwerkplan {waiting.pk} (versie 1)")
    expect(page.locator("#decision")).to_contain_text(REASON)
    waiting.refresh_from_db()
    assert waiting.status == Plan.Status.REJECTED
    assert DecisionStep.objects.get(plan=waiting).outcome == DecisionStep.Outcome.REJECT

    # 4. She withdraws another submitted plan, after confirming.
    page.goto(f"{live_server.url}/plannen/{other.pk}/")
    expect(page.locator("#plan-status")).to_contain_text("ingediend")
    page.locator("#lifecycle summary").focus()
    page.keyboard.press("Enter")  # opens the confirmation
    expect(page.get_by_role("button", name="Ja, plan intrekken")).to_be_visible()
    assert_accessible(page)
    _shot(page, "plan-withdraw-confirm")
    send(page, "Ja, plan intrekken")
    expect(page.locator("#plan-status")).to_contain_text("ingetrokken")
    expect(page.locator("main")).to_contain_text("Het plan is ingetrokken")
    other.refresh_from_db()
    assert other.status == Plan.Status.WITHDRAWN
    assert DecisionStep.objects.get(plan=other).outcome == DecisionStep.Outcome.WITHDRAW
    expect(page.get_by_role("button", name="Plan herzien")).to_be_visible()
    assert_accessible(page)
    _shot(page, "plan-withdrawn")

    # 5. The case list says the same as the plan page.
    page.goto(f"{live_server.url}/casussen/")
    row = page.locator("tbody tr", has_text=other.case.household.reference)
    expect(row).to_contain_text("ingetrokken")
    _shot(page, "case-list")
