"""A functional administrator adds a partner's API client and issues its token, by keyboard."""

import hashlib
import os

import pytest

from maatwerk.accounts.roles import Role
from maatwerk.api.models import ApiClient

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
def test_administrator_issues_a_token_that_is_shown_once(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    admin = user_with_role(Role.ADMIN, TeamFactory(), username="koppeling.beheer")
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/beheer/api/apiclient/add/")
    page.locator("input[name=name]").fill("Woningcorporatie Oost")
    page.get_by_label("De regelbank lezen").check()
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    _shot(page, f"apiclient-change-{width}")

    page.get_by_role("link", name="Nieuw token uitgeven").click()
    page.wait_for_load_state()
    assert "volgende pagina" in page.locator("#content").inner_text()
    _shot(page, f"apiclient-issue-{width}")
    days = page.get_by_label("Geldig gedurende (dagen)")
    days.fill("30")
    with page.expect_navigation():
        days.press("Enter")
    secret = page.locator("#token-secret").input_value()
    _shot(page, f"apiclient-issued-{width}")
    token = ApiClient.objects.get(name="Woningcorporatie Oost").tokens.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert "niet nog eens getoond" in page.locator("#content").inner_text()
    page.get_by_role("button", name="Kopiëren").click()
    assert "Gekopieerd" in page.locator("#content").inner_text()
    # A reload shows no secret and issues no second token (post/redirect/get).
    page.reload()
    assert "al getoond" in page.locator("#content").inner_text() and secret not in page.content()
    assert ApiClient.objects.get(name="Woningcorporatie Oost").tokens.count() == 1

    page.go_back()
    page.goto(f"{live_server.url}/beheer/api/apiclient/{token.client_id}/change/")
    assert secret not in page.content()
