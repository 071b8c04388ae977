"""The OIDC settings: off by default, complete when on, and secure in production."""

import pytest

from ..core.test_settings import GOOD, _run

PROVIDER = {
    "MAATWERK_OIDC_ISSUER": "https://login.gemeente.example",
    "MAATWERK_OIDC_CLIENT_ID": "open-maatwerk",
    "MAATWERK_OIDC_CLIENT_SECRET": "s" * 40,
    "MAATWERK_OIDC_AUTHORIZATION_ENDPOINT": "https://login.gemeente.example/authorize",
    "MAATWERK_OIDC_TOKEN_ENDPOINT": "https://login.gemeente.example/token",
    "MAATWERK_OIDC_USERINFO_ENDPOINT": "https://login.gemeente.example/userinfo",
    "MAATWERK_OIDC_JWKS_ENDPOINT": "https://login.gemeente.example/jwks",
    "MAATWERK_OIDC_ORGANISATION": "Gemeente Voorbeeld",
}


def test_production_with_a_secure_provider_and_no_local_login_passes_the_deploy_check():
    result = _run(
        {**GOOD, **PROVIDER, "MAATWERK_LOCAL_LOGIN": "false"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"MAATWERK_OIDC_ISSUER": "http://login.gemeente.example"}, "must be https://"),
        (
            {"MAATWERK_OIDC_TOKEN_ENDPOINT": "http://login.gemeente.example/token"},
            "must be https://",
        ),
        ({"MAATWERK_OIDC_CLIENT_SECRET": "kort"}, "MAATWERK_OIDC_CLIENT_SECRET"),
        ({"MAATWERK_OIDC_SIGN_ALGO": "HS256"}, "asymmetric"),
        ({"MAATWERK_OIDC_MFA_AMR": ",", "MAATWERK_OIDC_MFA_ACR": ""}, "count as 2FA"),
    ],
)
def test_production_refuses_an_insecure_provider(override, complaint):
    result = _run({**GOOD, **PROVIDER, **override}, "check")
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


def test_an_incomplete_provider_configuration_is_refused():
    result = _run({**PROVIDER, "MAATWERK_OIDC_JWKS_ENDPOINT": None}, "check")
    assert result.returncode != 0
    assert "MAATWERK_OIDC_JWKS_ENDPOINT" in result.stderr


def test_switching_off_the_local_login_without_a_provider_is_refused():
    result = _run({"MAATWERK_LOCAL_LOGIN": "false"}, "check")
    assert result.returncode != 0
    assert "no login" in result.stderr
