"""Bearer tokens belong to API clients (partners, systems) with scopes, never to people.

Tokens are stored as a SHA-256 digest, expire, can be revoked, and are issued by the functional
administrator of the client's organisation (audited, the secret never in the audit log).
"""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.api import services
from maatwerk.api.models import EXCLUSIVE_SCOPES, ApiClient, ApiToken, Scope
from maatwerk.audit.models import AuditEvent

from ..factories import TeamFactory, user_with_role


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def admin(world):
    return world["users"][Role.ADMIN]


def _client(admin, world, scopes=(Scope.REGELBANK_READ,), name="Woningcorporatie"):
    return services.create_client(
        actor=admin, organisation=world["team_a"].organisation, name=name, scopes=scopes
    )


def _bearer(api, secret):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_a_persons_token_no_longer_skips_the_second_factor(api, world, settings):
    settings.REQUIRE_2FA = True
    worker = world["users"][Role.WORKER]
    if apps.is_installed("rest_framework.authtoken"):  # how a person got a token before
        token = apps.get_model("authtoken", "Token").objects.create(user=worker)
        key = token.key
    else:
        key = "0" * 40
    response = _bearer(api, key).get(reverse("case-list"))
    assert response.status_code == 401
    assert not apps.is_installed("rest_framework.authtoken")


def test_token_is_stored_as_a_digest_and_the_secret_never_audited(world, admin):
    client = _client(admin, world)
    token, secret = services.issue_token(actor=admin, client=client, valid_days=30)
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert not any(secret in v or secret.split(".", 1)[1] in v for v in stored)
    event = AuditEvent.objects.get(object_type="api.apitoken", object_id=str(token.pk))
    assert event.actor == admin and event.action == "create"
    assert secret.split(".", 1)[1] not in str(event.changes)
    assert token.expires_at - timezone.now() > timedelta(days=29)


def test_scopes_decide_which_endpoints_a_client_reaches(api, world, admin):
    with_scope = services.issue_token(actor=admin, client=_client(admin, world))[1]
    without = services.issue_token(
        actor=admin, client=_client(admin, world, scopes=(), name="Energiebedrijf")
    )[1]
    assert _bearer(api, with_scope).get(reverse("provision-list")).status_code == 200
    refused = _bearer(api, without).get(reverse("provision-list"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    "name", ["case-list", "plan-list", "api-me", "api-cost-items", "decision-inbox", "budget-list"]
)
def test_a_client_never_reaches_peoples_endpoints_whatever_its_scopes(api, world, admin, name):
    ordinary = sorted(set(Scope.values) - EXCLUSIVE_SCOPES)
    for n, scopes in enumerate([ordinary, *([s] for s in EXCLUSIVE_SCOPES)]):
        client = _client(admin, world, scopes=scopes, name=f"Client {n}")
        secret = services.issue_token(actor=admin, client=client)[1]
        response = _bearer(APIClient(), secret).get(reverse(name))
        assert response.status_code == 403, scopes
        assert world["case_a"].household.reference not in response.content.decode()


def test_a_partners_scope_is_never_combined_with_another(world, admin):
    with pytest.raises(ValidationError) as refused:
        _client(admin, world, scopes=Scope.values)
    assert "scopes" in refused.value.message_dict
    client = _client(admin, world, scopes=[Scope.SIGNALS_WRITE])
    with pytest.raises(ValidationError):
        services.update_client(actor=admin, client=client, scopes=Scope.values)


def test_a_partners_client_reaches_only_the_partner_endpoints(api, world, admin):
    """Even a scope-free view for clients would stay closed: `signals:write` is exclusive."""
    client = _client(admin, world, scopes=[Scope.SIGNALS_WRITE])
    secret = services.issue_token(actor=admin, client=client)[1]
    assert _bearer(api, secret).get(reverse("provision-list")).status_code == 403


def test_the_client_endpoint_names_the_client_and_refuses_people(api, world, admin):
    client = _client(admin, world)
    token, secret = services.issue_token(actor=admin, client=client)
    data = _bearer(api, secret).get(reverse("api-client")).json()
    assert data["name"] == "Woningcorporatie"
    assert data["scopes"] == [Scope.REGELBANK_READ]
    assert data["token_prefix"] == token.prefix
    token.refresh_from_db()
    assert token.last_used_at is not None
    person = APIClient()
    person.force_authenticate(world["users"][Role.WORKER])
    assert person.get(reverse("api-client")).status_code == 403


def test_expired_revoked_and_inactive_tokens_are_refused(api, world, admin, monkeypatch):
    client = _client(admin, world)
    token, secret = services.issue_token(actor=admin, client=client, valid_days=1)
    url = reverse("provision-list")
    assert _bearer(api, secret).get(url).status_code == 200

    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr("maatwerk.api.models.timezone.now", lambda: later)
    assert _bearer(api, secret).get(url).status_code == 401
    monkeypatch.undo()

    services.revoke_token(actor=admin, token=token)
    response = _bearer(api, secret).get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(object_id=str(token.pk), action="update").exists()

    _token2, secret2 = services.issue_token(actor=admin, client=client)
    services.update_client(actor=admin, client=client, is_active=False)
    assert _bearer(api, secret2).get(url).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(api, world, admin):
    token, _secret = services.issue_token(actor=admin, client=_client(admin, world))
    forged = f"{services.TOKEN_PREFIX}{token.prefix}.{'x' * 43}"
    assert _bearer(api, forged).get(reverse("provision-list")).status_code == 401


@pytest.mark.parametrize("role", [Role.WORKER, Role.DIRECTOR, Role.PRIVACY_OFFICER])
def test_only_the_organisations_functional_administrator_issues_tokens(world, admin, role):
    client = _client(admin, world)
    with pytest.raises(PermissionDenied):
        services.issue_token(actor=world["users"][role], client=client)
    other_admin = user_with_role(Role.ADMIN, TeamFactory())
    with pytest.raises(PermissionDenied):
        services.issue_token(actor=other_admin, client=client)
    with pytest.raises(PermissionDenied):
        services.revoke_token(
            actor=other_admin, token=services.issue_token(actor=admin, client=client)[0]
        )


# The Django admin, as a functional administrator without superuser or model permissions.


def test_functional_administrator_creates_a_client_and_issues_a_token_in_the_admin(
    client, world, admin
):
    client.force_login(admin)
    response = client.post(
        reverse("admin:api_apiclient_add"),
        {
            "organisation": world["team_a"].organisation.pk,
            "name": "Zorgverzekeraar",
            "scopes": [Scope.REGELBANK_READ],
            "is_active": "on",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    api_client = ApiClient.objects.get(name="Zorgverzekeraar")
    assert api_client.scopes == [Scope.REGELBANK_READ]
    assert AuditEvent.objects.filter(object_type="api.apiclient", action="create").exists()

    change = client.get(reverse("admin:api_apiclient_change", args=[api_client.pk]))
    issue_url = reverse("admin:api_apiclient_issue_token", args=[api_client.pk])
    assert issue_url in change.content.decode()
    issue_page = client.get(issue_url).content.decode()
    assert "De regelbank lezen" in issue_page and "regelbank:read" not in issue_page
    posted = client.post(issue_url, {"valid_days": "30"})
    # Post/redirect/get: the secret is on the page after the POST, so a reload issues nothing.
    issued_url = reverse("admin:api_apiclient_token_issued", args=[api_client.pk])
    assert posted.status_code == 302 and posted["Location"] == issued_url
    issued = client.get(issued_url)
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    token = api_client.tokens.get()
    secret = issued.context["secret"]
    assert secret in issued.content.decode()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert 'src="/static/api/copy.js"' in issued.content.decode()
    reloaded = client.get(issued_url)
    assert secret not in reloaded.content.decode() and "al getoond" in reloaded.content.decode()
    assert "no-store" in reloaded["Cache-Control"]
    assert api_client.tokens.count() == 1
    # Shown once: the client's page lists the prefix, never the secret.
    again = client.get(reverse("admin:api_apiclient_change", args=[api_client.pk])).content
    assert token.prefix in again.decode() and secret not in again.decode()

    revoked = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin


def test_admin_shows_only_the_own_organisations_clients(client, world, admin):
    other_admin = user_with_role(Role.ADMIN, world["team_b"])
    theirs = services.create_client(
        actor=other_admin, organisation=world["team_b"].organisation, name="Elders"
    )
    mine = _client(admin, world)
    client.force_login(admin)
    listing = client.get(reverse("admin:api_apiclient_changelist")).content.decode()
    assert mine.name in listing and "Elders" not in listing
    assert client.get(reverse("admin:api_apiclient_change", args=[theirs.pk])).status_code == 302
    issue = client.post(
        reverse("admin:api_apiclient_issue_token", args=[theirs.pk]), {"valid_days": 1}
    )
    assert issue.status_code == 404
    assert not theirs.tokens.exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PRIVACY_OFFICER])
def test_other_roles_do_not_see_api_clients_in_the_admin(client, world, role):
    user = world["users"][role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(reverse("admin:api_apiclient_changelist"))
    assert response.status_code == 403
