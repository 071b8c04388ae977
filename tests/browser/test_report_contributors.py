"""The signal report shows a count by its own contributors (issue 14 point 2): six households
with plans under one rule, three of them approved, show "6 (< 5)" — at 1280 and 320 px."""

import pytest

from maatwerk.legal.models import BlockingRule

from ..factories import PASSWORD
from ..signals.test_report import RULE, data  # noqa: F401 (the fixture)
from .conftest import login, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_approved_plans_of_three_households_show_under_five(page, live_server, data):  # noqa: F811
    login(page, live_server, data["analyst"].username, PASSWORD)
    page.goto(f"{live_server.url}/signalen/rapport/")
    row = page.locator("#rules-table tr", has_text=BlockingRule.objects.get(code=RULE).name)
    assert "6 (< 5)" in row.inner_text()
    assert "None" not in page.locator("main").inner_text()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"report-contributors-{width}")
    page.goto(f"{live_server.url}/openbaar/{data['teams'][0].organisation.pk}/")
    assert "None" not in page.locator("main").inner_text()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"public-contributors-{width}")
