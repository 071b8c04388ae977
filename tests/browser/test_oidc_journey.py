"""The OIDC journey in a real browser (issue 17, point 5), at 1280 and 320 px.

A social worker clicks "Inloggen met uw organisatie", logs in on the page of the organisation's
provider (a real OpenID Connect provider on 127.0.0.1, tests/oidc_provider.py), comes back on
the start page with the role the approved claim mapping gives, without a TOTP step: the
provider's token says it checked a second factor (amr "mfa").
"""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts import services
from maatwerk.accounts.models import Membership, User
from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from ..oidc_provider import oidc_provider  # noqa: F401 - the fixture
from .conftest import assert_accessible, login, shoot
from .test_plan_flow import follow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 320])
def test_worker_logs_in_through_the_organisation(
    page,
    live_server,
    settings,
    oidc_provider,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 800})
    team = TeamFactory(name="Wijkteam Noord")
    admin = user_with_role(Role.ADMIN, team, username="bas.beheer")
    director = user_with_role(Role.DIRECTOR, team, username="dirk.directeur")
    mapping = services.add_claim_mapping(
        admin,
        organisation=team.organisation,
        claim="groups",
        value="sd-wijkteam-noord",
        role=Role.WORKER,
        team=team,
    )
    services.approve_claim_mapping(director, mapping.pk)
    client_id, secret = oidc_provider.register_client(
        f"{live_server.url}/inloggen/organisatie/terug/"
    )
    for name, value in oidc_provider.settings(client_id, secret, team.organisation.name).items():
        setattr(settings, name, value)
    settings.REQUIRE_2FA = True
    oidc_provider.set_user(
        "emp-48213",
        groups=["sd-wijkteam-noord", "alle-medewerkers"],
        given_name="Sanne",
        family_name="de Vries",
        preferred_username="sanne.devries",
        amr=["pwd", "mfa"],
    )

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Inloggen met uw organisatie")).to_be_visible()
    assert_accessible(page)
    shoot(page, f"oidc-1-login-{width}")

    follow(page, "Inloggen met uw organisatie")
    assert page.url.startswith(oidc_provider.discovery["authorization_endpoint"])
    page.locator("input[name=sub]").fill("emp-48213")
    shoot(page, f"oidc-2-provider-{width}")
    with page.expect_navigation(url=f"{live_server.url}/"):
        page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "tweestaps" not in page.url
    shoot(page, f"oidc-3-start-{width}")
    assert_accessible(page)
    user = User.objects.get(oidc_identities__subject="emp-48213")
    assert Membership.objects.filter(
        user=user, role=Role.WORKER, team=team, claim_mapping=mapping
    ).exists()

    page.goto(f"{live_server.url}/account/beveiliging/")
    expect(page.locator("main")).to_contain_text("Sociaal werker")
    expect(page.locator("main")).to_contain_text("Wijkteam Noord")
    shoot(page, f"oidc-4-account-{width}")


@pytest.mark.parametrize("width", [1280, 320])
def test_director_approves_a_claim_mapping(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    team = TeamFactory(name="Wijkteam Zuid")
    admin = user_with_role(Role.ADMIN, team, username="bas.beheer")
    director = user_with_role(
        Role.DIRECTOR, team, username="dirk.directeur", first_name="Dirk", last_name="Dekker"
    )
    mapping = services.add_claim_mapping(
        admin,
        organisation=team.organisation,
        claim="groups",
        value="sd-wijkteam-zuid",
        role=Role.TEAM_LEAD,
        team=team,
    )

    login(page, live_server, director.username, PASSWORD)
    page.goto(f"{live_server.url}/account/rolverzoeken/")
    card = page.locator("section", has_text="groups = sd-wijkteam-zuid")
    expect(card).to_contain_text("Teamleider, Wijkteam Zuid")
    assert_accessible(page)
    shoot(page, f"oidc-5-mapping-request-{width}")
    card.get_by_role("button", name="Goedkeuren").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".om-messages")).to_contain_text("vanaf de volgende keer inloggen")
    mapping.refresh_from_db()
    assert (mapping.status, mapping.decided_by) == ("active", director)


@pytest.mark.parametrize("width", [1280, 320])
def test_login_page_without_the_local_login(page, live_server, settings, width):
    page.set_viewport_size({"width": width, "height": 800})
    settings.MAATWERK_OIDC_ENABLED = True
    settings.MAATWERK_LOCAL_LOGIN = False

    page.goto(f"{live_server.url}/inloggen/")

    expect(page.get_by_role("link", name="Inloggen met uw organisatie")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)
    assert_accessible(page)
    shoot(page, f"oidc-6-login-organisation-only-{width}")
