"""A real OpenID Connect provider on 127.0.0.1 for the OIDC login tests (docs/oidc.md).

`oidc-provider-mock` (authlib on uvicorn) runs as its own process: discovery, a login page
where the person picks their subject, RS256-signed ID tokens, JWKS, token and userinfo
endpoints. Nothing of the HTTP exchange is mocked: the application talks to it as to the
organisation's provider. Clients must register (as at a real provider) and authenticate with
their secret at the token endpoint.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import requests


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    discovery: dict

    def register_client(self, redirect_uri: str) -> tuple[str, str]:
        response = requests.post(
            self.discovery["registration_endpoint"],
            json={
                "redirect_uris": [redirect_uri],
                "token_endpoint_auth_method": "client_secret_post",
            },
            timeout=10,
        )
        response.raise_for_status()
        body = response.json()
        return body["client_id"], body["client_secret"]

    def set_user(self, sub: str, **claims) -> None:
        """The person's claims at the provider (its directory), as its admin would set them."""
        response = requests.put(f"{self.issuer}/users/{quote(sub)}", json=claims, timeout=10)
        response.raise_for_status()

    def settings(self, client_id: str, client_secret: str, organisation: str) -> dict:
        """The application's settings for this provider, as the environment would give them."""
        return {
            "MAATWERK_OIDC_ENABLED": True,
            "MAATWERK_OIDC_ISSUER": self.issuer,
            "MAATWERK_OIDC_ORGANISATION": organisation,
            "OIDC_RP_CLIENT_ID": client_id,
            "OIDC_RP_CLIENT_SECRET": client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.discovery["jwks_uri"],
            "MAATWERK_OIDC_MFA_ACR": ["urn:gemeente:loa:substantial"],
            "MAATWERK_OIDC_MFA_AMR": ["mfa"],
        }


@pytest.fixture(scope="session")
def oidc_provider():
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oidc_provider_mock",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--require-registration",
            "--require-nonce",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                discovery = requests.get(
                    f"{issuer}/.well-known/openid-configuration", timeout=1
                ).json()
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the OIDC test provider did not start")
                time.sleep(0.1)
        yield Provider(issuer=issuer, discovery=discovery)
    finally:
        process.terminate()
        process.wait(timeout=10)
