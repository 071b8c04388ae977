"""Destruction on request (issue 17; AVG art. 17, Jeugdwet art. 7.3.9), walked by the privacy
officer with the keyboard at 1280 and at 320 px: find the case by the person's BSN (a wrong
number first, refused at the field), send the form once without a legal ground (refused,
nothing on a list), then with one; the case stands on the destruction list with the reason and
its retention rule by name. Approving without ticking the confirmation is refused and destroys
nothing; ticked, the case is destroyed. A case under a legal hold shows only the refusal and the
way to lift the hold. State is made through the services.

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


BSN = "999000019"


def _closed_case(worker, team, first_name: str, **resident):
    case = case_services.create_household_with_case(
        actor=worker,
        team=team,
        residents=[{"first_name": first_name, "last_name": "Visser", **resident}],
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
    asked = _closed_case(worker, team, "Noor", bsn=BSN)
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
    field = page.get_by_label("BSN of kenmerk huishouden")
    expect(page.get_by_text("bijvoorbeeld HH-7K3Q9P2M")).to_be_visible()
    # A number that fails the eleven-test first: refused at the field, then corrected.
    field.focus()
    page.keyboard.type("123456789")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("elfproef").first).to_be_visible()
    field = page.get_by_label("BSN of kenmerk huishouden")
    field.fill("")
    field.focus()
    page.keyboard.type(BSN)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert BSN not in page.url
    _fits(page, width)
    shoot(page, f"fixP-destruction-request-search-{width}")
    page.get_by_role("link", name=f"Casus van huishouden {reference}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
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
    item = DestructionItem.objects.get()
    assert item.request_ground == "avg_17" and item.rule_codes
    for code in item.rule_codes.split(", "):  # the rule by its Dutch name, not its code
        expect(row).not_to_contain_text(code)
    assert "Noor" not in page.content()
    assert_accessible(page)
    _fits(page, width)
    shoot(page, f"h17-destruction-list-on-request-{width}")

    # Approving without the confirmation: refused with the reason, nothing destroyed.
    approve = page.get_by_role("button", name="1 casus goedkeuren en vernietigen")
    approve.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Vink aan dat u begrijpt").first).to_be_visible()
    assert DestructionItem.objects.get().status == "proposed"
    assert_accessible(page)
    _fits(page, width)
    shoot(page, f"fixP-destruction-approve-refused-{width}")
    confirm = page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden")
    confirm.focus()
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    page.get_by_role("button", name="1 casus goedkeuren en vernietigen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("1 casussen vernietigd").first).to_be_visible()
    assert DestructionItem.objects.get().status == "destroyed"

    # A case under a legal hold: only the refusal and the way on, no form to send.
    page.goto(f"{live_server.url}/privacy/vernietigingslijst/op-verzoek/{world['held'].pk}/")
    expect(page.get_by_role("status")).to_contain_text("Op deze casus staat een bewaarplicht")
    expect(page.get_by_role("status")).to_contain_text("Hef de bewaarplicht eerst op")
    expect(page.get_by_role("button", name="Op de vernietigingslijst zetten")).to_have_count(0)
    lift = page.get_by_role("link", name="Bewaarplicht opheffen")
    lift.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/bewaarplicht/{world['held'].pk}/")
    page.go_back()
    assert DestructionItem.objects.filter(case=world["held"]).count() == 0
    assert_accessible(page)
    _fits(page, width)
    shoot(page, f"h17-destruction-request-held-{width}")
