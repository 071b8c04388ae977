"""An administrator's page of newly described rules passes axe, with and without a form error."""

import pytest

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services

from ..factories import PASSWORD, CaseFactory, TeamFactory, user_with_role
from .conftest import assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_new_rules_page_is_accessible(page, live_server):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    admin = user_with_role(Role.ADMIN, team, username="regel.beheer")
    case_services.add_obstacle(
        actor=worker,
        case=CaseFactory(household__team=team),
        description_new_rule="Boete bij te late melding van een verhuizing",
        applied_by="municipality_brp",
        effect="Schuld bij de gemeente.",
    )
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/signalen/nieuwe-regels/")
    assert "te late melding" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("input[name$='-code']").fill("kleine letters")
    page.locator("input[name$='-code']").press("Enter")
    page.wait_for_load_state()
    assert "hoofdletters" in page.locator("main").inner_text()
    assert_accessible(page)
