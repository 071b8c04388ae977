"""The kind of solution (issue 14): a draft may do without, a submitted plan may not.

The rule lives once (plans.triangle.assess, which plans.services.submit and every readiness
check use), so the plan page, the edit page's checklist and the API all refuse alike."""

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions.models import DecisionStep
from maatwerk.decisions.services import submit_plan
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import services
from maatwerk.plans.models import CalculationSnapshot, Plan

from ..plan_helpers import configure_mandates
from ..problems import field_errors, problem

MESSAGE = "Kies de soort oplossing (bij ‘De oplossing’)"


@pytest.fixture
def worker(world, client):
    configure_mandates(world["team_a"].organisation)
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


@pytest.fixture
def kindless(world, worker):
    """A plan complete on all three corners, saved as a draft without a kind."""
    return complete_plan(worker, world["case_a"], "500", solution_kind="")


def _unchanged(plan):
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.submitted_at is None
    assert not CalculationSnapshot.objects.filter(plan=plan).exists()
    assert not DecisionStep.objects.filter(plan=plan).exists()


def test_a_draft_is_saved_without_a_kind(kindless):
    assert kindless.solution_kind == "" and kindless.status == Plan.Status.DRAFT


def test_the_service_refuses_to_submit_without_a_kind_naming_the_field(worker, kindless):
    with pytest.raises(services.PlanError) as refused:
        submit_plan(worker, kindless)
    assert set(refused.value.message_dict) == {"solution_kind"}
    assert MESSAGE in refused.value.message_dict["solution_kind"][0]
    _unchanged(kindless)
    # With a kind, the same plan goes through.
    services.update_solution(worker, kindless, solution_kind="payment_of_cost")
    submit_plan(worker, kindless)
    kindless.refresh_from_db()
    assert kindless.status == Plan.Status.SUBMITTED


def test_the_api_answers_problem_json_naming_the_field(client, worker, kindless):
    triangle = client.get(reverse("plan-detail", args=[kindless.pk])).json()["triangle"]
    assert triangle["complete"] is False
    assert all(c["complete"] for c in triangle["corners"].values())
    assert triangle["solution_kind"]["complete"] is False
    response = client.post(reverse("plan-submit", args=[kindless.pk]))
    problem(response, 400, "plans.incomplete")
    errors = field_errors(response)
    assert set(errors) == {"solution_kind"} and MESSAGE in errors["solution_kind"][0]
    _unchanged(kindless)


def test_the_plan_page_refuses_with_a_dutch_message_and_a_link_to_the_field(
    client, worker, kindless
):
    detail = client.get(reverse("plans:detail", args=[kindless.pk]))
    assert detail.context["triangle_complete"] is False
    page = detail.content.decode()
    assert "en de soort oplossing gekozen is" in page
    assert f"{reverse('plans:edit', args=[kindless.pk])}#id_sol-solution_kind" in page
    # Confirming is not offered: the GET of the confirmation leads back to the plan.
    confirm = client.get(reverse("decisions:submit", args=[kindless.pk]))
    assert confirm.status_code == 302
    response = client.post(reverse("decisions:submit", args=[kindless.pk]), {"confirmed": "yes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan nog niet worden ingediend" in body
    assert "Soort oplossing" in body and MESSAGE in body
    _unchanged(kindless)


def test_the_edit_form_shows_the_field_as_needed_with_a_help_text_and_the_checklist(
    client, worker, kindless
):
    page = client.get(reverse("plans:edit", args=[kindless.pk])).content.decode()
    field = page[page.index('for="id_sol-solution_kind"') :]
    label = field[: field.index("</label>")]
    assert "Soort oplossing" in label and "nodig om in te dienen" in label
    assert "Beleidsmakers tellen de soorten die steeds terugkomen" in field[:1000]
    checklist = page[page.index('id="live-summary-body"') : page.index('id="solution"')]
    assert '<a href="#solution">1 De oplossing</a>' in checklist
    beside = page[page.index('id="missing-solution"') : page.index('id="amount-check-slot"')]
    assert MESSAGE in beside


def test_the_checklist_is_satisfied_once_a_kind_is_chosen(client, worker, kindless):
    services.update_solution(worker, kindless, solution_kind="rule_not_applied")
    page = client.get(reverse("plans:edit", args=[kindless.pk])).content.decode()
    assert "Alle drie de toetsen zijn compleet" in page
    beside = page[page.index('id="missing-solution"') : page.index('id="amount-check-slot"')]
    assert MESSAGE not in beside
    assert client.get(reverse("plans:detail", args=[kindless.pk])).context["triangle_complete"]
