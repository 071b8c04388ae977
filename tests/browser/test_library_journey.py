"""The library of good examples in a real browser, on the demo data (issue 16): a worker
proposes an example from a decided plan, sees what was replaced marked, edits and submits it;
the team lead returns it with a reason; the worker edits and submits again; the team lead
approves; a worker of another organisation finds it in /bibliotheek/. At 1280 and 320 px, and
axe finds nothing on the library pages.

Set ``MAATWERK_SCREENSHOTS`` to a folder to keep screenshots (at both widths)."""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Resident
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.legal.models import Provision
from maatwerk.library.models import Example
from maatwerk.plans.models import Plan

from .conftest import assert_accessible, load_demo_data, login, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Noem de school niet; die maakt het gezin herkenbaar in een kleine gemeente."


def _shots(page, name: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})


@contextmanager
def demo_user(browser, context_args, live_server, username: str):
    context = browser.new_context(**context_args)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        login(page, live_server, username, DEMO_PASSWORD)
        yield page
    finally:
        context.close()


@pytest.mark.usefixtures("real_deduce")
@pytest.mark.parametrize("width", [1280, 320])
def test_propose_return_resubmit_approve_and_find(
    browser, browser_context_args, live_server, settings, width
):
    settings.REQUIRE_2FA = False
    load_demo_data()
    plan = Plan.objects.filter(
        case__household__reference="DEMO-0001", status=Plan.Status.APPROVED
    ).first()
    resident = Resident.objects.filter(household=plan.case.household).first()
    args = {**browser_context_args, "viewport": {"width": width, "height": 900}}
    title = f"Opvang betaald voor {resident.first_name} ({width})"

    # 1. The worker proposes an example from the decided plan and sees the marks.
    with demo_user(browser, args, live_server, "werker") as page:
        page.goto(f"{live_server.url}/plannen/{plan.pk}/")
        shoot(page.locator("#plan-examples"), f"plan-page-examples-{width}")
        with page.expect_navigation():
            page.locator("#propose-example").click()
        expect(page.locator("h1")).to_have_text("Voorbeeld voorstellen")
        page.fill("#id_title", title)
        page.fill(
            "#id_story",
            f"{resident.first_name} {resident.last_name} kreeg de kinderopvang betaald. "
            "Buurman Piet de Vries paste op; haar zoon zit op school De Regenboog.",
        )
        page.fill("#id_lessons", "Vraag eerder naar de schuld bij Toeslagen.")
        assert_accessible(page)
        _shots(page, "propose")
        with page.expect_navigation():
            page.get_by_role("button", name="Anonimiseren en controleren").click()
        example = Example.objects.get(title__startswith="Opvang betaald voor [naam]")
        assert page.url.endswith(f"/bibliotheek/{example.pk}/bewerken/")
        preview = page.locator("#preview")
        expect(preview.locator("mark.om-replaced").first).to_be_visible()
        expect(preview).not_to_contain_text(resident.last_name)
        expect(preview).not_to_contain_text("Piet de Vries")
        expect(preview).not_to_contain_text("Regenboog")
        assert_accessible(page)
        _shots(page, "edit-marked")
        story = page.locator("#id_story")
        story.fill(story.input_value() + " Ze werkt nog steeds.")
        with page.expect_navigation():
            page.locator("#submit-example").click()
        expect(page.locator("#example-status")).to_contain_text("voorgesteld")
        _shots(page, "proposed")

    # 2. The team lead returns it with a reason.
    with demo_user(browser, args, live_server, "teamleider") as page:
        page.goto(f"{live_server.url}/bibliotheek/beoordelen/")
        _shots(page, "review-queue")
        with page.expect_navigation():
            page.locator("#to-review").get_by_role("link", name=example.title).click()
        expect(page.locator("#story mark.om-replaced").first).to_be_visible()
        page.locator("#review summary").click()
        page.fill("#id_reason", REASON)
        assert_accessible(page)
        _shots(page, "review")
        with page.expect_navigation():
            page.locator("#return").click()
        expect(page.locator("main")).to_contain_text("teruggestuurd naar het team")
    example.refresh_from_db()
    assert example.status == Example.Status.RETURNED

    # 3. The worker reads the reason, edits and submits again.
    with demo_user(browser, args, live_server, "werker") as page:
        page.goto(f"{live_server.url}/bibliotheek/{example.pk}/")
        expect(page.locator("#return-reason")).to_contain_text(REASON)
        _shots(page, "returned")
        with page.expect_navigation():
            page.get_by_role("link", name="Bewerken en voorleggen").click()
        story = page.locator("#id_story")
        story.fill(story.input_value().replace("; haar zoon zit op school [naam]", ""))
        with page.expect_navigation():
            page.locator("#submit-example").click()
        expect(page.locator("#example-status")).to_contain_text("voorgesteld")

    # 4. The team lead approves.
    with demo_user(browser, args, live_server, "teamleider") as page:
        page.goto(f"{live_server.url}/bibliotheek/{example.pk}/")
        with page.expect_navigation():
            page.locator("#approve").click()
        expect(page.locator("#example-status")).to_contain_text("goedgekeurd")
    example.refresh_from_db()
    assert example.status == Example.Status.APPROVED
    assert "school" not in example.story

    # 5. A worker of another organisation finds it in the library, without the plan link.
    with demo_user(browser, args, live_server, "werker2") as page:
        # The main menu leads there (behind the menu button at 320 px).
        expect(page.locator(".om-nav a[href='/bibliotheek/']")).to_have_count(1)
        page.goto(f"{live_server.url}/bibliotheek/")
        examples = page.locator("#examples")
        expect(examples).to_contain_text(example.title)
        assert_accessible(page)
        _shots(page, "library-list")
        with page.expect_navigation():
            examples.get_by_role("link", name=example.title).click()
        expect(page.locator("#story")).to_contain_text("Ze werkt nog steeds")
        expect(page.locator("main")).not_to_contain_text("alleen je team")
        assert_accessible(page)
        _shots(page, "example-detail")


def _draft_with_rule_of(example: Example) -> Plan:
    """A draft plan of werker's team for a new case stuck on the example's blocking rule."""
    from datetime import date

    from maatwerk.accounts.models import User
    from maatwerk.cases import services as case_services
    from maatwerk.plans import services as plan_services

    werker = User.objects.get(username="werker")
    team = werker.memberships.filter(team__isnull=False).first().team
    case = case_services.create_household_with_case(
        actor=werker, team=team, title="Opvang loopt vast", goal="Blijven werken.",
        residents=[{"first_name": "Anna", "last_name": "Bakker", "birth_date": date(1990, 5, 17),
                    "is_contact": True}],
    )  # fmt: skip
    obstacle = case_services.add_obstacle(
        actor=werker, case=case, blocking_rule=example.blocking_rule,
        applied_by="municipality", effect="De opvang stopt.",
    )  # fmt: skip
    return plan_services.create_plan(werker, case, [obstacle], solution="Nog uitwerken.")


def test_copy_the_structure_keeps_the_unsaved_edits(
    browser, browser_context_args, live_server, settings
):
    """Issue 16, point 4: the worker types in the plan form, then presses "Structuur
    overnemen" by a suggested example: the typed text is saved, and the example's provisions
    and cost lines are in the plan."""
    settings.REQUIRE_2FA = False
    load_demo_data()
    example = (
        Example.objects.filter(status=Example.Status.APPROVED, blocking_rule__isnull=False)
        .exclude(cost_lines=None)
        .order_by("pk")
        .first()
    )
    plan = _draft_with_rule_of(example)
    free = example.cost_lines.filter(cost_item__isnull=True).first()
    item = example.cost_lines.filter(cost_item__isnull=False).first().cost_item
    args = {**browser_context_args, "viewport": {"width": 1280, "height": 900}}
    with demo_user(browser, args, live_server, "werker") as page:
        page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
        page.fill("#id_sol-solution", "Drie maanden opvang betalen tot de toeslag weer loopt.")
        page.fill("#id_sol-by_whom", "Wijkteam Noord")
        # Typing and leaving a field ask the live preview (HTMX): let it answer before the copy
        # is sent (two requests at once lock SQLite's shared in-memory test database).
        page.locator("#id_sol-by_whom").press("Tab")
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        button = page.locator(f'button[name="example"][value="{example.pk}"]')
        expect(button).to_be_visible()
        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The page opens at the message, which has the focus and says what was added and where
        # (it used to jump to the legal basis, the message out of sight above it).
        messages = page.locator("#messages")
        expect(messages).to_contain_text("Overgenomen in het plan")
        expect(messages).to_be_focused()
        expect(messages).to_be_in_viewport()
        assert page.url.endswith("#messages")
        event = AuditEvent.objects.get(reason="structure copied", object_id=str(plan.pk))
        for provision in Provision.objects.filter(pk__in=event.changes["provisions_added"]):
            expect(messages).to_contain_text(str(provision))
        expect(messages).to_contain_text("Nieuw in deel 4, de twee routes:")
        expect(messages).to_contain_text(f"{example.cost_lines.first().label} (standaardroute)")
        # The edits survived: saved with the copy and shown again.
        expect(page.locator("#id_sol-solution")).to_have_value(
            "Drie maanden opvang betalen tot de toeslag weer loopt."
        )
        expect(page.locator("#id_sol-by_whom")).to_have_value("Wijkteam Noord")
        # The example's cost lines are in the routes, its provisions in the legal basis.
        expect(page.locator("#return")).to_contain_text(item.name_nl)
        if free is not None:
            label = page.locator(f'#return input[name$="-label"][value="{free.label}"]')
            expect(label.first).to_be_attached()
        plan.refresh_from_db()
        assert plan.solution.startswith("Drie maanden opvang")
        assert plan.lines.count() == example.cost_lines.count()
        # (The form's own suggestions from the rule were saved with it; the example's are in.)
        assert set(example.provisions.values_list("pk", flat=True)) <= set(
            plan.plan_provisions.values_list("provision_id", flat=True)
        )
        assert_accessible(page)
        _shots(page, "plan-form-after-copy")
        # Pressing it again copies nothing twice, and says so.
        page.wait_for_load_state("networkidle")
        with page.expect_navigation():
            page.locator(f'button[name="example"][value="{example.pk}"]').click()
        expect(page.locator(".om-messages")).to_contain_text("al in het plan")
        assert plan.lines.count() == example.cost_lines.count()
