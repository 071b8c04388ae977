"""The regelbank on a phone: the tables stack instead of pushing the page sideways."""

import pytest

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_regelbank_does_not_scroll_sideways_at_320_px(page, live_server):
    """Was: scrollWidth 652 at 320 px, the rules and articles tables too wide."""
    page.set_viewport_size({"width": 320, "height": 800})
    worker = user_with_role(Role.WORKER, TeamFactory(), username="smal.werker")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/regelbank/")
    assert page.locator("table.om-table tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
