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

    # Tailored route: a line of one's own, filled in by keyboard; the focus goes to the new
    # line's first field (issue 11, h1.8).
    page.focus("#add-tailored-free")
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-0-label")).to_be_focused()
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
    expect(page.locator("#budget-heading")).to_be_visible()
    assert_accessible(page)  # with results, chart and open table


def test_example_link_gives_the_worked_example(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.voorbeeld")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    figures = page.locator(".om-figures").inner_text()
    assert "€\u00a06.500,00" in figures
    assert "Terugverdiend" in figures
    assert_accessible(page)


# --- Issue 11, the new-user findings (h1) ---------------------------------------------------


def test_enter_on_a_search_result_adds_it_once(page, live_server):
    """h1.9: a second Enter after adding a result does not add it again; h1.8: the focus is
    in the new line."""
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.eenmaal")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/")
    page.focus("#q-standard")
    page.keyboard.type("Bijstandsnorm alleenstaande")
    result = page.locator("#found-standard button").first
    result.wait_for()
    result.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_standard-0-amount")).to_be_focused()
    page.keyboard.press("Enter")  # again, as an impatient or trembling hand would
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    expect(page.locator("#calculator .om-scenario").first.locator(".om-line")).to_have_count(1)
    expect(page.locator("#found-standard button")).to_have_count(0)


def test_back_button_brings_the_comparison_back(page, live_server):
    """h1.7: the browser's Back button shows the comparison as it was left."""
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.terug")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    quantity = page.locator("input[name='tailored-0-quantity']")
    quantity.fill("2")
    quantity.press("Tab")  # the live update sends the form
    expect(page.locator(".om-figures")).to_contain_text("13.000,00")
    expect(page).to_have_url(f"{live_server.url}/kosten/rekenhulp/")  # no longer "example"
    with page.expect_navigation():
        page.get_by_role("link", name="Kosten", exact=True).click()
    page.go_back()
    expect(page.locator("input[name='tailored-0-quantity']")).to_have_value("2")
    expect(page.locator(".om-figures")).to_contain_text("13.000,00")
    # "Start again" empties it.
    with page.expect_navigation():
        page.get_by_role("link", name="Opnieuw beginnen met een lege rekenhulp").click()
    expect(page.locator("input[name='tailored-0-quantity']")).to_have_count(0)


def test_a_corrected_line_loses_its_error_and_own_lines_say_what_they_need(page, live_server):
    """h1.2: an error leaves the line once corrected (live update); h1.10: amount and unit are
    labelled as needed on a line of one's own."""
    worker = user_with_role(Role.WORKER, TeamFactory(), username="calc.fout")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    expect(page.locator("label[for='id_tailored-0-amount']")).to_contain_text(
        "nodig bij een eigen regel"
    )
    expect(page.locator("label[for='id_tailored-0-unit']")).to_contain_text(
        "nodig bij een eigen regel"
    )
    page.locator("input[name='tailored-0-quantity']").fill("abc")
    page.focus("#id_discount_rate")
    page.keyboard.press("Enter")  # "Calculate": the whole form comes back with its errors
    errors = page.locator("#id_tailored-0-quantity_errors li")
    expect(errors).to_have_count(1)
    # A person corrects the field once the form is back; under a loaded CI machine the swap can
    # still be settling when the error shows, so wait for the network to be quiet first.
    page.wait_for_load_state("networkidle")
    quantity = page.locator("input[name='tailored-0-quantity']")
    quantity.fill("1")
    quantity.press("Tab")  # the live update: only the result is replaced, and the error boxes
    expect(page.locator(".om-figures")).to_contain_text("6.500,00")
    expect(errors).to_have_count(0)
    expect(quantity).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
