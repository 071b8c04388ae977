"""Browser tests: two roles log in with the keyboard, see their start page, and every page they
visit passes axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) with zero violations.

Run with ``MAATWERK_SCREENSHOT=1`` to (re)write ``docs/screenshot-start.png`` for the README.
"""

import os
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.demo.situations import SITUATIONS

from ..factories import (
    PASSWORD,
    CaseFactory,
    HouseholdFactory,
    OrganisationFactory,
    ResidentFactory,
    TeamFactory,
    user_with_role,
)
from .conftest import REPO_ROOT, SKIP_LINK_TEXT, assert_accessible, login

# serialized_rollback: the live server needs real commits (transactional_db), whose teardown
# flushes every table, including the cost catalogue and price index that a data migration
# seeded. Serialized rollback restores that seeded content before each of these tests, so the
# kostenoverzicht shows the real catalogue here and later tests still find it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECRET_RESIDENT = ("Fatima", "El Amrani")


@pytest.fixture
def neighbourhood():
    """A fictional wijkteam with a worker, a policy analyst and a handful of open cases."""
    organisation = OrganisationFactory(name="Gemeente Zuidhaven")
    team = TeamFactory(organisation=organisation, name="Wijkteam Zuidhaven-Noord")
    worker = user_with_role(
        Role.WORKER, team, username="sanne.devries", first_name="Sanne", last_name="de Vries"
    )
    analyst = user_with_role(
        Role.POLICY_ANALYST, team, username="joost.bakker", first_name="Joost", last_name="Bakker"
    )
    residents = [
        SECRET_RESIDENT,
        ("Kevin", "Jansen"),
        ("Marieke", "Visser"),
        ("Ricardo", "Ramdin"),
        ("Elif", "Kaya"),
        ("Gert", "Postma"),
    ]
    cases = []
    for n, ((title, goal, first_step, _shape), (first, last)) in enumerate(
        zip(SITUATIONS, residents, strict=False)
    ):
        household = HouseholdFactory(
            team=team, reference=f"ZH-{2026_0101 + n * 7}", neighbourhood_code="WK099901"
        )
        ResidentFactory(household=household, first_name=first, last_name=last, is_contact=True)
        case = CaseFactory(
            household=household,
            title=title,
            goal=goal,
            first_step=first_step,
            opened_on=date(2026, 11, 23) - timedelta(days=9 * n),
        )
        if n < 4:  # the last two wait for the team lead to assign a worker
            case.assigned_workers.add(worker)
        cases.append(case)
    return {"team": team, "worker": worker, "analyst": analyst, "cases": cases}


def test_worker_keyboard_login_start_page_and_visited_pages_are_accessible(
    page, live_server, neighbourhood
):
    login(page, live_server, neighbourhood["worker"].username, PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.title() == "Start – Open Maatwerk"
    assert page.get_by_role("heading", level=1).inner_text() == "Fijn dat u er bent, Sanne"
    expect(page.get_by_role("heading", name="Mijn casussen")).to_be_visible()
    main = page.locator("main")
    assert "U werkt aan 4 open casussen." in main.inner_text()
    # The worker's own cases are listed by household reference, never by name.
    assert neighbourhood["cases"][0].household.reference in main.inner_text()

    # The skip link is the first Tab stop, becomes visible and moves focus to <main>.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == SKIP_LINK_TEXT
    expect(page.get_by_role("link", name=SKIP_LINK_TEXT)).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert_accessible(page)

    page.get_by_role("link", name="Naar de casuslijst").click()
    page.wait_for_url(f"{live_server.url}/casussen/")
    assert page.title() == "Casussen – Open Maatwerk"
    assert_accessible(page)

    case = neighbourhood["cases"][0]
    page.get_by_role("link", name=case.household.reference).click()
    page.wait_for_url(f"{live_server.url}/casussen/{case.pk}/")
    assert " ".join(SECRET_RESIDENT) in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/kosten/")
    assert page.title() == "Kostenoverzicht – Open Maatwerk"
    expect(page.get_by_role("heading", name="Wat kost een jaar?")).to_be_visible()
    assert_accessible(page)

    # The first link to a catalogue item (/kosten/<id>/), wherever the page puts it.
    item_href = page.evaluate(
        """() => [...document.querySelectorAll('main a')]
            .map(a => a.getAttribute('href')).find(h => /^\\/kosten\\/\\d+\\/$/.test(h))"""
    )
    assert item_href, "the kostenoverzicht links to no cost item"
    first_item = page.locator(f"main a[href='{item_href}']").first
    item_name = first_item.inner_text()
    first_item.click()
    page.wait_for_url(re.compile(r"/kosten/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == item_name
    assert_accessible(page)


def test_policy_analyst_sees_counts_without_personal_data(page, live_server, neighbourhood):
    login(page, live_server, neighbourhood["analyst"].username, PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.title() == "Start – Open Maatwerk"
    expect(page.get_by_role("heading", name="Casussen per team")).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Wijkteam Zuidhaven-Noord" in body
    for first, last in [SECRET_RESIDENT, ("Kevin", "Jansen")]:
        assert first not in body
        assert last not in body
    for case in neighbourhood["cases"]:
        assert case.household.reference not in body
        assert case.title not in body
    assert page.locator("a[href^='/casussen/']").count() == 0
    assert_accessible(page)

    page.goto(f"{live_server.url}/kosten/")
    assert page.title() == "Kostenoverzicht – Open Maatwerk"
    assert_accessible(page)


def test_login_page_is_accessible_and_a_wrong_password_gets_a_dutch_message(
    page, live_server, neighbourhood
):
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/inloggen/\?next=/$"))
    assert page.title() == "Inloggen – Open Maatwerk"
    assert_accessible(page)

    login(page, live_server, neighbourhood["worker"].username, "niet-het-goede-wachtwoord")
    assert "/inloggen/" in page.url
    alert = page.get_by_role("alert")
    assert "De gebruikersnaam of het wachtwoord klopt niet." in alert.inner_text()
    assert_accessible(page)

    # The checker itself is not a silent no-op: an image without a text alternative is reported.
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: 'data:,'}))"
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_accessible(page)


def test_content_security_policy_forbids_inline_scripts_and_pages_respect_it(
    page, live_server, neighbourhood
):
    messages = []
    page.on("console", lambda msg: messages.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: messages.append(("pageerror", str(exc))))

    login(page, live_server, neighbourhood["worker"].username, PASSWORD)
    response = page.goto(f"{live_server.url}/")
    assert response.status == 200
    csp = response.headers.get("content-security-policy")
    assert csp, "no Content-Security-Policy header"
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "script-src" in directives
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/kosten/")  # the busiest page: tables, bars, filter form
    page.wait_for_load_state("load")
    csp_errors = [m for m in messages if "Content Security Policy" in m[1]]
    assert csp_errors == []
    assert [m for m in messages if m[0] == "pageerror"] == []

    # And the policy is really enforced: an injected inline script does not run, and the
    # refusal shows up on the console, so the listener above would have caught a violation.
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.inlineRan = true';
            document.head.appendChild(s);
        }"""
    )
    assert page.evaluate("() => window.inlineRan === true") is False
    page.wait_for_timeout(100)
    assert any("Content Security Policy" in text for _type, text in messages)


@pytest.mark.skipif(
    os.environ.get("MAATWERK_SCREENSHOT") != "1",
    reason="writes docs/screenshot-start.png only when MAATWERK_SCREENSHOT=1",
)
def test_screenshot_of_the_start_page(page, live_server, neighbourhood):
    login(page, live_server, neighbourhood["worker"].username, PASSWORD)
    page.wait_for_load_state("networkidle")
    target = REPO_ROOT / "docs" / "screenshot-start.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
