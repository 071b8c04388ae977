"""The decision trail in the plan page and the plan document (HTML and PDF): every step with
who, when, what and why, and the MDT consultations (issue 5)."""

import io
from datetime import date
from decimal import Decimal as D

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services
from maatwerk.decisions.models import Budget
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates
from ..plan_helpers import submitted_plan as submitted

REASON = "Er is eerst een voorliggende voorziening: de bijzondere bijstand."


@pytest.fixture
def world(db):
    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    worker = user_with_role(Role.WORKER, team, first_name="Sanne", last_name="de Vries")
    lead = user_with_role(Role.TEAM_LEAD, team, first_name="Pieter", last_name="Bakker")
    manager = user_with_role(Role.MANAGER, team, first_name="Mirjam", last_name="Smit")
    case = CaseFactory(household__team=team)
    Budget.objects.create(
        organisation=team.organisation,
        team=team,
        year=timezone.localdate().year,
        amount=D("25000"),
    )
    return {"team": team, "worker": worker, "lead": lead, "manager": manager, "case": case}


def _decided_at(plan):
    step = plan.decisions.exclude(outcome="").get()
    return timezone.localtime(step.decided_at).strftime("%H:%M")


def test_plan_page_and_document_show_who_when_what_why(client, world):
    approved = submitted(world["case"], world["worker"], "6500")
    services.approve(world["manager"], approved, reason="Past binnen het maatwerkbudget.")
    rejected = submitted(world["case"], world["worker"], "2000")
    services.reject(world["lead"], rejected, REASON)
    services.consult(
        world["worker"],
        submitted(world["case"], world["worker"], "400"),
        date=date(2026, 3, 2),
        question="Kan de schuldhulp de verrekening stoppen?",
        participants="Belastingdienst Toeslagen",
        users=[world["lead"]],
        advice="Vraag een betalingsregeling aan.",
    )

    client.force_login(world["worker"])
    for plan, who, what, why in [
        (approved, "Mirjam Smit", "goedgekeurd", "Past binnen het maatwerkbudget."),
        (rejected, "Pieter Bakker", "afgewezen", REASON),
    ]:
        for name in ("plans:detail", "plans:document"):
            body = client.get(reverse(name, args=[plan.pk])).content.decode()
            assert "Besluitvorming" in body, name
            for text in (who, what, why, _decided_at(plan)):
                assert text in body, (name, text)
    # The MDT consultation: question, participants (in the system and outside) and advice.
    consulted = Plan.objects.get(amount_requested=D("400"))
    body = client.get(reverse("plans:document", args=[consulted.pk])).content.decode()
    for text in (
        "Kan de schuldhulp de verrekening stoppen?",
        "Pieter Bakker",
        "Belastingdienst Toeslagen",
        "Vraag een betalingsregeling aan.",
        "wacht",  # the step at the manager's level is still open
    ):
        assert text in body, text


def test_pdf_contains_the_decision(client, world):
    plan = submitted(world["case"], world["worker"], "2000")
    services.reject(world["lead"], plan, REASON)
    client.force_login(world["worker"])
    response = client.get(reverse("plans:document_pdf", args=[plan.pk]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in ("Pieter Bakker", "afgewezen", "voorliggende voorziening", "Teamleider"):
        assert expected in text, expected


def test_a_draft_shows_no_trail(client, world):
    draft = Plan.objects.create(case=world["case"], author=world["worker"], solution="Iets")
    client.force_login(world["worker"])
    body = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    assert "Nog geen besluitstappen" not in body
    assert 'id="decision-heading"' not in body


def test_trail_queries_do_not_grow_with_steps(client, world):
    plan = submitted(world["case"], world["worker"], "6500")
    client.force_login(world["worker"])
    url = reverse("plans:document", args=[plan.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    director = user_with_role(Role.DIRECTOR, world["team"])
    services.escalate(world["manager"], plan, reason="Te groot voor mij.")
    services.approve(director, plan, reason="Akkoord.")
    assert count() == before
