"""The calculator in a real browser: composed with the keyboard only, results follow the input,
the chart has its table, and axe finds nothing on any state of the page."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_worker_builds_the_childcare_comparison_with_the_keyboard(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.werker")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/")
    assert_accessible(page)  # the empty state

    # Standard route: search the catalogue as you type, Tab to the result, Enter adds it.
    page.focus("#q-standard")
    page.keyboard.type("Bijstandsnorm alleenstaande")
    result = page.locator("#found-standard button").first
    result.wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id").startswith("add-standard-")
    page.keyboard.press("Enter")
    page.locator("#id_standard-0-quantity").wait_for()

    # Tailored route: a line of one's own, filled in by keyboard.
    page.focus("#add-tailored-free")
    page.keyboard.press("Enter")
    page.locator("#id_tailored-0-label").wait_for()
    page.focus("#id_tailored-0-label")
    page.keyboard.type("Kinderopvang betalen")
    page.keyboard.press("Tab")
    page.keyboard.type("6500")
    # Terms: no discounting, so the figures are the plain sums.
    page.focus("#id_discount_rate")
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")

    summary = page.locator(".om-result-summary")
    summary.wait_for()
    expect(page.locator(".om-figures")).to_contain_text("6.500,00")  # waits for the swap
    figures = page.locator(".om-figures").inner_text()
    assert "€\u00a06.500,00" in figures
    assert page.locator("svg[role=img] polyline").count() == 2
    page.locator("details summary").first.press("Enter")
    assert page.locator("details table tbody tr").count() == 12
    assert page.locator("#budget-heading").is_visible()
    assert_accessible(page)  # with results, chart and open table


def test_example_link_gives_the_worked_example(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.voorbeeld")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    figures = page.locator(".om-figures").inner_text()
    assert "€\u00a06.500,00" in figures
    assert "Terugverdiend" in figures
    assert_accessible(page)
