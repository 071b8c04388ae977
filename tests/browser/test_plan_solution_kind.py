"""A worker who forgets the kind of solution (issue 14): the plan is complete on all three
corners, but submitting it is refused with a clear Dutch message that names the field and leads
to it; nothing changes. Once a kind is chosen (the message beside the field goes as it is
chosen), the plan goes to its confirmation. At 1280 and 320 px."""

import pytest
from playwright.sync_api import expect

from maatwerk.decisions.models import DecisionStep
from maatwerk.demo.plans import complete_plan
from maatwerk.plans.models import Plan

from ..factories import PASSWORD
from .conftest import assert_accessible, login, shoot
from .test_decisions_flow import world  # noqa: F401 (fixture)
from .test_plan_flow import send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = "Kies de soort oplossing (bij ‘De oplossing’)"


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_plan_without_a_kind_is_refused_at_the_field_and_nothing_changes(
    page,
    live_server,
    world,  # noqa: F811
    width,
):
    from maatwerk.cases import services as case_services

    page.set_viewport_size({"width": width, "height": 900})
    case = case_services.create_household_with_case(
        actor=world["worker"],
        team=world["team"],
        residents=[{"first_name": "Noor", "last_name": "Jansen"}],
        title="Toeslag verrekend met een belastingschuld",
        goal="Ik wil blijven werken.",
    )
    plan = complete_plan(world["worker"], case, "400", solution_kind="")
    login(page, live_server, world["worker"].username, PASSWORD)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    expect(page.locator("#solution-missing")).to_contain_text(MESSAGE)
    expect(page.locator("main")).to_contain_text("en de soort oplossing gekozen is")

    # Submitting anyway: refused on the plan page, in Dutch, naming the field.
    send(page, "Maatwerkplan indienen")
    refusal = page.locator("#refusal")
    expect(refusal).to_contain_text("kan nog niet worden ingediend")
    expect(refusal).to_contain_text("Soort oplossing")
    expect(refusal).to_contain_text(MESSAGE)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.submitted_at is None
    assert not DecisionStep.objects.filter(plan=plan).exists()
    assert_accessible(page)
    _no_sideways_scroll(page)
    shoot(page, f"solution-kind-refusal-{width}")

    # The link leads to the field, where the same message stands beside it.
    link = page.get_by_role("link", name="Kies de soort oplossing")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("#id_sol-solution_kind")
    field = page.locator("#id_sol-solution_kind")
    expect(page.get_by_label("Soort oplossing")).to_have_count(1)
    expect(page.locator("label[for=id_sol-solution_kind]")).to_contain_text("nodig om in te dienen")
    expect(page.locator("#id_sol-solution_kind_helptext")).to_contain_text("Beleidsmakers tellen")
    expect(page.locator("#missing-solution")).to_contain_text(MESSAGE)
    expect(page.locator("#live-summary-body")).to_contain_text("1 De oplossing")
    _no_sideways_scroll(page)
    shoot(page.locator("#solution"), f"solution-kind-field-{width}")

    # Choosing a kind: the message beside the field goes at once (nothing saved yet).
    field.select_option("payment_of_cost")
    expect(page.locator("#missing-solution")).to_be_empty()
    expect(page.locator("#live-summary-body")).to_contain_text("Alle drie de toetsen")
    plan.refresh_from_db()
    assert plan.solution_kind == ""
    send(page, "Maatwerkplan opslaan")
    plan.refresh_from_db()
    assert plan.solution_kind == "payment_of_cost"
    expect(page.locator("#solution-missing")).to_have_count(0)
    send(page, "Maatwerkplan indienen")
    assert page.url.endswith(f"/plannen/{plan.pk}/indienen/") or "indienen" in page.url
    expect(page.locator("main")).to_contain_text("Ja, plan indienen")
