"""Login, lock-out, two-factor login and bad input on the login form."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent

from ..factories import PASSWORD, user_with_role


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_credentials_get_a_clear_dutch_message(client, team):
    user = user_with_role(Role.WORKER, team)
    response = _login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "De gebruikersnaam of het wachtwoord klopt niet" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed").count() == 1


def test_right_credentials_log_in_and_are_audited(client, team):
    user = user_with_role(Role.WORKER, team)
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="login").exists()


def test_repeated_failures_lock_the_account(client, team, settings):
    user = user_with_role(Role.WORKER, team)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong-password")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code in (403, 429)
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_overlong_username_gets_a_message_not_a_500(client, db):
    response = _login(client, "x" * 10_000, "y" * 10_000)
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()


def test_forged_csrf_token_is_refused_with_a_dutch_page(team):
    user = user_with_role(Role.WORKER, team)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": "forged" * 8},
    )
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_2fa_required_roles_must_set_up_totp_first(client, team, require_2fa):
    user = user_with_role(Role.WORKER, team)
    _login(client, user.username, PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    # Personal data stays closed until the second factor is set up.
    assert client.get(reverse("cases:list")).status_code == 302

    setup = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode() or _token(device) == "000000"

    device.refresh_from_db()
    # A wrong code throttles the device for a second; stand in for that second passing.
    device.throttle_reset()
    response = client.post(reverse("accounts:otp_setup"), {"token": _token(device)})
    assert response.status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200


def test_2fa_verify_on_next_login(client, team, require_2fa):
    user = user_with_role(Role.WORKER, team)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _login(client, user.username, PASSWORD)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    bad = client.post(reverse("accounts:otp_verify"), {"token": "12ab56"})
    assert "zes cijfers" in bad.content.decode()
    client.post(reverse("accounts:otp_verify"), {"token": _token(device)})
    assert client.get(reverse("home")).status_code == 200


def test_2fa_not_demanded_from_roles_without_personal_data(client, team, require_2fa):
    user = user_with_role(Role.POLICY_ANALYST, team)
    _login(client, user.username, PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_api_refuses_session_without_second_factor(client, team, require_2fa):
    user = user_with_role(Role.WORKER, team)
    _login(client, user.username, PASSWORD)
    response = client.get(reverse("case-list"))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
