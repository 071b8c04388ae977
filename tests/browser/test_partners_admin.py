"""The functional administrator adds a partner (issue 15, item 1) and issues its token from the
partner's page; the token then sends a signal and reads its feedback, and nothing else."""

import os

import pytest
from django.test import Client

from maatwerk.accounts.roles import Role
from maatwerk.partners.models import Partner

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("MAATWERK_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_administrator_adds_a_partner_and_issues_its_token(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    admin = user_with_role(Role.ADMIN, TeamFactory(), username=f"partner.beheer{width}")
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/beheer/")
    page.get_by_role("link", name="Ketenpartners").first.click()
    page.get_by_role("link", name="Ketenpartner toevoegen").first.click()
    page.wait_for_load_state()
    page.locator("input[name=name]").fill("Woonstichting De Wadden")
    page.locator("select[name=type]").select_option("Huur")
    _shot(page, f"partner-add-{width}")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    partner = Partner.objects.get(name="Woonstichting De Wadden")
    assert partner.api_client.scopes == ["signals:write"]
    _shot(page, f"partner-change-{width}")

    page.get_by_role("link", name="Nieuw token uitgeven").click()
    page.wait_for_load_state()
    days = page.get_by_label("Geldig gedurende (dagen)")
    days.fill("30")
    with page.expect_navigation():
        days.press("Enter")
    secret = page.locator("#token-secret").input_value()
    _shot(page, f"partner-token-{width}")

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    signal = {
        "partnerSignaalId": "W-1", "soortSignaal": "vroeg", "bedrag": 700,
        "signaaldatum": "2026-11-02",
        "huurvoorwaarden": {"herinneringVerstuurdOp": "2026-10-01",
                            "persoonlijkContactGezocht": True,
                            "gewezenOpSchuldhulpverlening": True,
                            "geenBezwaarTegenDoorgifte": True},
        "persoon": {"postcode": "8881AB", "huisnummer": 3, "geboortedatum": "1980-01-01"},
    }  # fmt: skip
    sent = api.post("/api/v1/vroegsignalen", signal, content_type="application/json")
    assert sent.status_code == 201
    assert api.get(sent["Location"]).json()["status"] == "nog_niet_opgepakt"
    assert api.get("/api/v1/cases/").status_code == 403
