"""The plan form in a browser (issue 11.2): "Regel toevoegen" adds a row in place, the result
follows the lines as they are typed, a line can be removed, and the calculator's comparison
becomes a draft plan of a chosen case. Screenshots at 1280 and 320 px go to
``var/screenshots/plan_form/`` when ``MAATWERK_SCREENSHOTS`` is set, for a person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.plans.models import Plan

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import REPO_ROOT, assert_accessible, login
from .test_plan_flow import _draft_plan, choose, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = REPO_ROOT / "var" / "screenshots" / "plan_form"


def shoot(page, name: str) -> None:
    """A full-page screenshot at 1280 px and at 320 px (WCAG reflow), only when asked for."""
    if not os.environ.get("MAATWERK_SCREENSHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(Path(SHOTS, f"{name}-{width}.png")), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def worker():
    return user_with_role(Role.WORKER, TeamFactory(name="Wijkteam Oost"), username="form.werker")


def test_add_line_live_result_and_remove_line(page, live_server, worker):
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    expect(page.locator(".om-plan-steps a")).to_have_count(5)
    assert_accessible(page)
    shoot(page, "plan-form-new")

    # No blank rows (issue 11, h1.4): "Regel toevoegen" adds one, with the focus in it.
    expect(page.locator("#id_standard-0-label")).to_have_count(0)
    page.locator("#add-standard-free").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_standard-0-label")).to_be_focused()
    type_into(page, "#id_standard-0-label", "Bijstand")
    type_into(page, "#id_standard-0-amount", "1400")
    choose(page, "#id_standard-0-unit", "per maand")
    choose(page, "#id_standard-0-bearer", "Gemeente")
    choose(
        page,
        "#id_standard-0-cost_type",
        "Geld dat van de ene naar de andere gaat (zoals een uitkering)",
    )
    type_into(page, "#id_standard-0-duration_months", "12")
    type_into(page, "#id_terms-discount_rate", "0")

    # Tailored route: "Regel toevoegen" adds a row in place (no page load) with the focus in it.
    page.locator("#add-tailored-free").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-0-label")).to_be_focused()
    type_into(page, "#id_tailored-0-label", "Kinderopvang betalen")
    type_into(page, "#id_tailored-0-amount", "6500")
    choose(page, "#id_tailored-0-unit", "per casus")
    choose(page, "#id_tailored-0-bearer", "Gemeente")
    choose(page, "#id_tailored-0-cost_type", "Geld van de overheid (een budgethouder betaalt)")
    result = page.locator("#plan-result-slot .om-figures")
    expect(result).to_contain_text("10.300,00")  # 16.800 − 6.500, live, nothing saved
    url = page.url
    page.locator("#add-tailored-free").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-1-label")).to_be_focused()
    assert page.url == url
    assert page.input_value("#id_standard-0-label") == "Bijstand"  # nothing typed is lost
    page.keyboard.type("Begeleiding")
    type_into(page, "#id_tailored-1-amount", "800")
    choose(page, "#id_tailored-1-unit", "per casus")
    choose(page, "#id_tailored-1-bearer", "Gemeente")
    choose(page, "#id_tailored-1-cost_type", "Geld van de overheid (een budgethouder betaalt)")
    expect(result).to_contain_text("9.500,00")  # the result changed with the new line
    assert not plan.lines.exists()
    assert_accessible(page)
    shoot(page, "plan-form-live-result")

    # Remove the second line again: the result goes back.
    page.locator("#remove-tailored-1").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-1-label")).to_have_count(0)
    expect(result).to_contain_text("10.300,00")
    # The removed line's button is gone: the keyboard continues at its route's "Add a line".
    expect(page.locator("#add-tailored-free")).to_be_focused()

    # An error state: a negative amount, saved.
    type_into(page, "#id_tailored-0-amount", "-5")
    page.get_by_role("button", name="Maatwerkplan opslaan").last.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    shoot(page, "plan-form-errors")
    type_into(page, "#id_tailored-0-amount", "6500")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/plannen/{plan.pk}/")
    assert plan.lines.count() == 2
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    expect(page.locator("#plan-result-slot .om-figures")).to_contain_text("10.300,00")
    shoot(page, "plan-form-edit")


def test_without_javascript_add_line_and_recalculate_keep_everything(
    browser, browser_context_args, settings, live_server, worker
):
    settings.REQUIRE_2FA = False
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, worker.username, PASSWORD)
        plan = _draft_plan(worker)
        page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
        type_into(page, "#id_inv-resident_words", "Dan kan ik blijven werken.")
        with page.expect_navigation():
            page.locator("#add-tailored-free").click()
        expect(page.locator("#id_tailored-0-label")).to_be_focused()
        type_into(page, "#id_tailored-0-label", "Kinderopvang betalen")
        with page.expect_navigation():
            page.locator("#add-tailored-free").click()
        expect(page.locator("#id_tailored-1-label")).to_be_focused()
        assert page.input_value("#id_tailored-0-label") == "Kinderopvang betalen"
        assert page.input_value("#id_inv-resident_words") == "Dan kan ik blijven werken."
        with page.expect_navigation():
            page.get_by_role("button", name="Bereken opnieuw").click()
        assert "/bewerken/" in page.url
        assert page.input_value("#id_tailored-0-label") == "Kinderopvang betalen"
        assert not plan.lines.exists()
    finally:
        context.close()


def test_calculator_result_becomes_a_plan_of_a_chosen_case(page, live_server, worker):
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)  # gives the worker a case with an obstacle
    obstacle = plan.obstacles.get()
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    expect(page.locator("#make-plan")).to_be_visible()
    assert_accessible(page)
    shoot(page, "calculator")
    page.get_by_role("button", name="Maak hier een plan van").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/plannen/uit-rekenhulp/")
    assert_accessible(page)
    # Back to the calculator: the comparison is there as it was left, then on again.
    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de rekenhulp").click()
    expect(page.get_by_role("button", name="Maak hier een plan van")).to_be_visible()
    assert page.input_value("input[name='tailored-0-quantity']") != ""
    page.get_by_role("button", name="Maak hier een plan van").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/plannen/uit-rekenhulp/")
    with page.expect_navigation():
        page.get_by_role("button", name="Conceptplan maken").click()  # nothing chosen
    expect(page.get_by_role("alert").first).to_contain_text("Kies de casus")
    assert_accessible(page)
    shoot(page, "calculator-to-plan-choose")
    page.select_option("#id_obstacle", str(obstacle.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Conceptplan maken").click()
    # The case has a draft already: it is offered first, a second one needs confirming.
    expect(page.locator("#existing-drafts")).to_contain_text("al een conceptplan")
    expect(page.get_by_role("link", name=f"Conceptplan {plan.pk} openen")).to_be_visible()
    assert not Plan.objects.exclude(pk=plan.pk).exists()
    assert_accessible(page)
    shoot(page, "calculator-to-plan-existing-draft")
    page.get_by_label("Toch nog een conceptplan voor deze casus maken").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Conceptplan maken").click()
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert page.url.endswith(f"/plannen/{new.pk}/bewerken/")
    assert new.lines.filter(scenario="tailored").get().amount == 6500
    expect(page.locator("#plan-result-slot .om-figures")).to_contain_text("6.500,00")
    assert_accessible(page)
    shoot(page, "calculator-to-plan-result")


def test_make_a_plan_follows_the_live_result_without_pressing_calculate(page, live_server, worker):
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    button = page.get_by_role("button", name="Maak hier een plan van")
    expect(button).to_be_visible()
    quantity = page.locator("input[name='tailored-0-quantity']")
    before = quantity.input_value()
    quantity.fill("abc")  # no result: nothing to make a plan of
    quantity.press("Tab")  # the change sends the form; only the outcome part is replaced
    expect(button).to_have_count(0)
    expect(page.locator("#make-plan")).to_contain_text("Vul eerst beide routes in")
    page.locator("input[name='tailored-0-quantity']").fill(before)
    page.locator("input[name='tailored-0-quantity']").press("Tab")
    expect(page.get_by_role("button", name="Maak hier een plan van")).to_be_visible()


# --- Issue 11, the new-user findings (h1) ---------------------------------------------------


def test_first_opening_boxes_agree_and_leaving_unsaved_asks(page, live_server, worker):
    """h1.1: with the suggested provisions shown chosen, the box asks to explain them, not to
    choose one. h1.3: leaving with unsaved changes asks first; saving does not."""
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    box = page.locator("#missing-legitimacy")
    expect(box).not_to_contain_text("Kies ten minste één wetsartikel")
    expect(box).to_contain_text("Leg bij elk wetsartikel uit")
    shoot(page, "plan-form-first-open")

    # Nothing typed yet: leaving does not ask.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    type_into(page, "#id_inv-resident_words", "Dan kan ik blijven werken.")
    page.get_by_role("link", name="Terug naar het maatwerkplan").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/bewerken/")  # stayed: the worker chose to stay
    # Saving is not leaving: no question.
    with page.expect_navigation():
        page.get_by_role("button", name="Maatwerkplan opslaan").last.click()
    assert page.url.endswith(f"/plannen/{plan.pk}/")
    assert asked == ["beforeunload"]


def test_a_corrected_line_loses_its_error_live(page, live_server, worker):
    """h1.2: an error on a line goes away as soon as the line is corrected, without saving."""
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    page.locator("#add-tailored-free").click()
    type_into(page, "#id_tailored-0-label", "Kinderopvang betalen")
    type_into(page, "#id_tailored-0-amount", "-5")
    with page.expect_navigation():
        page.get_by_role("button", name="Maatwerkplan opslaan").last.click()
    errors = page.locator("#id_tailored-0-amount_errors li")
    expect(errors).to_have_count(1)
    expect(page.locator("#id_tailored-0-amount")).to_have_attribute("aria-invalid", "true")
    type_into(page, "#id_tailored-0-amount", "6500")
    page.keyboard.press("Tab")
    expect(errors).to_have_count(0)
    expect(page.locator("#id_tailored-0-amount")).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_provisions_are_removed_with_a_button_and_added_again(page, live_server, worker):
    """h1.4 and h1.5: no blank extra provision row; "Verwijderen" as for lines."""
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    rows = page.locator("#legitimacy .om-line")
    count = rows.count()
    assert count >= 2
    expect(page.locator("#legitimacy input[type=checkbox]")).to_have_count(0)
    page.locator("#remove-prov-0").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(count - 1)
    expect(page.locator("#add-provision")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(count)
    expect(page.locator(f"#id_prov-{count - 1}-provision")).to_be_focused()
    assert_accessible(page)
    shoot(page, "plan-form-provisions")


def test_a_slow_answer_does_not_take_the_focus_from_the_next_field(page, live_server, worker):
    """A removal's answer that arrives after the worker has moved on to another field leaves the
    focus there: it used to move it to "Een artikel toevoegen", so the rest of the typed words
    went to that button (and a Space pressed it). When the focus was lost with the removed
    button, it still moves on to "Een artikel toevoegen" (the test above)."""
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    rows = page.locator("#legitimacy .om-line")
    count = rows.count()
    held = []

    def hold_the_removal(route):
        if "remove_provision" in (route.request.post_data or "") and "preview=1" not in (
            route.request.post_data or ""
        ):
            held.append(route)
        else:
            route.continue_()

    page.route(f"**/plannen/{plan.pk}/bewerken/", hold_the_removal)
    page.locator("#remove-prov-0").click()
    for _ in range(100):  # until the click's request is held
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    words = "Dan kan ik blijven werken."
    type_into(page, "#id_inv-resident_words", words[:8])
    held[0].continue_()
    expect(rows).to_have_count(count - 1)  # the answer is in
    page.keyboard.type(words[8:])
    expect(page.locator("#id_inv-resident_words")).to_be_focused()
    assert page.input_value("#id_inv-resident_words") == words
    expect(rows).to_have_count(count - 1)  # no Space pressed "Een artikel toevoegen"
