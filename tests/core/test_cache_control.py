"""Responses with personal data are never stored by browsers or proxies (issue 9, point 9)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Obstacle
from maatwerk.decisions.models import Budget
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services as plan_services


def _no_store(response):
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value and "public" not in value


@pytest.fixture
def worker(client, world):
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


def test_case_page_is_not_stored(client, world, worker):
    response = client.get(reverse("cases:detail", args=[world["case_a"].pk]))
    assert response.status_code == 200 and _no_store(response)


def test_api_answer_is_not_stored_with_a_session(client, world, worker):
    response = client.get(reverse("case-detail", args=[world["case_a"].pk]))
    assert response.status_code == 200 and _no_store(response)


def test_api_answer_is_not_stored_with_a_token(world):
    from rest_framework.test import APIClient

    from maatwerk.api import services as api_services
    from maatwerk.api.models import Scope

    admin = world["users"][Role.ADMIN]
    partner = api_services.create_client(
        actor=admin,
        organisation=admin.organisation,
        name="Woningcorporatie",
        scopes=[Scope.REGELBANK_READ],
    )
    _token, secret = api_services.issue_token(actor=admin, client=partner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = api.get(reverse("provision-list"))
    assert response.status_code == 200 and _no_store(response)


def test_plan_pdf_is_not_stored(client, world, worker):
    obstacle = Obstacle.objects.create(
        case=world["case_a"],
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        applied_by="tax_allowances",
        effect="Toeslag verrekend.",
    )
    plan = plan_services.create_plan(worker, world["case_a"], [obstacle], solution="Opvang")
    response = client.get(reverse("plans:document_pdf", args=[plan.pk]))
    assert response.status_code == 200 and _no_store(response)


def test_budget_export_is_not_stored(client, world):
    team = world["team_a"]
    Budget.objects.create(
        organisation=team.organisation, team=team, year=date.today().year, amount=Decimal(9)
    )
    client.force_login(world["users"][Role.TEAM_LEAD])
    for name in ("decisions:budgets_csv", "decisions:budgets_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and _no_store(response), name


def test_static_files_never_reach_the_middleware(settings):
    """WhiteNoise answers static files before the request reaches NoStoreMiddleware."""
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "maatwerk.core.middleware.NoStoreMiddleware"
    )
