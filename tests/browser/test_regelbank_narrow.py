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


@pytest.mark.parametrize("width", [1280, 320])
def test_detail_pages_show_example_version_date_and_source_without_sideways_scroll(
    page, live_server, width
):
    """Issue 18: a worker sees the example situation and the version date with its source."""
    import os
    from pathlib import Path

    from maatwerk.legal.models import BlockingRule, Provision

    page.set_viewport_size({"width": width, "height": 900})
    worker = user_with_role(Role.WORKER, TeamFactory(), username=f"detail.werker{width}")
    login(page, live_server, worker.username, PASSWORD)
    shots = os.environ.get("MAATWERK_SHOTS")
    provision = Provision.objects.get(code="LPW-5A")
    page.goto(f"{live_server.url}/regelbank/artikel/{provision.pk}/")
    body = page.locator("main")
    assert "Voorbeeldsituatie" in body.inner_text()
    assert "de tekst zoals die geldt vanaf 1 augustus 2026" in body.inner_text()
    assert page.locator(f'a[href="{provision.source_url}"]').count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if shots:
        page.screenshot(path=str(Path(shots) / f"provision-{width}.png"), full_page=True)
    rule = BlockingRule.objects.get(code="STUDENT-GEEN-ALGEMENE-BIJSTAND")
    page.goto(f"{live_server.url}/regelbank/regel/{rule.pk}/")
    text = page.locator("main").inner_text()
    assert "Voorbeeldsituatie" in text and "Uitwegen in woorden" in text
    assert page.locator(f'a[href="{rule.basis_source_url}"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if shots:
        page.screenshot(path=str(Path(shots) / f"rule-{width}.png"), full_page=True)
