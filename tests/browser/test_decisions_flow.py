"""Decisions in a real browser, with the keyboard only (issue 5, acceptance).

Mandates 500/2,500/10,000 (worker/team lead/manager; the director without limit) and a team
budget. A worker's €6,500 plan lands with the manager, who approves it; the budget shows the
commitment and a payment is recorded on the ledger; the worker sees the decision on the plan
page. A second plan is rejected with a reason the worker reads; a third is escalated by the
deadline job past its deadline and reaches the next level's inbox. axe finds nothing on the
inbox, decision and budget pages.

The plans are built through the services (the page flow of a plan is tested in
test_plan_flow.py); the worker submits the first one on its page.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.decisions import services as decision_services
from maatwerk.decisions.models import Budget, DecisionStep, LedgerEntry, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.plans.models import Plan

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login
from .test_plan_flow import follow, send, submit_confirmed, tick, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Eerst de bijzondere bijstand aanvragen: dat is een voorliggende voorziening."
APPROVAL = "Past binnen het maatwerkbudget; de terugverdientijd is kort."


@pytest.fixture
def world():
    team = TeamFactory(name="Wijkteam Noord")
    organisation = team.organisation
    for role, amount in [
        (Role.WORKER, D("500")),
        (Role.TEAM_LEAD, D("2500")),
        (Role.MANAGER, D("10000")),
        (Role.DIRECTOR, None),
    ]:
        MandateSetting.objects.create(organisation=organisation, role=role, amount=amount)
    budget = Budget.objects.create(
        organisation=organisation, team=team, year=timezone.localdate().year, amount=D("25000")
    )
    people = {
        "worker": user_with_role(
            Role.WORKER, team, username="sanne.werker", first_name="Sanne", last_name="de Vries"
        ),
        "lead": user_with_role(
            Role.TEAM_LEAD, team, username="pieter.lead", first_name="Pieter", last_name="Bakker"
        ),
        "manager": user_with_role(
            Role.MANAGER, team, username="mirjam.manager", first_name="Mirjam", last_name="Smit"
        ),
    }
    return {"team": team, "budget": budget, **people}


def _plan(world, amount, name) -> Plan:
    case = case_services.create_household_with_case(
        actor=world["worker"],
        team=world["team"],
        residents=[{"first_name": name, "last_name": "Jansen"}],
        title="Toeslag verrekend met een belastingschuld",
        goal="Ik wil blijven werken en mijn eigen geld verdienen.",
    )
    return complete_plan(world["worker"], case, amount)


@contextmanager
def signed_in(browser, browser_context_args, live_server, user):
    """A fresh browser context for one person, logged in with the keyboard."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, live_server, user.username, PASSWORD)
        yield page
    finally:
        context.close()


def _open_step(plan) -> DecisionStep:
    return DecisionStep.objects.get(plan=plan, outcome="")


def test_plans_get_decided_paid_rejected_and_escalated(
    page, browser, browser_context_args, live_server, world
):
    # 1. The worker submits a €6,500 plan on its page; it is routed to the manager.
    first = _plan(world, "6500", "Fatima")
    login(page, live_server, world["worker"].username, PASSWORD)
    page.goto(f"{live_server.url}/plannen/{first.pk}/")
    submit_confirmed(page)
    first.refresh_from_db()
    assert first.status == Plan.Status.SUBMITTED
    step = _open_step(first)
    assert (step.assigned_role, step.team_id) == (Role.MANAGER, world["team"].pk)
    expect(page.locator("#decision")).to_contain_text("wacht op besluit")
    expect(page.locator("#decision")).to_contain_text("Leidinggevende")
    # Back after "Ja, plan indienen": the confirmation URL leads to the plan, no resubmission.
    page.go_back()
    assert page.url.endswith(f"/plannen/{first.pk}/")
    expect(page.locator("#decision")).to_contain_text("wacht op besluit")

    # 2. The manager finds it in the inbox, opens the decision page and approves.
    with signed_in(browser, browser_context_args, live_server, world["manager"]) as mpage:
        follow(mpage, "Besluiten")
        assert mpage.url.endswith("/besluiten/")
        row = mpage.locator("tbody tr", has_text=f"Plan {first.pk}")
        expect(row).to_contain_text("€ 6.500,00")
        expect(row).to_contain_text("Wijkteam Noord")
        assert_accessible(mpage)
        follow(mpage, f"Plan {first.pk}")
        assert mpage.url.endswith(f"/besluiten/plan/{first.pk}/")
        expect(mpage.locator("main")).to_contain_text("€ 25.000,00")  # still available
        expect(mpage.locator("#budget-after")).to_contain_text("€ 18.500,00")  # after approving
        expect(mpage.locator("main")).to_contain_text("Wettelijke grond")  # the plan itself
        assert_accessible(mpage)
        # An error state first: nothing chosen.
        send(mpage, "Besluit vastleggen")
        expect(mpage.get_by_role("alert").first).to_be_visible()
        assert_accessible(mpage)
        tick(mpage, "input[name=action][value=approve]")
        type_into(mpage, "#id_reason", APPROVAL)
        send(mpage, "Besluit vastleggen")
        # Money is committed only after a confirmation that names amount and budget.
        expect(mpage.locator("#confirm-text")).to_contain_text(
            "€ 6.500,00 wordt vastgelegd op het maatwerkbudget van Wijkteam Noord; "
            "daarna is er € 18.500,00 over. Bevestigen?"
        )
        assert not LedgerEntry.objects.filter(plan=first).exists()
        assert_accessible(mpage)
        send(mpage, "Ja, goedkeuren en € 6.500,00 vastleggen")
        assert mpage.url.endswith("/besluiten/")
        # The message names plan and case, and takes the focus after the redirect.
        message = mpage.locator("[data-messages]")
        expect(message).to_contain_text(
            f"Plan {first.pk} (casus {first.case.household.reference}) is goedgekeurd; "
            "€ 6.500,00 is vastgelegd"
        )
        expect(message).to_be_focused()
        expect(mpage.locator("tbody tr", has_text=f"Plan {first.pk}")).to_have_count(0)
        assert_accessible(mpage)
        # Back after approving: a real page that says the plan is decided, no resubmission.
        mpage.go_back()
        expect(mpage.locator("[data-messages]")).to_contain_text("Over dit plan is al besloten")
        assert f"/besluiten/plan/{first.pk}/verloop/" in mpage.url

        # 3. The budget shows the commitment; the manager records a payment on the ledger.
        follow(mpage, "Budgetten")  # the menu item
        row = mpage.locator("tbody tr", has_text="Wijkteam Noord")
        expect(row).to_contain_text("€ 6.500,00")  # committed
        expect(row).to_contain_text("€ 18.500,00")  # available
        assert_accessible(mpage)
        follow(mpage, "Wijkteam Noord")
        commitment = LedgerEntry.objects.get(plan=first, kind=LedgerEntry.Kind.COMMITMENT)
        assert commitment.amount == D("6500")
        assert_accessible(mpage)
        # Each row folds its form away; the keyboard opens it (a payment row offers no payment).
        mpage.focus(f"#entry-{commitment.pk} summary")
        mpage.keyboard.press("Enter")
        mpage.focus(f"#action-{commitment.pk}")
        mpage.keyboard.type("Betaling")  # type-ahead picks "Betaling vastleggen"
        assert mpage.input_value(f"#action-{commitment.pk}") == "payment"
        type_into(mpage, f"#amount-{commitment.pk}", "2000")
        type_into(mpage, f"#payee-{commitment.pk}", "Kinderopvang De Vlinder")
        with mpage.expect_navigation():
            mpage.keyboard.press("Enter")  # Enter in a field sends the entry's form
        payment = LedgerEntry.objects.get(plan=first, kind=LedgerEntry.Kind.PAYMENT)
        assert (payment.amount, payment.refers_to_id) == (D("2000"), commitment.pk)
        expect(mpage.locator("main")).to_contain_text(
            f"Betaling van € 2.000,00 vastgelegd op maatwerkplan {first.pk}."
        )
        expect(mpage.locator(f"#entry-{payment.pk}")).not_to_contain_text("Betaling vastleggen")
        facts = mpage.locator("main dl").first
        expect(facts).to_contain_text("€ 4.500,00")  # still committed
        expect(facts).to_contain_text("€ 2.000,00")  # paid
        expect(facts).to_contain_text("€ 18.500,00")  # available: never counted twice
        assert_accessible(mpage)

        # 3b. The rest is paid from the plan itself, typed the Dutch way (4.500 is 4500).
        follow(mpage, f"Maatwerkplan {first.pk}")
        expect(mpage.locator("#payment")).to_contain_text("€ 4.500,00")  # still open
        follow(mpage, "Betaling vastleggen")
        assert_accessible(mpage)
        type_into(mpage, "#id_amount", "4.500")
        with mpage.expect_navigation():
            mpage.keyboard.press("Enter")
        expect(mpage.locator("main")).to_contain_text(
            f"Betaling van € 4.500,00 vastgelegd op maatwerkplan {first.pk}."
        )
        first.refresh_from_db()
        assert first.status == Plan.Status.PAID
        expect(mpage.get_by_role("link", name="Betaling vastleggen")).to_have_count(0)

    # 4. The worker sees the decision on the plan page: who, what and why.
    page.goto(f"{live_server.url}/plannen/{first.pk}/")
    trail = page.locator("#decision")
    expect(trail).to_contain_text("goedgekeurd")
    expect(trail).to_contain_text("Mirjam Smit")
    expect(trail).to_contain_text(APPROVAL)
    assert_accessible(page)

    # 5. A second plan (€2,000, the team lead's) is rejected with a reason.
    second = _plan(world, "2000", "Kees")
    decision_services.submit_plan(world["worker"], second)
    assert _open_step(second).assigned_role == Role.TEAM_LEAD
    with signed_in(browser, browser_context_args, live_server, world["lead"]) as lpage:
        lpage.goto(f"{live_server.url}/besluiten/")
        follow(lpage, f"Plan {second.pk}")
        tick(lpage, "input[name=action][value=reject]")
        send(lpage, "Besluit vastleggen")  # a rejection without a reason is refused
        expect(lpage.get_by_role("alert").first).to_be_visible()
        assert not DecisionStep.objects.filter(plan=second, outcome="reject").exists()
        assert_accessible(lpage)
        assert lpage.is_checked("input[name=action][value=reject]")
        type_into(lpage, "#id_reason", REASON)
        send(lpage, "Besluit vastleggen")
        expect(lpage.locator("main")).to_contain_text(f"Plan {second.pk} (casus")
        expect(lpage.locator("main")).to_contain_text("is afgewezen")
    rejected = DecisionStep.objects.get(plan=second, outcome="reject")
    assert rejected.decided_by == world["lead"]
    assert not LedgerEntry.objects.filter(plan=second).exists()
    page.goto(f"{live_server.url}/plannen/{second.pk}/")
    trail = page.locator("#decision")
    expect(trail).to_contain_text("afgewezen")
    expect(trail).to_contain_text("Pieter Bakker")
    expect(trail).to_contain_text(REASON)

    # 6. A third plan (€1,500, the team lead's) waits past its deadline: the periodic job
    #    escalates it to the manager, who now finds it in the inbox.
    third = _plan(world, "1500", "Anouk")
    decision_services.submit_plan(world["worker"], third)
    waiting = _open_step(third)
    assert waiting.assigned_role == Role.TEAM_LEAD
    later = timezone.localtime() + timedelta(days=30)
    out = StringIO()
    call_command("escalate_overdue", "--now", later.isoformat(timespec="minutes"), stdout=out)
    waiting.refresh_from_db()
    assert waiting.outcome == DecisionStep.Outcome.ESCALATE and waiting.automatic
    moved = _open_step(third)
    assert (moved.assigned_role, moved.position) == (Role.MANAGER, waiting.position + 1)
    # Idempotent: the same run again escalates nothing more.
    call_command("escalate_overdue", "--now", later.isoformat(timespec="minutes"), stdout=out)
    assert _open_step(third) == moved
    with signed_in(browser, browser_context_args, live_server, world["manager"]) as mpage:
        mpage.goto(f"{live_server.url}/besluiten/")
        expect(mpage.locator("tbody tr", has_text=f"Plan {third.pk}")).to_contain_text("€ 1.500,00")
        assert_accessible(mpage)
    with signed_in(browser, browser_context_args, live_server, world["lead"]) as lpage:
        lpage.goto(f"{live_server.url}/besluiten/")
        expect(lpage.locator("main")).not_to_contain_text(f"Plan {third.pk}")
    page.goto(f"{live_server.url}/plannen/{third.pk}/")
    expect(page.locator("#decision")).to_contain_text("termijn verstreken")
