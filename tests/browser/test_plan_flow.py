"""The worker's main job in a real browser, with the keyboard only: from a stuck household to a
submitted, justified tailored plan (maatwerkplan) and its PDF — and axe finds nothing on any page
or state of the flow (issue 4, acceptance).

The keyboard pattern throughout: move the focus to a field (``page.focus`` stands in for the
Tab presses a person would make to get there; the Tab order itself is checked where it matters),
type, Tab to the next field, Space for a checkbox or radio button, Enter to follow a link or
send a form. The mouse is never used.
"""

import io
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Case
from maatwerk.plans.models import Plan

from ..factories import PASSWORD, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates
from .conftest import PDF_WAIT_MS, assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RULE_NAME = "Toeslag verrekend met (belasting)schuld"  # TOESLAG-VERREKEND in blocking_rules.csv
ESCAPE_CODES = ["TOESLAG-VERREKENING", "AWIR-HARDHEID", "PW-35"]  # its escape provisions
BSN = "111222333"  # passes the eleven-test; must never reach the PDF
GOAL = "Ik wil blijven werken en mijn eigen geld verdienen."


def type_into(page, selector: str, text: str) -> None:
    """Focus a field and type into it, as someone would after tabbing there."""
    page.focus(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, selector: str, label: str) -> None:
    """Pick an option of a focused <select> by typing its label (the browser's type-ahead)."""
    page.focus(selector)
    page.keyboard.type(label)
    selected = page.eval_on_selector(selector, "el => el.options[el.selectedIndex].text")
    assert selected.strip() == label, f"{selector}: typed {label!r}, got {selected!r}"


def tick(page, selector: str) -> None:
    """Check a checkbox or radio button with the Space bar."""
    page.focus(selector)
    page.keyboard.press("Space")
    assert page.is_checked(selector)


def follow(page, name: str) -> None:
    """Follow a link (or press a button) by its accessible name with Enter."""
    target = page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name))
    target.first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def send(page, button: str) -> None:
    """Send the form with its submit button, focused and pressed with Enter."""
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def submit_confirmed(page, *, check=None) -> None:
    """Submit the plan from its page: "Maatwerkplan indienen", then the confirmation page that
    names who decides and says the plan cannot be changed until decided (issue 11); `check`
    (a function of the page) looks at that page before "Ja, plan indienen"."""
    send(page, "Maatwerkplan indienen")
    expect(page.locator("#confirm-submit-text")).to_contain_text("Indienen bij")
    expect(page.locator("main")).to_contain_text("niet meer wijzigen tot er besloten is")
    if check is not None:
        check(page)
    send(page, "Ja, plan indienen")


def type_date(page, selector: str, day: date) -> None:
    """Type a date into the shared date widget (core.forms.DateInput) by keyboard only: the day
    box first (``<selector>_0``), then Tab to the month and to the year."""
    page.focus(f"{selector}_0")
    for n, part in enumerate((str(day.day), str(day.month), str(day.year))):
        if n:
            page.keyboard.press("Tab")
        page.keyboard.type(part)
    typed = [page.input_value(f"{selector}_{n}") for n in range(3)]
    assert typed == [str(day.day), str(day.month), str(day.year)], typed


@pytest.fixture
def worker():
    team = TeamFactory(name="Wijkteam Noord")
    # The organisation configured its mandates and the team has a manager to decide €6,500.
    configure_mandates(team.organisation)
    user_with_role(Role.MANAGER, team, first_name="Mira", last_name="Manager")
    return user_with_role(
        Role.WORKER, team, username="sanne.werker", first_name="Sanne", last_name="de Vries"
    )


def test_worker_walks_from_stuck_household_to_submitted_plan(page, live_server, worker):
    login(page, live_server, worker.username, PASSWORD)

    # 1. A new household with a case and the resident's goal.
    page.goto(f"{live_server.url}/casussen/nieuw/")
    assert_accessible(page)
    # First an error state: sent empty, the page says what is missing and nothing is saved.
    send(page, "Casus aanmaken")
    expect(page.get_by_role("alert").first).to_be_visible()
    assert not Case.objects.exists()
    assert_accessible(page)

    type_into(page, "#id_residents-0-first_name", "Fatima")
    page.keyboard.press("Tab")
    page.keyboard.type("El Amrani")
    type_into(page, "#id_residents-0-bsn", BSN)
    type_into(page, "#id_title", "Kinderopvangtoeslag verrekend, dreigt baan op te zeggen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_goal"
    page.keyboard.type(GOAL)
    page.keyboard.press("Tab")
    page.keyboard.type("Kinderopvang voor een jaar regelen")
    tick(page, "input[name=life_domains][value=income]")
    tick(page, "input[name=life_domains][value=debts]")
    tick(page, "input[name=organisations][value=tax_allowances]")
    send(page, "Casus aanmaken")
    case = Case.objects.get()
    assert page.url.endswith(f"/casussen/{case.pk}/")
    expect(page.locator("blockquote")).to_contain_text(GOAL)
    assert_accessible(page)

    # 2. The obstacle: the allowance offset against a (tax) debt, from the regelbank.
    follow(page, "Knelpunt toevoegen")
    assert_accessible(page)
    send(page, "Knelpunt toevoegen")  # nothing chosen: an error state
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    choose(page, "#id_blocking_rule", RULE_NAME)
    type_into(
        page,
        "#id_effect",
        "De kinderopvangtoeslag wordt verrekend met een oude belastingschuld; zonder opvang "
        "moet zij haar baan opzeggen en terug naar de bijstand.",
    )
    send(page, "Knelpunt toevoegen")
    obstacle = case.obstacles.get()
    assert obstacle.blocking_rule.code == "TOESLAG-VERREKEND"
    expect(page.locator("main")).to_contain_text(RULE_NAME)
    assert_accessible(page)

    # 3. A plan for that obstacle: the solution and the amount requested.
    expect(page.locator("main")).to_contain_text("Nog geen maatwerkplannen")
    follow(page, "Nieuw maatwerkplan")  # the link in the obstacle's row: ?knelpunt=<id>
    assert page.url.endswith(f"?knelpunt={obstacle.pk}")
    assert page.is_checked(f"input[name=obstacles][value='{obstacle.pk}']")
    assert_accessible(page)
    type_into(
        page,
        "#id_solution",
        "De gemeente betaalt de kinderopvang voor een jaar, zodat zij kan blijven werken.",
    )
    # The kind of solution (needed to submit) comes next, then who carries it out.
    choose(page, "#id_solution_kind", "Een kostenpost betalen")
    type_into(page, "#id_by_whom", "Wijkteam Noord")
    type_into(page, "#id_amount_requested", "6500")
    choose(page, "#id_form", "betaling")
    type_into(page, "#id_payee", "Kinderopvang De Vlinder")
    send(page, "Maatwerkplan aanmaken")
    plan = Plan.objects.get()
    assert page.url.endswith(f"/plannen/{plan.pk}/bewerken/")
    assert_accessible(page)

    # 4. Legitimacy: the blocking rule's escape provisions are suggested first, and prefilled.
    suggested = page.locator("#suggested li")
    expect(suggested).to_have_count(len(ESCAPE_CODES))
    prefilled = [
        page.eval_on_selector(f"#id_prov-{i}-provision", "el => el.options[el.selectedIndex].text")
        for i in range(len(ESCAPE_CODES))
    ]
    assert all(text.strip() for text in prefilled)
    for i in range(len(ESCAPE_CODES)):
        type_into(
            page,
            f"#id_prov-{i}-explanation",
            f"Dit artikel geeft ruimte om af te wijken in deze situatie ({i + 1}).",
        )

    # 5. Involvement: the resident's words and agreement (yes, today, in person).
    type_into(page, "#id_inv-resident_words", "Als de opvang betaald wordt, kan ik blijven werken.")
    tick(page, "input[name=inv-agreement][value=yes]")
    type_date(page, "#id_inv-agreement_date", date.today())
    choose(page, "#id_inv-agreement_how", "persoonlijk")

    # 6. Return. Standard route: a year of social assistance, from the cost catalogue. The
    # results appear as you type; Tab passes the Search button and reaches the first result.
    type_into(page, "#id_terms-discount_rate", "0")
    type_into(page, "#q-standard", "Bijstandsnorm alleenstaande")
    page.locator("#found-standard button").first.wait_for()
    assert_accessible(page)  # with search results
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id").startswith("add-standard-")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Nothing is saved yet, nothing typed is lost, and the focus is on the new line.
    assert not plan.lines.exists()
    expect(page.locator("#id_standard-0-quantity")).to_be_focused()
    expect(page.locator("#id_standard-0-duration_months")).to_have_value("12")
    expect(page.locator("main")).to_contain_text("Bijstandsnorm alleenstaande 21+")
    assert page.input_value("#id_prov-0-explanation").startswith("Dit artikel")
    assert page.is_checked("input[name=inv-agreement][value=yes]")
    assert_accessible(page)

    # Tailored route: € 6.500 once, typed by hand; first with a negative amount (an error state).
    # No blank line waits there (issue 11): "Regel toevoegen" adds one, with the focus in it.
    page.locator("#add-tailored-free").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-0-label")).to_be_focused()
    type_into(page, "#id_tailored-0-label", "Kinderopvang betalen")
    page.keyboard.press("Tab")
    page.keyboard.type("-6500")
    choose(page, "#id_tailored-0-unit", "per casus")
    choose(page, "#id_tailored-0-bearer", "Gemeente")
    choose(page, "#id_tailored-0-cost_type", "Geld van de overheid (een budgethouder betaalt)")
    send(page, "Maatwerkplan opslaan")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # the keyboard starts at the list of what to correct
    expect(summary).to_contain_text("Er is nog niets opgeslagen")
    expect(summary).to_contain_text("Maatwerkroute, regel 1 – Bedrag")
    assert not plan.lines.exists()
    assert_accessible(page)
    # The summary links to the field: Enter on the link moves the focus there.
    summary.get_by_role("link", name=re.compile("Maatwerkroute, regel 1 – Bedrag")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_tailored-0-amount")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("6500")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field saves the plan
    assert page.url.endswith(f"/plannen/{plan.pk}/")
    assert plan.lines.count() == 2

    # 7. The three corners are complete; the return is shown.
    for corner in ("legitimacy", "involvement", "return"):
        expect(page.locator(f"#corner-{corner}")).to_contain_text("compleet")
        expect(page.locator(f"#corner-{corner}")).not_to_contain_text("incompleet")
    expect(page.locator("main")).to_contain_text("€ 6.500,00")
    expect(page.locator("main")).to_contain_text("Bijstandsnorm alleenstaande 21+")
    assert_accessible(page)

    # 8. Submit, confirmed on the page that names who decides.
    submit_confirmed(page, check=assert_accessible)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    expect(page.get_by_role("status").or_(page.locator(".messages")).first).to_be_visible()
    expect(page.locator("#waiting-for")).to_contain_text("Mira Manager")
    assert_accessible(page)

    # The case page lists the plan with its status and amount.
    follow(page, "Terug naar de casus")
    plans = page.locator("table", has_text="ingediend")
    expect(plans.first).to_contain_text("€ 6.500,00")
    assert_accessible(page)
    follow(page, f"Maatwerkplan {plan.pk}")

    # 9. The plan document, as a page and as a PDF.
    follow(page, "Plandocument")
    assert BSN not in page.content()
    assert_accessible(page)
    link = page.get_by_role("link", name="Downloaden als pdf")
    link.focus()
    with page.expect_download(timeout=PDF_WAIT_MS) as info:
        page.keyboard.press("Enter")
    download = info.value
    assert re.fullmatch(r"maatwerkplan-\d+\.pdf", download.suggested_filename)
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Kinderopvang betalen" in text
    assert BSN not in text.replace(" ", "").replace(".", "")
    assert BSN.encode() not in pdf


def _draft_plan(worker):
    """A draft plan with only its solution, for the obstacle of the set-off allowance."""
    from maatwerk.cases import services as case_services
    from maatwerk.legal.models import BlockingRule
    from maatwerk.plans import services as plan_services

    team = worker.memberships.get().team
    case = case_services.create_household_with_case(
        actor=worker,
        team=team,
        residents=[{"first_name": "Kees", "last_name": "Jansen"}],
        title="Toeslag verrekend",
        goal=GOAL,
    )
    obstacle = case_services.add_obstacle(
        actor=worker,
        case=case,
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        effect="De toeslag wordt verrekend.",
    )
    return plan_services.create_plan(
        worker, case, [obstacle], solution="Kinderopvang betalen voor een jaar."
    )


def test_a_plan_with_a_missing_corner_is_refused_on_submit(page, live_server, worker):
    """A draft with only a solution: submitting says, per corner, what is missing."""
    login(page, live_server, worker.username, PASSWORD)
    plan = _draft_plan(worker)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    assert_accessible(page)
    send(page, "Maatwerkplan indienen")
    refusal = page.locator("#refusal")
    expect(refusal).to_be_focused()
    expect(refusal).to_contain_text(
        "Het maatwerkplan kan nog niet worden ingediend. Dit ontbreekt:"
    )
    expect(refusal).to_contain_text("Kies ten minste één wetsartikel uit de regelbank.")
    expect(refusal).to_contain_text("Voeg ten minste één regel toe aan de standaardroute.")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert_accessible(page)


def test_catalogue_search_on_the_plan_works_without_javascript(
    browser, browser_context_args, settings, live_server, worker
):
    """Without JavaScript the search is a plain submit: Enter in the search box searches (it
    does not save), a result's button adds the line, and what was typed stays."""
    settings.REQUIRE_2FA = False
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, worker.username, PASSWORD)
        plan = _draft_plan(worker)
        page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
        type_into(page, "#id_inv-resident_words", "Dan kan ik blijven werken.")
        type_into(page, "#q-standard", "Bijstandsnorm alleenstaande")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/bewerken/" in page.url  # searched, not saved
        expect(page.locator("#q-standard")).to_be_focused()
        expect(page.locator("#found-standard button").first).to_contain_text("Bijstandsnorm")
        # No axe here: axe.run never settles in a page with JavaScript off (its timers do not
        # run). The same markup, results included, is checked with JavaScript in the flow test.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id").startswith("add-standard-")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("#id_standard-0-quantity")).to_be_focused()
        assert page.input_value("#id_inv-resident_words") == "Dan kan ik blijven werken."
        send(page, "Maatwerkplan opslaan")
        assert page.url.endswith(f"/plannen/{plan.pk}/")  # the default discount rate is valid
        line = plan.lines.get()
        assert line.cost_item.code == "PW-NORM-1P"
        assert line.duration_months == 12
        plan.refresh_from_db()
        assert plan.resident_words == "Dan kan ik blijven werken."
    finally:
        context.close()
