"""Four-eyes role grants in a real browser, with the keyboard only (issue 9, point 2).

The functional administrator asked for a worker role for a newcomer (through the service the
admin's "add role" calls); the privacy officer finds the request from the start page, approves
it with a note, and the newcomer has the role. axe finds nothing on the page.
"""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from maatwerk.accounts import services
from maatwerk.accounts.models import Membership, RoleGrantRequest
from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, UserFactory, user_with_role
from .conftest import assert_accessible, login
from .test_plan_flow import follow, send, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_privacy_officer_approves_a_pending_role_request(page, live_server):
    team = TeamFactory(name="Wijkteam Noord")
    admin = user_with_role(Role.ADMIN, team, username="bas.beheer", first_name="Bas")
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    officer = user_with_role(
        Role.PRIVACY_OFFICER, team, username="pim.privacy", first_name="Pim", last_name="Privacy"
    )
    newcomer = UserFactory(
        organisation=team.organisation, username="noor.nieuw", first_name="Noor", last_name="Nieuw"
    )
    grant_request = services.request_role(
        admin, user=newcomer, organisation=team.organisation, role=Role.WORKER, team=team
    )

    login(page, live_server, officer.username, PASSWORD)
    follow(page, "Rolaanvragen goedkeuren of weigeren")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rolaanvragen")
    card = page.locator("section", has_text="Noor Nieuw")
    expect(card).to_contain_text("Sociaal werker, Wijkteam Noord")
    expect(card).to_contain_text("Aangevraagd door")
    assert_accessible(page)

    type_into(page, f"#id_r{grant_request.pk}_reason", "Nieuwe collega, start maandag.")
    send(page, "Goedkeuren")

    expect(page.locator(".om-messages")).to_contain_text("Goedgekeurd: de rol is gegeven.")
    decided = page.locator("ul[aria-labelledby=decided]")
    expect(decided).to_contain_text("Noor Nieuw")
    expect(decided).to_contain_text("goedgekeurd door Pim Privacy")
    expect(page.get_by_text("Er wachten geen rolaanvragen op u.", exact=False)).to_be_visible()
    assert_accessible(page)
    grant_request.refresh_from_db()
    assert (grant_request.status, grant_request.decided_by) == ("approved", officer)
    assert Membership.objects.filter(user=newcomer, role=Role.WORKER, team=team).exists()
    assert RoleGrantRequest.objects.filter(status="requested").count() == 0
