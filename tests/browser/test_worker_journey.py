"""The worker's journey with the demo data as `load_demo` makes it (issue 8): a new case, its
obstacle, a new plan filled in and saved, opened and saved again unchanged, changed (a line of
forgone income added) and saved, with each corner of the value triangle saying live what is
still missing; then submitted, and its PDF downloaded with the forgone line in it.

At 1280 px wide; the plan edit page and the plan document also at 320 px (no sideways scroll).
Screenshots of both pages go to var/screens/ to be looked at.
"""

import io
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maatwerk.cases.models import Case
from maatwerk.plans.models import LineKind, Plan

from .conftest import PDF_WAIT_MS, REPO_ROOT, assert_accessible, login
from .test_plan_flow import choose, follow, send, submit_confirmed, tick, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = REPO_ROOT / "var" / "screens"
DEMO_PASSWORD = "demo-maatwerk-2026"  # maatwerk.demo.management.commands.load_demo
RULE_NAME = "Toeslag verrekend met (belasting)schuld"
GOAL = "Ik wil blijven werken en mijn schulden aflossen."
FORGONE_LABEL = "Afzien van terugvordering bijzondere bijstand"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _stored(plan: Plan) -> dict:
    plan = Plan.objects.get(pk=plan.pk)
    return {
        "plan": {
            f: getattr(plan, f)
            for f in (
                "solution",
                "amount_requested",
                "resident_words",
                "agreement",
                "agreement_date",
                "agreement_how",
                "horizon_months",
                "discount_rate",
            )
        },
        "lines": list(
            plan.lines.order_by("scenario", "position").values(
                "scenario",
                "kind",
                "label",
                "amount",
                "unit",
                "bearer",
                "cost_type",
                "quantity",
                "start_month",
                "duration_months",
                "probability",
            )
        ),
        "provisions": list(
            plan.plan_provisions.order_by("position").values_list("provision_id", "explanation")
        ),
    }


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
                .filter(e => !e.parentElement.closest('.om-table-scroll, table'))
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right
                    <= document.documentElement.clientWidth)
                .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
        )
        pytest.fail(f"{page.url}: {overflow}px sideways scroll at 320 px, from {wide}")


def _shoot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@contextmanager
def _phone(browser, browser_context_args, live_server):
    """The worker on a 320 px wide phone, logged in."""
    phone = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 320, "height": 720}}
    )
    try:
        page = phone.new_page()
        page.set_default_timeout(10_000)
        login(page, live_server, "werker", DEMO_PASSWORD)
        yield page
    finally:
        phone.close()


def _own_line(page, prefix: str, label: str, amount: str, unit: str, bearer: str, cost: str):
    type_into(page, f"#id_{prefix}-label", label)
    type_into(page, f"#id_{prefix}-amount", amount)
    choose(page, f"#id_{prefix}-unit", unit)
    choose(page, f"#id_{prefix}-bearer", bearer)
    choose(page, f"#id_{prefix}-cost_type", cost)


def test_worker_journey_on_the_demo_data(page, live_server, demo, browser, browser_context_args):
    login(page, live_server, "werker", DEMO_PASSWORD)

    # 1. A new case.
    page.goto(f"{live_server.url}/casussen/nieuw/")
    type_into(page, "#id_residents-0-first_name", "Noor")
    page.keyboard.press("Tab")
    page.keyboard.type("Visser")
    type_into(page, "#id_title", "Bijzondere bijstand teruggevorderd, dreigt baan te verliezen")
    page.keyboard.press("Tab")
    page.keyboard.type(GOAL)
    tick(page, "input[name=life_domains][value=income]")
    send(page, "Casus aanmaken")
    case = Case.objects.get(title__startswith="Bijzondere bijstand teruggevorderd")

    # 2. The obstacle.
    follow(page, "Knelpunt toevoegen")
    choose(page, "#id_blocking_rule", RULE_NAME)
    type_into(page, "#id_effect", "De toeslag wordt verrekend; zonder opvang stopt zij met werken.")
    send(page, "Knelpunt toevoegen")
    obstacle = case.obstacles.get()

    # 3. A new plan for it.
    follow(page, "Nieuw maatwerkplan")
    assert page.is_checked(f"input[name=obstacles][value='{obstacle.pk}']")
    type_into(page, "#id_solution", "De gemeente betaalt de opvang en ziet af van terugvordering.")
    choose(page, "#id_solution_kind", "Een kostenpost betalen")
    type_into(page, "#id_amount_requested", "500")
    choose(page, "#id_form", "betaling")
    type_into(page, "#id_payee", "Kinderopvang De Vlinder")
    send(page, "Maatwerkplan aanmaken")
    plan = Plan.objects.get(case=case)
    assert page.url.endswith(f"/plannen/{plan.pk}/bewerken/")

    # 4. Fill in. The form says what submitting needs; each corner says what is missing.
    expect(page.locator("label[for=id_inv-resident_words]")).to_contain_text(
        "nodig om in te dienen"
    )
    involvement = page.locator("#missing-involvement")
    expect(involvement).to_contain_text("Schrijf de eigen woorden van de bewoner")
    suggested = page.locator("#suggested li").count()
    assert suggested >= 2
    for i in range(suggested):
        type_into(page, f"#id_prov-{i}-explanation", f"Dit artikel geeft hier ruimte ({i + 1}).")
    # One suggestion is not needed here: "Verwijderen", as for a line.
    page.locator(f"#remove-prov-{suggested - 1}").click()
    expect(page.locator("#legitimacy .om-line")).to_have_count(suggested - 1)
    type_into(page, "#id_inv-resident_words", "Als de opvang betaald wordt, kan ik blijven werken.")
    # Live: without saving, the involvement corner no longer asks for the resident's words.
    expect(involvement).not_to_contain_text("Schrijf de eigen woorden van de bewoner")
    expect(involvement).to_contain_text("Geef aan hoe de bewoner instemde.")
    tick(page, "input[name=inv-agreement][value=yes]")
    type_date(page, "#id_inv-agreement_date", date.today())
    for route in ("standard", "tailored"):  # no blank lines: "Regel toevoegen" adds one
        page.locator(f"#add-{route}-free").click()
        expect(page.locator(f"#id_{route}-0-label")).to_be_focused()
    _own_line(page, "standard-0", "Bijstandsuitkering", "1000", "per maand", "Gemeente",
              "Geld dat van de ene naar de andere gaat (zoals een uitkering)")  # fmt: skip
    type_into(page, "#id_standard-0-duration_months", "12")
    _own_line(page, "tailored-0", "Kinderopvang betalen", "500", "per casus", "Gemeente",
              "Geld van de overheid (een budgethouder betaalt)")  # fmt: skip
    expect(page.locator("#missing-return")).to_contain_text("compleet")
    send(page, "Maatwerkplan opslaan")
    assert page.url.endswith(f"/plannen/{plan.pk}/")
    expect(page.locator("#corner-involvement")).to_contain_text("onvolledig")  # how: not given
    assert plan.plan_provisions.count() == suggested - 1

    # 5. Edit and save again, unchanged: accepted, and nothing changes.
    before = _stored(plan)
    follow(page, "Maatwerkplan bewerken")
    assert page.input_value("#id_tailored-0-quantity") == "1"
    assert page.input_value("#id_tailored-0-probability") == "100"
    assert page.input_value("#id_tailored-0-amount") == "500"
    send(page, "Maatwerkplan opslaan")
    assert page.url.endswith(f"/plannen/{plan.pk}/"), page.locator("#error-summary").inner_text()
    assert _stored(plan) == before

    # 6. Edit and change: say how the resident agreed (the corner turns complete as it is
    # chosen) and add a line of forgone income to the tailored route.
    follow(page, "Maatwerkplan bewerken")
    assert_accessible(page)
    expect(page.locator("#missing-involvement")).to_contain_text("Geef aan hoe de bewoner")
    choose(page, "#id_inv-agreement_how", "persoonlijk")
    expect(page.locator("#missing-involvement")).to_contain_text("compleet")
    expect(page.locator("#live-summary")).to_contain_text("Alle drie de toetsen")
    page.locator("#add-tailored-free").click()
    expect(page.locator("#id_tailored-1-label")).to_be_focused()
    choose(page, "#id_tailored-1-kind", "gederfde inkomsten (afzien van korting of terugvordering)")
    _own_line(page, "tailored-1", FORGONE_LABEL, "1200", "per casus", "Gemeente",
              "Geld dat van de ene naar de andere gaat (zoals een uitkering)")  # fmt: skip
    _shoot(page, "plan-edit-1280")
    send(page, "Maatwerkplan opslaan")
    assert page.url.endswith(f"/plannen/{plan.pk}/")
    forgone = plan.lines.get(label=FORGONE_LABEL)
    assert forgone.kind == LineKind.FORGONE_INCOME and forgone.amount == 1200
    for corner in ("legitimacy", "involvement", "return"):
        expect(page.locator(f"#corner-{corner}")).not_to_contain_text("onvolledig")
    expect(page.locator("main")).to_contain_text("gederfde inkomsten")

    # The edit page of the draft on a phone: every field reachable, no sideways scrolling.
    with _phone(browser, browser_context_args, live_server) as small:
        small.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
        expect(small.locator("#live-summary")).to_be_visible()
        _no_sideways_scroll(small)
        _shoot(small, "plan-edit-320")

    # 7. Submit, confirmed on the page that says who decides.
    submit_confirmed(page, check=assert_accessible)
    plan.refresh_from_db()
    assert plan.status != Plan.Status.DRAFT

    # 8. The plan document and its PDF, with the forgone line as forgone income.
    follow(page, "Plandocument")
    expect(page.locator("main")).to_contain_text("Gederfde inkomsten in de doorbraakroute")
    expect(page.locator("main")).to_contain_text("€ 1.200,00")
    assert_accessible(page)
    _shoot(page, "plan-document-1280")
    link = page.get_by_role("link", name="Downloaden als pdf")
    link.focus()
    with page.expect_download(timeout=PDF_WAIT_MS) as info:
        page.keyboard.press("Enter")
    pdf = Path(info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())  # a table cell wraps its text over lines
    assert FORGONE_LABEL in text and "gederfde inkomsten" in text.lower()
    assert "niet uit het maatwerkbudget" in text

    # 9. On a phone (320 px): the plan document reads without sideways scrolling.
    with _phone(browser, browser_context_args, live_server) as small:
        small.goto(f"{live_server.url}/plannen/{plan.pk}/document/")
        _no_sideways_scroll(small)
        _shoot(small, "plan-document-320")
