"""Every entered date has a floor and a ceiling, the same in forms, API and services
(issue 9, point 10). The rules live in `maatwerk.core.dates`."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cases.models import CaseNote, Household
from maatwerk.core import dates
from maatwerk.decisions import services as decision_services
from maatwerk.decisions.models import Consultation
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from ..plans.test_plans import _complete_plan, _new_plan_data, _obstacle
from ..problems import field_errors, problem

YEAR_ONE = date(1, 1, 1)


@pytest.fixture
def worker(client, world):
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


@pytest.fixture
def obstacle(world):
    return _obstacle(world["case_a"], BlockingRule.objects.get(code="TOESLAG-VERREKEND"))


TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("rule_", "earliest", "latest"),
    [
        (dates.BIRTH_DATE, date(1900, 1, 1), TODAY),
        (dates.EVENT_DATE, date(2006, 11, 28), TODAY),
        (dates.PLANNED_DATE, date(2006, 11, 28), date(2028, 11, 28)),
        (dates.PRICE_DATE, date(1990, 1, 1), TODAY),
    ],
)
def test_rules_accept_their_bounds_and_nothing_beyond(rule_, earliest, latest, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert rule_.bounds() == (earliest, latest)
    rule_(earliest)
    rule_(latest)
    rule_(None)
    for wrong in (YEAR_ONE, earliest - timedelta(days=1), latest + timedelta(days=1)):
        with pytest.raises(ValidationError):
            rule_(wrong)


def test_leap_day_moves_to_the_28th():
    assert dates.years_from(date(2028, 2, 29), 2) == date(2030, 2, 28)


def test_check_names_every_field():
    with pytest.raises(ValidationError) as error:
        dates.check(
            {"a": YEAR_ONE, "b": date.today(), "c": date(9999, 1, 1)},
            {"a": dates.EVENT_DATE, "b": dates.EVENT_DATE, "c": dates.PLANNED_DATE},
        )
    assert set(error.value.message_dict) == {"a", "c"}


# --- notes ----------------------------------------------------------------------------------


def test_note_dated_year_one_is_refused_on_the_page(client, world):
    case = world["case_a"]
    client.force_login(world["users"][Role.WORKER])
    url = reverse("cases:add_note", args=[case.pk])
    page = client.get(url).content.decode()
    # Day, month and year boxes (core.forms.DateInput); the bounds are the field's rule.
    assert 'name="happened_on_day"' in page and 'name="happened_on_year"' in page
    response = client.post(
        url,
        {
            "kind": "note",
            "happened_on_day": "1",
            "happened_on_month": "1",
            "happened_on_year": "0001",
            "text": "Gebeld.",
        },
    )
    assert response.status_code in (200, 400)
    assert "te ver terug" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_note_dated_year_one_is_refused_by_the_service(world):
    with pytest.raises(ValidationError) as error:
        case_services.add_note(
            actor=world["users"][Role.WORKER], case=world["case_a"], text="x", happened_on=YEAR_ONE
        )
    assert "happened_on" in error.value.message_dict
    assert not CaseNote.objects.exists()


# --- residents --------------------------------------------------------------------------------


def test_birth_date_year_one_is_refused_in_the_api(client, world):
    client.force_login(world["users"][Role.WORKER])
    households = Household.objects.count()
    response = client.post(
        reverse("case-list"),
        {
            "team": world["team_a"].pk,
            "title": "Datumgrens",
            "residents": [{"first_name": "A", "last_name": "B", "birth_date": "0001-01-01"}],
        },
        content_type="application/json",
    )
    problem(response, 400, "invalid")
    errors = field_errors(response)["residents.0.birth_date"]
    assert errors == ["Een geboortedatum kan niet voor 1900 liggen."]
    assert Household.objects.count() == households


# --- plans --------------------------------------------------------------------------------------


def test_plan_when_year_one_is_refused_on_the_page_and_in_the_api(client, world, obstacle, worker):
    url = reverse("plans:new", args=[world["case_a"].pk])
    response = client.post(url, _new_plan_data(obstacle, when="0001-01-01"))
    assert response.status_code == 400
    assert "te ver terug" in response.content.decode()
    response = client.post(
        reverse("plan-list"),
        {
            "case": world["case_a"].pk,
            "obstacles": [obstacle.pk],
            "solution": "x",
            "when": "0001-01-01",
        },
        content_type="application/json",
    )
    problem(response, 400, "invalid")
    assert field_errors(response)["when"] == [
        "Deze datum ligt te ver terug: hooguit 20 jaar geleden."
    ]
    assert not Plan.objects.exists()
    with pytest.raises(ValidationError):
        plan_services.create_plan(worker, world["case_a"], [obstacle], solution="x", when=YEAR_ONE)


def test_agreement_date_year_one_is_refused(client, world, obstacle, worker):
    plan = plan_services.create_plan(worker, world["case_a"], [obstacle], solution="x")
    response = client.patch(
        reverse("plan-detail", args=[plan.pk]),
        {"agreement": "yes", "agreement_date": "0001-01-01"},
        content_type="application/json",
    )
    problem(response, 400, "invalid")
    assert "agreement_date" in field_errors(response)
    with pytest.raises(ValidationError):
        plan_services.record_agreement(worker, plan, agreement_date=YEAR_ONE)
    plan.refresh_from_db()
    assert plan.agreement_date is None


# --- MDT consultations --------------------------------------------------------------------------


def test_consultation_date_year_one_is_refused(client, world, obstacle, worker):
    client.post(reverse("plans:new", args=[world["case_a"].pk]), _new_plan_data(obstacle))
    plan = Plan.objects.get()
    _complete_plan(client, plan)
    plan_services.submit(worker, plan)
    data = {"date": "0001-01-01", "question": "Wie betaalt?", "participants": "UWV"}
    response = client.post(reverse("decisions:consult", args=[plan.pk]), data)
    assert response.status_code in (200, 400) and "te ver terug" in response.content.decode()
    response = client.post(
        reverse("decision-consult", args=[plan.pk]), data, content_type="application/json"
    )
    problem(response, 400, "invalid")
    assert "date" in field_errors(response)
    with pytest.raises(ValidationError):
        decision_services.consult(worker, plan, date=YEAR_ONE, question="Wie betaalt?")
    assert not Consultation.objects.exists()
