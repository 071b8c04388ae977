"""The regelbank searched as a worker speaks: typed in the search box, the best matches first,
the matched words marked, at 1280 and at 320 px (issue 18)."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_worker_finds_the_rule_in_her_own_words(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    worker = user_with_role(Role.WORKER, TeamFactory(), username=f"zoek.werker{width}")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/regelbank/")
    page.get_by_role("textbox", name="Zoeken").fill("cliënt verhuurt een kamer")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    first_rule = page.locator("#rules-heading ~ table tbody tr").first
    assert "Huur- of kostgeldinkomsten" in first_rule.inner_text()
    assert first_rule.locator("mark").count() > 0
    expect(page.get_by_role("status")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    shoot(page, f"regelbank-search-{width}")
