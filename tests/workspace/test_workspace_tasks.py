"""The start page's task list (walkthrough findings): a rejected or withdrawn plan is a task
until it has a newer version or is closed; tasks with a deadline come first, the earliest
first, then the rest oldest first; "recently assigned" lists the newest case first."""

import re
from datetime import date, timedelta

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.decisions import services as decision_services
from maatwerk.plans import services as plan_services
from maatwerk.workspace import selectors
from maatwerk.workspace.selectors import Task

from ..factories import CaseFactory, user_with_role
from ..plan_helpers import home_page, submitted_plan


def test_a_revised_plan_leaves_the_task_list_and_a_withdrawn_plan_joins_it(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    case = CaseFactory(household__team=start_team)
    rejected = submitted_plan(case, worker, "1200")
    decision_services.reject(lead, rejected, "Eerst bijzondere bijstand aanvragen.")
    withdrawn = submitted_plan(case, worker, "900")
    decision_services.withdraw(worker, withdrawn, reason="De situatie is veranderd.")

    body = home_page(client, worker)
    assert f"Afgewezen plan {rejected.pk} herzien" in body
    assert f"Ingetrokken plan {withdrawn.pk} herzien of afsluiten" in body

    rejected.refresh_from_db()
    new = plan_services.revise(worker, rejected)
    # A revision asks the resident's consent again before it can be submitted.
    plan_services.record_agreement(
        worker, new, agreement="yes", agreement_date=date.today(), agreement_how="by_phone"
    )
    decision_services.submit_plan(worker, new)
    body = home_page(client, worker)
    assert f"Afgewezen plan {rejected.pk} herzien" not in body

    withdrawn.refresh_from_db()
    plan_services.close(worker, withdrawn, "Niet meer nodig.")
    assert f"Ingetrokken plan {withdrawn.pk}" not in home_page(client, worker)


def test_a_withdrawn_plan_of_a_closed_case_leaves_the_task_list(client, start_team):
    """Walk finding (issue 13): the case was closed, its withdrawn plan still asked to be
    revised or closed on the worker's start page."""
    worker = user_with_role(Role.WORKER, start_team)
    user_with_role(Role.TEAM_LEAD, start_team)  # someone to decide
    case = CaseFactory(household__team=start_team)
    withdrawn = submitted_plan(case, worker, "900")
    decision_services.withdraw(worker, withdrawn, reason="De situatie is veranderd.")
    assert f"Ingetrokken plan {withdrawn.pk} herzien of afsluiten" in home_page(client, worker)
    case_services.close_case(actor=worker, case=case, reason="goal_reached")
    assert f"Ingetrokken plan {withdrawn.pk}" not in home_page(client, worker)
    assert not selectors.returned_plans(worker).exists()


def test_tasks_with_a_deadline_first_then_the_oldest_without(db):
    today = date.today()
    tasks = [
        Task("draft", "d-new", "", "/", since=today),
        Task("unassigned", "u-old", "", "/", since=today - timedelta(days=30)),
        Task("decide", "x-late", "", "/", due=today + timedelta(days=9), since=today),
        Task("returned", "r-mid", "", "/", since=today - timedelta(days=5)),
        Task("decide", "x-soon", "", "/", due=today + timedelta(days=2), since=today),
    ]
    ordered = [t.label for t in sorted(tasks, key=selectors.task_order)]
    assert ordered == ["x-soon", "x-late", "u-old", "r-mid", "d-new"]


def test_the_start_page_shows_the_deadline_and_since_of_a_decision(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    plan = submitted_plan(CaseFactory(household__team=start_team), worker, "1200")
    body = home_page(client, lead)
    assert f"Besluiten over plan {plan.pk}" in body
    assert "besluit uiterlijk" in body and "sinds" in body


def test_recently_assigned_lists_the_newest_case_first(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    today = date.today()
    old = CaseFactory(household__team=start_team, opened_on=today - timedelta(days=90))
    new = CaseFactory(household__team=start_team, opened_on=today - timedelta(days=2))
    # The newer case is assigned first: the list still shows it on top.
    for case in (new, old):
        case_services.set_workers(actor=lead, case=case, workers=[worker])
    client.force_login(worker)
    recent = client.get(reverse("home")).context["start"]["recent_cases"]
    assert recent == [new, old]


# --- the case page's next step (computed in workspace: cases knows no plans) ------------------


def _next_step(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).context["next_step"]


def test_next_step_offers_to_revise_or_close_a_withdrawn_plan(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    user_with_role(Role.TEAM_LEAD, start_team)
    case = CaseFactory(household__team=start_team)
    plan = submitted_plan(case, worker, "900")
    decision_services.withdraw(worker, plan, reason="De situatie is veranderd.")
    step = _next_step(client, worker, case)
    assert str(step.label) == "Plan herzien of afsluiten"
    assert step.url == reverse("plans:detail", args=[plan.pk])
    assert f"Plan {plan.pk} is ingetrokken" in step.hint
    # Once revised, the new draft is the next step; once closed, the plan is done.
    plan.refresh_from_db()
    new = plan_services.revise(worker, plan)
    assert _next_step(client, worker, case).url == reverse("plans:edit", args=[new.pk])


def test_next_step_names_the_waiting_plan_its_decider_and_deadline(client, start_team):
    from maatwerk.core.formatting import long_date
    from maatwerk.decisions import selectors as decision_selectors

    worker = user_with_role(Role.WORKER, start_team)
    user_with_role(Role.TEAM_LEAD, start_team, first_name="Tom", last_name="Leider")
    case = CaseFactory(household__team=start_team)
    earlier = submitted_plan(case, worker, "500")
    decision_services.withdraw(worker, earlier, reason="Dubbel ingediend.")
    earlier.refresh_from_db()
    plan_services.close(worker, earlier, "Dubbel ingediend.")
    waiting = submitted_plan(case, worker, "1200")
    step = _next_step(client, worker, case)
    deadline = decision_selectors.open_step(waiting).deadline
    assert step.hint == (
        f"Plan {waiting.pk} wacht op een besluit van Tom Leider, uiterlijk {long_date(deadline)}."
    )


def test_cases_imports_neither_plans_decisions_nor_workspace():
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "maatwerk" / "cases"
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("maatwerk.plans", "maatwerk.decisions", "maatwerk.workspace")
                ), path


# --- the note form on the case page ------------------------------------------------------------


def test_the_note_form_defaults_to_today_and_saving_lands_at_the_new_note(client, start_team):
    from maatwerk.cases.models import CaseNote

    worker = user_with_role(Role.WORKER, start_team)
    case = CaseFactory(household__team=start_team)
    case.assigned_workers.add(worker)
    client.force_login(worker)
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.context["note_form"]["happened_on"].value() == date.today()
    today = date.today()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert re.search(rf'name="happened_on_{part}"[^>]*value="{value}"', body), part
    # A link near the top jumps to the form, far down on a phone.
    assert body.index('href="#add-note"') < body.index('id="add-note"')
    response = client.post(
        reverse("cases:add_note", args=[case.pk]),
        {"kind": "note", "happened_on": f"{date.today():%Y-%m-%d}", "text": "Huisbezoek gedaan."},
    )
    note = CaseNote.objects.get(case=case, text="Huisbezoek gedaan.")
    assert response.status_code == 302
    assert response.url == f"{url}#note-{note.pk}"
    assert f'id="note-{note.pk}"' in client.get(url).content.decode()


# --- the edit page of a revised plan shows what the decision said ------------------------------


def test_the_edit_page_of_a_revision_shows_the_rejection_and_its_reason(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team, first_name="Tom", last_name="Leider")
    plan = submitted_plan(CaseFactory(household__team=start_team), worker, "1200")
    decision_services.reject(lead, plan, "Vraag eerst bijzondere bijstand aan.")
    plan.refresh_from_db()
    new = plan_services.revise(worker, plan)
    client.force_login(worker)
    body = client.get(reverse("plans:edit", args=[new.pk])).content.decode()
    assert f"Het besluit over versie 1 (plan {plan.pk})" in body
    assert "afgewezen" in body and "Tom Leider" in body
    assert "Vraag eerst bijzondere bijstand aan." in body
    # A first version has no such block.
    from maatwerk.demo.plans import complete_plan

    first = complete_plan(worker, CaseFactory(household__team=start_team), "500")
    body = client.get(reverse("plans:edit", args=[first.pk])).content.decode()
    assert "Het besluit over versie" not in body


def test_the_policy_analysts_empty_signals_box_says_what_will_appear(client, start_team):
    analyst = user_with_role(Role.POLICY_ANALYST, start_team)
    body = home_page(client, analyst)
    box = body[body.index('id="signals-empty"') :]
    box = box[: box.index("</div>")]
    assert "Nog geen systeemsignalen." in box
    assert "welke regels de meeste huishoudens laten vastlopen" in box
    assert f'href="{reverse("legal:index")}"' in box
    assert f'href="{reverse("costs:catalogue")}"' in box
