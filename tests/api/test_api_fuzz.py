"""A bounded schemathesis run over the OpenAPI schema at /api/v1/schema/ (part of `make test`).

Fixed seed and a fixed number of examples per operation, so a run is repeatable and stays well
under three minutes on a small machine. Once as a worker with a real two-factor session and once
as an API client with a bearer token; every answer must be a documented 4xx or 2xx (never a 5xx)
whose status, content type and body match the schema.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from maatwerk.accounts.roles import Role
from maatwerk.api import services as api_services
from maatwerk.api.models import EXCLUSIVE_SCOPES, Scope
from maatwerk.partners import services as partner_services

from ..factories import PASSWORD, CaseFactory, ResidentFactory, TeamFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=False)

# 25 generated cases per operation (after the schema's own examples) keep this file near 1 min of
# CPU per database in CI (at 50 it was 2.5 min, in a CI run with a 30-minute budget); set
# MAATWERK_FUZZ_EXAMPLES for a deeper run.
EXAMPLES_PER_OPERATION = int(os.environ.get("MAATWERK_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # the seed is fixed: the same cases every run
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _keep_connections() -> None:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Calls go straight to the WSGI handler, which closes the database connection after each
    request (on PostgreSQL that ends the test's transaction and its data); Django's own test
    client switches this off in the same way, but only around its own requests."""
    _keep_connections()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world_2fa(db, settings):
    settings.REQUIRE_2FA = True
    team = TeamFactory(name="Wijkteam Fuzz")
    worker = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    ResidentFactory(household=case.household)
    case.assigned_workers.add(worker)
    return {"team": team, "worker": worker, "case": case}


# Loaded once at collection: the schema endpoint is public and reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    # We send the credentials ourselves; generated Authorization headers would only test 401.
    with_security_parameters=False,
)
# The examples in the schema, then generated cases. The coverage phase is left out: it adds
# hundreds of boundary cases per operation, unbounded by EXAMPLES_PER_OPERATION.
schema.config.phases.update(phases=["examples", "fuzzing"])


def _verified_session(user) -> dict:
    """Log in as a person does: password, then the TOTP code; return the browser's cookies."""
    client = Client()
    client.get(reverse("login"))
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:otp_verify"), {"token": code})
    assert client.get(reverse("cases:list")).status_code == 200, "the session is not verified"
    _keep_connections()  # the test client has switched the closing back on
    csrf = client.cookies["csrftoken"].value
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return {"headers": {"X-CSRFToken": csrf}, "cookies": cookies}


@pytest.fixture
def worker_session(world_2fa):
    return _verified_session(world_2fa["worker"])


@pytest.fixture
def client_headers(world_2fa):
    admin = user_with_role(Role.ADMIN, world_2fa["team"])
    client = api_services.create_client(
        actor=admin,
        organisation=world_2fa["team"].organisation,
        name="Woningcorporatie Fuzz",
        # Every scope a client can hold together (a partner's scope stands alone: below).
        scopes=sorted(set(Scope.values) - EXCLUSIVE_SCOPES),
    )
    _token, secret = api_services.issue_token(actor=admin, client=client)
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@FUZZ
def test_api_as_worker_with_verified_session(case, worker_session):
    response = case.call_and_validate(checks=CHECKS, **worker_session)
    assert response.status_code != 401, "the verified session was not used"
    assert "Two-factor" not in response.text, "the session did not pass the second factor"


@schema.parametrize()
@FUZZ
def test_api_as_api_client(case, client_headers):
    response = case.call_and_validate(headers=client_headers, checks=CHECKS)
    assert response.status_code != 401, "the token was refused"


@pytest.fixture
def partner_headers(world_2fa):
    admin = user_with_role(Role.ADMIN, world_2fa["team"])
    partner = partner_services.create_partner(
        actor=admin, organisation=world_2fa["team"].organisation, name="Fuzz", type="Huur"
    )
    _token, secret = api_services.issue_token(actor=admin, client=partner.api_client)
    return {"Authorization": f"Bearer {secret}"}


@schema.include(path_regex="vroegsignalen").parametrize()
@FUZZ
def test_vroegsignalen_as_partner_client(case, partner_headers, settings):
    settings.MAATWERK_PARTNER_RATE = "100000/min"
    response = case.call_and_validate(headers=partner_headers, checks=CHECKS)
    assert response.status_code != 401, "the token was refused"
