"""The second factor cannot be skipped or swapped with a password alone (issue 9, point 1).

The attack of the issue, through the real login flow: a user with a confirmed authenticator app
logs in with the password only, opens the set-up page, gets a fresh secret, posts a code from it
and used to be counted as verified. Now set-up sends such a session to verification, and a
replacement needs a verified session and the password again; it is audited and mailed.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent

from ..factories import PASSWORD, user_with_role

SETUP = "accounts:otp_setup"
VERIFY = "accounts:otp_verify"


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def _token(device: TOTPDevice, drift: int = 0) -> str:
    # drift: a later time step, so a code is not refused as a replay of one used moments ago.
    # The device's own drift counts too: a code accepted one step late (the clock passed a
    # 30-second boundary during the test) moves the device's window by that step.
    device.refresh_from_db()
    key, step, t0, digits = device.bin_key, device.step, device.t0, device.digits
    return f"{totp(key, step=step, t0=t0, digits=digits, drift=device.drift + drift):06d}"


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _enrol(user) -> TOTPDevice:
    """The user sets up their authenticator app the way they do on first login."""
    client = Client()
    _login(client, user)
    assert client.get(reverse(SETUP)).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse(SETUP), {"token": _token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.fixture
def enrolled(team, require_2fa):
    user = user_with_role(Role.WORKER, team, email="werker@example.invalid")
    return user, _enrol(user)


def _verified_client(user, device) -> Client:
    client = Client()
    _login(client, user)
    response = client.post(reverse(VERIFY), {"token": _token(device, drift=1)})
    assert response.status_code == 302
    return client


def test_password_alone_cannot_mint_a_second_factor(client, enrolled):
    user, device = enrolled
    _login(client, user)  # the attacker knows the password only

    response = client.get(reverse(SETUP))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(VERIFY))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert "uit de app die u nu gebruikt" in client.get(response["Location"]).content.decode()

    # Whatever secret the attacker made up, a code posted to set-up does not count.
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    code = _token(pending) if pending else "123456"
    response = client.post(reverse(SETUP), {"token": code})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(VERIFY))

    assert client.get(reverse("cases:list"))["Location"].startswith(reverse(VERIFY))
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]
    assert len(mail.outbox) == 0


def test_setup_is_closed_without_second_factor_even_where_2fa_is_not_demanded(client, team):
    # Development settings (REQUIRE_2FA off) and a role without personal data: still no new
    # device for a session that has not passed the existing one.
    user = user_with_role(Role.POLICY_ANALYST, team)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _login(client, user)
    response = client.get(reverse(SETUP))
    assert response["Location"].startswith(reverse(VERIFY))
    client.post(reverse(VERIFY), {"token": _token(device)})
    assert client.get(reverse(SETUP)).status_code == 200


def test_verified_session_replaces_the_device_with_password_audit_and_mail(
    enrolled, django_capture_on_commit_callbacks
):
    user, old = enrolled
    client = _verified_client(user, old)
    page = client.get(reverse(SETUP))
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(SETUP), {"password": PASSWORD, "token": _token(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    event = AuditEvent.objects.filter(actor=user, object_type="otp_totp.totpdevice").latest("id")
    assert event.reason == "second factor replaced"
    assert event.changes["replaced_devices"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["werker@example.invalid"]
    secret = __import__("base64").b32encode(new.bin_key).decode()
    assert secret not in message.body and _token(new) not in message.body


def test_replacing_needs_the_password(enrolled):
    user, old = enrolled
    client = _verified_client(user, old)
    client.get(reverse(SETUP))
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse(SETUP), {"token": _token(new)})
    assert response.status_code == 200
    assert "Vul uw wachtwoord in" in response.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]


def test_wrong_password_changes_nothing(enrolled, django_capture_on_commit_callbacks):
    user, old = enrolled
    client = _verified_client(user, old)
    client.get(reverse(SETUP))
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    events = AuditEvent.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(SETUP), {"password": "not-my-password", "token": _token(new)}
        )
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]
    # Only the failed attempt is on record, no device change.
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[events:]) == [
        "login_failed"
    ]
    assert len(mail.outbox) == 0
    # The session still stands on the old app.
    assert client.get(reverse("cases:list")).status_code == 200


def test_first_set_up_is_audited_and_mailed(team, require_2fa, django_capture_on_commit_callbacks):
    user = user_with_role(Role.WORKER, team, email="nieuw@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        device = _enrol(user)
    event = AuditEvent.objects.filter(actor=user, object_type="otp_totp.totpdevice").latest("id")
    assert (event.object_id, event.reason) == (str(device.pk), "second factor set up")
    assert [m.to for m in mail.outbox] == [["nieuw@example.invalid"]]


def test_guessing_the_password_on_the_replacement_form_ends_the_session(enrolled):
    user, old = enrolled
    client = _verified_client(user, old)
    client.get(reverse(SETUP))
    for attempt in range(5):
        response = client.post(reverse(SETUP), {"password": f"gok-{attempt}", "token": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]
    assert AuditEvent.objects.filter(action="login_failed", object_id=str(user.pk)).count() == 5


# --- walkthrough: the pages say what they ask and where to go ------------------------------------


def test_verify_without_a_device_sends_the_user_to_set_up(client, team):
    """Was: a code form with nothing to check the code against."""
    user = user_with_role(Role.WORKER, team)
    _login(client, user)
    response = client.get(reverse(VERIFY), {"next": "/casussen/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(SETUP)}?next=/casussen/"


def test_account_redirects_to_the_security_page(client, team):
    _login(client, user_with_role(Role.WORKER, team))
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:security")


def test_replacing_says_what_it_asks_with_help_and_a_way_back(enrolled):
    user, device = enrolled
    client = _verified_client(user, device)
    security = client.get(reverse("accounts:security")).content.decode()
    assert "huidige app" not in security
    assert "wachtwoord in en een code uit de nieuwe app" in security
    assert "Telefoon kwijt?" in security and "functioneel beheerder" in security
    assert "<h2>" not in security.split("</title>")[0]  # the title holds no headings
    setup = client.get(reverse(SETUP)).content.decode()
    assert f'href="{reverse("accounts:security")}">Annuleren</a>' in setup


def test_the_device_mail_is_dutch_with_a_dutch_date_whatever_the_session_reads(
    team, django_capture_on_commit_callbacks
):
    from django.utils import timezone, translation

    from maatwerk.accounts import services
    from maatwerk.core.formatting import long_date

    user = user_with_role(Role.WORKER, team, email="w@example.invalid")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services._mail_device_changed(user, replaced=True)
    message = mail.outbox[-1]
    today = timezone.localdate()
    assert f"({long_date(today)} om " in message.body
    assert today.strftime("%d-%m-%Y") not in message.body
    assert message.subject == "Uw app voor tweestapsverificatie is vervangen"
