"""Browser journeys on the demo data as `load_demo` makes it (issue 8 points 6, 7, 8 and 10):
a team lead assigns a case and the worker finds it; a worker makes a case, it is hers, she
closes it with a reason and reopens it; a worker searches by name on a 320 px wide screen.

Run with ``MAATWERK_SCREENSHOT_DIR=/some/dir`` to write screenshots of the changed pages.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maatwerk.cases.models import Case, Resident
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD

from .conftest import assert_accessible, load_demo_data, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOORD = "Wijkteam Wadwijk-Noord"


@pytest.fixture
def demo(seeded_catalogues):
    load_demo_data()


def _log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def _fits(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll}px on a {width}px screen"


def test_team_lead_assigns_a_case_and_the_worker_finds_it(page, live_server, demo):
    login(page, live_server, "teamleider", DEMO_PASSWORD)
    tasks = page.get_by_role("region", name="Wacht op u")
    assert tasks.get_by_role("link", name="Sociaal werker toewijzen").count() >= 3
    expect(page.get_by_role("heading", name="Open casussen per medewerker")).to_be_visible()
    first = tasks.get_by_role("listitem").filter(has_text="Sociaal werker toewijzen").first
    reference = re.search(r"DEMO-N?\d+", first.inner_text()).group(0)
    first.get_by_role("link", name="Sociaal werker toewijzen").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Casus {reference} toewijzen"
    assert_accessible(page)
    page.get_by_label(re.compile(r"Wendy Werker")).check()
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_text("De casus is toegewezen.")).to_be_visible()
    assert "Wendy Werker" in page.locator("dl").inner_text()

    _log_out(page)
    login(page, live_server, "werker", DEMO_PASSWORD)
    recent = page.get_by_role("heading", name="Onlangs aan u toegewezen").locator("xpath=..")
    assert reference in recent.inner_text()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    page.get_by_role("link", name="Mijn casussen").first.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()


def test_worker_makes_a_case_closes_it_with_a_reason_and_reopens_it(page, live_server, demo):
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.get_by_role("link", name="Nieuwe casus").first.click()
    page.get_by_label("Korte omschrijving").fill("Aanmelding: boete CJIB stapelt op")
    page.locator("#id_residents-0-first_name").fill("Noah")
    page.locator("#id_residents-0-last_name").fill("Kramer")
    page.get_by_role("button", name="Casus aanmaken").click()
    expect(page.get_by_text("De casus is aangemaakt.")).to_be_visible()
    assert "Wendy Werker" in page.locator("dl").inner_text()
    next_step = page.get_by_role("region", name="Volgende stap")
    expect(next_step.get_by_role("link", name="Knelpunt vastleggen")).to_be_visible()
    case_url = page.url

    page.get_by_role("link", name="Casus sluiten").click()
    assert_accessible(page)
    page.get_by_label("Reden van afsluiten").select_option(
        label="doorverwezen naar een andere organisatie"
    )
    page.get_by_label("Toelichting").fill("Verder bij schuldhulpverlening.")
    page.get_by_role("button", name="Casus sluiten").click()
    expect(page.get_by_text("De casus is gesloten.", exact=True)).to_be_visible()
    assert "doorverwezen naar een andere organisatie" in page.locator("dl").inner_text()
    assert "Verder bij schuldhulpverlening." in page.locator(".om-timeline").inner_text()

    page.get_by_role("region", name="Volgende stap").get_by_role(
        "button", name="Casus heropenen"
    ).click()
    expect(page.get_by_text("De casus is heropend.")).to_be_visible()
    assert page.url == case_url
    case = Case.objects.get(title="Aanmelding: boete CJIB stapelt op")
    assert case.status == Case.Status.OPEN
    assert [w.username for w in case.assigned_workers.all()] == ["werker"]
    page.goto(f"{live_server.url}/casussen/mijn/")
    expect(page.get_by_role("link", name=case.household.reference)).to_be_visible()


@pytest.fixture
def browser_context_args(request):
    if "narrow" in request.node.name:
        return {"locale": "nl-NL", "viewport": {"width": 320, "height": 640}}
    return {"locale": "nl-NL", "viewport": {"width": 1280, "height": 800}}


def test_search_by_name_on_the_case_list_narrow(page, live_server, demo):
    resident = (
        Resident.objects.filter(household__team__name=NOORD, household__reference="DEMO-0005")
        .select_related("household")
        .first()
    )
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/casussen/")
    _fits(page, 320)
    search = page.get_by_role("searchbox", name="Zoeken")
    search.fill(f"{resident.first_name} {resident.last_name}")
    search.press("Enter")
    page.wait_for_load_state()
    assert resident.first_name not in page.url and resident.last_name not in page.url
    expect(page.get_by_role("link", name="DEMO-0005")).to_be_visible()
    assert re.search(r"\d+ casus", page.locator("#case-count").inner_text())
    _fits(page, 320)
    assert_accessible(page)


@pytest.mark.skipif(
    not os.environ.get("MAATWERK_SCREENSHOT_DIR"),
    reason="writes screenshots only when MAATWERK_SCREENSHOT_DIR is set",
)
def test_screenshots_of_the_changed_pages(browser, live_server, demo, settings):
    settings.REQUIRE_2FA = False
    target = Path(os.environ["MAATWERK_SCREENSHOT_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    case = Case.objects.get(household__reference="DEMO-0001")
    intake = Case.objects.filter(household__reference__startswith="DEMO-N").first()
    pages = {
        "werker": [
            ("start-worker", "/"),
            ("case-list", "/casussen/?sort=deadline"),
            ("case-detail", f"/casussen/{case.pk}/"),
            ("case-edit", f"/casussen/{case.pk}/bewerken/"),
            ("case-close", f"/casussen/{case.pk}/sluiten/"),
            ("case-new", "/casussen/nieuw/"),
        ],
        "teamleider": [
            ("start-lead", "/"),
            ("case-assign", f"/casussen/{intake.pk}/toewijzen/"),
            ("case-detail-intake", f"/casussen/{intake.pk}/"),
        ],
    }
    for width in (1280, 320):
        for username, urls in pages.items():
            context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
            page = context.new_page()
            login(page, live_server, username, DEMO_PASSWORD)
            for name, url in urls:
                page.goto(f"{live_server.url}{url}")
                page.screenshot(path=str(target / f"{name}-{width}.png"), full_page=True)
                _fits(page, width)
            context.close()
