"""Destruction on request (issue 17; AVG art. 17, Jeugdwet art. 7.3.9), walked by the privacy
officer with the keyboard at 1280 and at 320 px: find the case by its household's reference,
send the form once without a legal ground (refused, nothing on a list), then with one; the
case stands on the destruction list with the reason. A case under a legal hold is refused with
the Dutch message. State is made through the services.

Run with ``MAATWERK_SCREENSHOTS=/some/dir`` to write screenshots of the pages.
"""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.privacy import services as privacy
from maatwerk.privacy.models import DestructionItem

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _closed_case(worker, team, first_name: str):
    case = case_services.create_household_with_case(
        actor=worker,
        team=team,
        residents=[{"first_name": first_name, "last_name": "Visser"}],
        title="Hulp bij opvoeden",
        goal="Rust in huis.",
        life_domains=["upbringing"],
        organisations=[],
    )
    return case_services.close_case(actor=worker, case=case, reason="goal_reached")


@pytest.fixture
def world(db):
    team = TeamFactory(name="Wijkteam Noord")
    worker = user_with_role(Role.WORKER, team)
    officer = user_with_role(Role.PRIVACY_OFFICER, team, username="privacy")
    asked = _closed_case(worker, team, "Noor")
    held = _closed_case(worker, team, "Ali")
    privacy.set_legal_hold(officer, held, reason="Bezwaar loopt")
    return {"asked": asked, "held": held}


def _fits(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll}px on a {width}px screen"


@pytest.mark.parametrize("width", [1280, 320])
def test_the_privacy_officer_puts_a_case_on_the_list_on_request(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "privacy", PASSWORD)
    page.goto(f"{live_server.url}/privacy/")
    page.get_by_role("link", name="Vernietiging op verzoek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vernietiging op verzoek")
    reference = world["asked"].household.reference
    page.get_by_label("Kenmerk huishouden").focus()
    page.keyboard.type(reference.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name=f"Casus van huishouden {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(page)
    _fits(page, width)
    shoot(page, f"h17-destruction-request-form-{width}")

    # First without a legal ground: refused, at the field, and nothing is on a list.
    page.get_by_role("button", name="Op de vernietigingslijst zetten").click()
    expect(page.get_by_text("Kies de wettelijke grondslag van het verzoek.").first).to_be_visible()
    assert not DestructionItem.objects.exists()
    assert_accessible(page)
    shoot(page, f"h17-destruction-request-error-{width}")

    # Then with the ground, chosen with the keyboard.
    ground = page.get_by_label("AVG art. 17 (recht op gegevenswissing)")
    ground.focus()
    page.keyboard.press("Space")
    expect(ground).to_be_checked()
    page.get_by_role("button", name="Op de vernietigingslijst zetten").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("De casus staat op de vernietigingslijst")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Op verzoek van betrokkene (AVG art. 17")
    assert "Noor" not in page.content()
    assert DestructionItem.objects.get().request_ground == "avg_17"
    assert_accessible(page)
    _fits(page, width)
    shoot(page, f"h17-destruction-list-on-request-{width}")

    # A case under a legal hold: said on the page, and refused when sent anyway.
    page.goto(f"{live_server.url}/privacy/vernietigingslijst/op-verzoek/{world['held'].pk}/")
    expect(page.get_by_role("status")).to_contain_text("Op deze casus staat een bewaarplicht")
    page.get_by_label("Jeugdwet art. 7.3.9 (vernietiging van het jeugdhulpdossier)").check()
    page.get_by_role("button", name="Op de vernietigingslijst zetten").click()
    expect(page.get_by_text("Hef de bewaarplicht eerst op").first).to_be_visible()
    assert DestructionItem.objects.filter(case=world["held"]).count() == 0
    _fits(page, width)
    shoot(page, f"h17-destruction-request-held-{width}")
