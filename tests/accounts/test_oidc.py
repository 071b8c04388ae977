"""Staff login through the organisation's OpenID Connect provider (issue 17, point 5).

A real provider runs on 127.0.0.1 (tests/oidc_provider.py); the Django test client and
`requests` (the person's browser at the provider) go through the whole authorization-code
flow: redirect with state, nonce and PKCE, the provider's login page, the code back, the token
exchange, the signed ID token checked against the provider's keys, userinfo.
"""

from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.models import Permission
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.accounts import services
from maatwerk.accounts.models import ClaimMapping, Membership, OIDCIdentity, User
from maatwerk.accounts.oidc import LocalPasswordBackend
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent

from ..factories import UserFactory, user_with_role
from ..oidc_provider import oidc_provider  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/inloggen/organisatie/terug/"
MFA_ACR = "urn:gemeente:loa:substantial"


@pytest.fixture
def org(team):
    admin = user_with_role(Role.ADMIN, team, username="beheerder")
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return {
        "team": team,
        "organisation": team.organisation,
        "admin": admin,
        "director": user_with_role(Role.DIRECTOR, team, username="directeur"),
    }


@pytest.fixture
def oidc(settings, oidc_provider, org):  # noqa: F811
    client_id, secret = oidc_provider.register_client(CALLBACK)
    for name, value in oidc_provider.settings(client_id, secret, org["organisation"].name).items():
        setattr(settings, name, value)
    return oidc_provider


def login_through_provider(client, provider, sub):
    """The person clicks "Inloggen met uw organisatie", logs in at the provider, comes back."""
    start = client.get(reverse("oidc_login"))
    assert start.status_code == 302
    authorize_url = start["Location"]
    assert authorize_url.startswith(provider.discovery["authorization_endpoint"])
    query = urlsplit(authorize_url).query
    assert "code_challenge=" in query and "nonce=" in query and "state=" in query
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200 and 'name="sub"' in page.text
    back = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    assert back.headers["Location"].startswith(CALLBACK)
    return client.get(back.headers["Location"].removeprefix("http://testserver"))


def test_code_flow_makes_the_account_and_gives_the_mapped_role(client, oidc, org):
    mapping = services.add_claim_mapping(
        org["admin"],
        organisation=org["organisation"],
        claim="groups",
        value="beleid",
        role=Role.POLICY_ANALYST,
    )
    # A role without personal data: no second person needed.
    assert mapping.status == ClaimMapping.Status.ACTIVE
    oidc.set_user(
        "u-1001",
        groups=["beleid", "iedereen"],
        given_name="Fatima",
        family_name="El Amrani",
        email="f.elamrani@gemeente.example",
        preferred_username="felamrani",
    )

    response = login_through_provider(client, oidc, "u-1001")

    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(oidc_identities__subject="u-1001")
    assert (user.username, user.first_name, user.organisation) == (
        "felamrani",
        "Fatima",
        org["organisation"],
    )
    assert not user.has_usable_password()
    assert OIDCIdentity.objects.get(user=user).issuer == oidc.issuer
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.claim_mapping) == (Role.POLICY_ANALYST, mapping)
    event = AuditEvent.objects.get(reason="role taken from claim", object_id=str(membership.pk))
    assert event.changes["claim_mapping"] == mapping.pk
    assert event.changes["value"] == "beleid"
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_personal_data_mapping_waits_for_a_second_person(client, oidc, org):
    team = org["team"]
    mapping = services.add_claim_mapping(
        org["admin"],
        organisation=org["organisation"],
        claim="groups",
        value="wijkteam-noord",
        role=Role.WORKER,
        team=team,
    )
    assert mapping.status == ClaimMapping.Status.REQUESTED
    oidc.set_user("u-2002", groups=["wijkteam-noord"], amr=["pwd", "mfa"])

    # Pending: the claim gives nothing, and a person with no role gets no account.
    response = login_through_provider(client, oidc, "u-2002")
    assert response["Location"] == reverse("login")
    assert not User.objects.filter(oidc_identities__subject="u-2002").exists()

    # The administrator cannot approve their own rule.
    with pytest.raises(services.RoleChangeRefused):
        services.approve_claim_mapping(org["admin"], mapping.pk)
    services.approve_claim_mapping(org["director"], mapping.pk)

    login_through_provider(client, oidc, "u-2002")
    user = User.objects.get(oidc_identities__subject="u-2002")
    assert Membership.objects.filter(user=user, role=Role.WORKER, team=team).exists()
    assert AuditEvent.objects.filter(
        reason="role taken from claim", changes__approved_by=org["director"].pk
    ).exists()


def test_a_claim_that_is_gone_takes_the_role_back(client, oidc, org):
    mapping = services.add_claim_mapping(
        org["admin"],
        organisation=org["organisation"],
        claim="roles",
        value="analist",
        role=Role.POLICY_ANALYST,
    )
    oidc.set_user("u-3003", roles="analist")
    login_through_provider(client, oidc, "u-3003")
    user = User.objects.get(oidc_identities__subject="u-3003")
    hand_given = services.grant_role(
        org["admin"], user=user, organisation=org["organisation"], role=Role.PARTNER_CLIENT
    )
    client.logout()

    oidc.set_user("u-3003", roles="iets-anders")
    login_through_provider(client, oidc, "u-3003")

    assert list(Membership.objects.filter(user=user)) == [hand_given]
    assert AuditEvent.objects.filter(
        reason="role from claim removed: claim no longer present",
        changes__claim_mapping=mapping.pk,
    ).exists()


@pytest.fixture
def worker_mapping(org):
    mapping = services.add_claim_mapping(
        org["admin"],
        organisation=org["organisation"],
        claim="groups",
        value="wijkteam",
        role=Role.WORKER,
        team=org["team"],
    )
    return services.approve_claim_mapping(org["director"], mapping.pk)


def test_provider_login_without_a_second_factor_still_asks_for_totp(
    client, oidc, settings, worker_mapping
):
    settings.REQUIRE_2FA = True
    oidc.set_user("u-4004", groups=["wijkteam"], acr="urn:gemeente:loa:low", amr=["pwd"])

    login_through_provider(client, oidc, "u-4004")

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.parametrize("claims", [{"acr": MFA_ACR}, {"amr": ["pwd", "mfa"]}], ids=["acr", "amr"])
def test_provider_second_factor_counts_when_the_token_says_so(
    client, oidc, settings, worker_mapping, claims
):
    settings.REQUIRE_2FA = True
    oidc.set_user("u-5005", groups=["wijkteam"], **claims)

    login_through_provider(client, oidc, "u-5005")

    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(reason="second factor at the identity provider").exists()


def test_token_from_another_issuer_is_refused(client, oidc, settings, worker_mapping):
    settings.MAATWERK_OIDC_ISSUER = "https://login.andere-gemeente.example"
    oidc.set_user("u-6006", groups=["wijkteam"])

    response = login_through_provider(client, oidc, "u-6006")

    assert response["Location"] == reverse("login")
    assert not User.objects.filter(oidc_identities__subject="u-6006").exists()
    assert "_auth_user_id" not in client.session


def test_local_login_off_refuses_passwords(client, oidc, settings, org):
    settings.MAATWERK_LOCAL_LOGIN = False
    user = UserFactory(username="lokaal", organisation=org["organisation"])
    user.set_password("een-lang-wachtwoord-2026")
    user.save()

    page = client.get(reverse("login"))
    assert 'id="oidc-login"' in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    form = {"username": "lokaal", "password": "een-lang-wachtwoord-2026"}
    assert client.post(reverse("login"), form).status_code == 403
    # Not through the admin's login form either: the backend itself refuses.
    client.post("/beheer/login/", form)
    assert "_auth_user_id" not in client.session
    assert LocalPasswordBackend().authenticate(None, **form) is None

    settings.MAATWERK_LOCAL_LOGIN = True
    assert LocalPasswordBackend().authenticate(None, **form) == user


def test_without_a_provider_there_is_no_oidc_login(client, db):
    assert client.get(reverse("oidc_login"))["Location"] == reverse("login")
    response = client.get(reverse("oidc_callback") + "?code=x&state=y")
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("login")).content.decode()
    assert 'id="oidc-login"' not in page and 'name="password"' in page


@given(
    value=st.text(min_size=1, max_size=20),
    other=st.text(min_size=1, max_size=20),
    noise=st.lists(st.text(max_size=20), max_size=5),
)
def test_claim_holds_exactly_the_value(value, other, noise):
    assert services.claim_holds({"g": value}, "g", value)
    assert services.claim_holds({"g": [*noise, value]}, "g", value)
    assert not services.claim_holds({"g": [n for n in noise if n != value]}, "g", value)
    assert services.claim_holds({"g": other}, "g", value) == (other == value)
    assert not services.claim_holds({}, "g", value)
    assert not services.claim_holds({"g": {value: value}}, "g", value)


def test_admin_adds_a_mapping_and_the_director_approves_it_on_the_requests_page(client, org):
    team = org["team"]
    client.force_login(org["admin"])
    response = client.post(
        reverse("admin:accounts_claimmapping_add"),
        {
            "organisation": org["organisation"].pk,
            "claim": "groups",
            "value": "wijkteam-zuid",
            "role": Role.TEAM_LEAD,
            "team": team.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = ClaimMapping.objects.get(value="wijkteam-zuid")
    assert (mapping.status, mapping.requested_by) == (ClaimMapping.Status.REQUESTED, org["admin"])
    # Not editable afterwards: a change would dodge the second pair of eyes.
    change = reverse("admin:accounts_claimmapping_change", args=[mapping.pk])
    client.post(change, {"claim": "groups", "value": "iedereen", "role": Role.DIRECTOR})
    mapping.refresh_from_db()
    assert (mapping.value, mapping.role) == ("wijkteam-zuid", Role.TEAM_LEAD)

    client.force_login(org["director"])
    page = client.get(reverse("accounts:role_requests")).content.decode()
    assert "groups = wijkteam-zuid" in page
    client.post(
        reverse("accounts:role_requests"),
        {"request_id": mapping.pk, "kind": "mapping", "decision": "approve", "reason": ""},
    )
    mapping.refresh_from_db()
    assert (mapping.status, mapping.decided_by) == (ClaimMapping.Status.ACTIVE, org["director"])


def test_retiring_a_mapping_takes_back_its_roles(org):
    mapping = services.add_claim_mapping(
        org["admin"],
        organisation=org["organisation"],
        claim="groups",
        value="beleid",
        role=Role.POLICY_ANALYST,
    )
    user = UserFactory(organisation=org["organisation"])
    services.sync_claim_roles(user, org["organisation"], {"groups": ["beleid"]})
    assert Membership.objects.filter(user=user, claim_mapping=mapping).exists()

    services.retire_claim_mapping(org["admin"], mapping)

    assert not Membership.objects.filter(user=user).exists()
    assert services.sync_claim_roles(user, org["organisation"], {"groups": ["beleid"]}) == []
