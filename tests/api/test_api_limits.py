"""Every nested list in the API has the same limit as the form (issue 9, point 7)."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case, Household, Obstacle
from maatwerk.core.domains import LifeDomain
from maatwerk.legal.models import BlockingRule, Provision
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from ..problems import field_errors, problem


@pytest.fixture
def worker(client, world):
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


TITLE = "Grens aan lijsten"


def _resident(i: int) -> dict:
    return {"first_name": f"Bewoner{i}", "last_name": "Test"}


def _case(world, **overrides) -> dict:
    data = {"team": world["team_a"].pk, "title": TITLE, "residents": [_resident(0)]}
    data.update(overrides)
    return data


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _errors(response, field: str) -> list[str]:
    """The messages on `field` (a whole list's errors are on the list's own field)."""
    problem(response, 400, "invalid")
    return field_errors(response)[field]


def test_ten_residents_are_accepted(client, world, worker):
    response = _post(
        client, reverse("case-list"), _case(world, residents=[_resident(i) for i in range(10)])
    )
    assert response.status_code == 201
    assert len(response.json()["residents"]) == 10


@pytest.mark.parametrize("count", [11, 20_000])
def test_more_residents_than_the_form_allows_are_refused(client, world, worker, count):
    households = Household.objects.count()
    started = time.perf_counter()
    response = _post(
        client, reverse("case-list"), _case(world, residents=[_resident(i) for i in range(count)])
    )
    assert _errors(response, "residents") == ["Hoogstens 10 bewoners per huishouden."]
    assert Household.objects.count() == households
    assert time.perf_counter() - started < 5  # refused before the rows are looked at


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("life_domains", [d.value for d in LifeDomain] * 2, "leefgebieden"),
        (
            "organisations",
            [{"organisation_type": "tax_allowances", "contact_note": ""}] * 1000,
            "organisaties",
        ),
    ],
)
def test_long_choice_lists_are_refused(client, world, worker, field, value, message):
    response = _post(client, reverse("case-list"), _case(world, **{field: value}))
    assert message in _errors(response, field)[0]
    assert not Case.objects.filter(title=TITLE).exists()


def test_the_service_refuses_too_many_residents_and_organisations(world):
    worker = world["users"][Role.WORKER]
    common = {"actor": worker, "team": world["team_a"], "title": "x"}
    with pytest.raises(ValidationError) as error:
        case_services.create_household_with_case(
            residents=[_resident(i) for i in range(11)], **common
        )
    assert "residents" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        case_services.create_household_with_case(
            residents=[_resident(0)], organisations=["tax_allowances"] * 100, **common
        )
    assert "organisations" in error.value.message_dict


@pytest.fixture
def obstacle(world):
    return Obstacle.objects.create(
        case=world["case_a"],
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        applied_by="tax_allowances",
        effect="Toeslag verrekend.",
    )


def test_plan_lists_are_bounded_in_the_api(client, world, worker, obstacle):
    url = reverse("plan-list")
    base = {"case": world["case_a"].pk, "solution": "Opvang betalen"}
    response = _post(client, url, {**base, "obstacles": [obstacle.pk] * 51})
    assert _errors(response, "obstacles") == ["Kies hoogstens 50 knelpunten."]
    response = _post(client, url, {**base, "obstacles": []})
    assert _errors(response, "obstacles") == ["Kies ten minste één knelpunt."]
    provision = Provision.objects.first()
    provisions = [{"provision": provision.pk, "explanation": ""}] * 31
    response = _post(client, url, {**base, "obstacles": [obstacle.pk], "provisions": provisions})
    assert "hoogstens 30" in _errors(response, "provisions")[0]
    line = {"label": "Uitkering", "amount": "100", "quantity": "1", "start_month": 0}
    response = _post(client, url, {**base, "obstacles": [obstacle.pk], "standard": [line] * 201})
    assert "hoogstens 200" in _errors(response, "standard")[0]
    assert not Plan.objects.exists()


def test_the_plan_service_refuses_too_many_obstacles(world, obstacle):
    worker = world["users"][Role.WORKER]
    with pytest.raises(ValidationError) as error:
        plan_services.create_plan(worker, world["case_a"], [obstacle] * 51, solution="x")
    assert "obstacles" in error.value.message_dict
