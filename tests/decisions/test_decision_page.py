"""The decision page as a decider needs it (walkthrough findings): the plan itself on one page,
the budget now and after, a confirmation before money is committed, a department decider who
reads the plan she decides, decided links that lead somewhere, and decision e-mails that a
person can act on. On the demo data as `load_demo` makes it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.models import User
from maatwerk.core.formatting import long_date
from maatwerk.decisions import services
from maatwerk.decisions.models import DecisionStep, LedgerEntry
from maatwerk.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_once, db):
    users = {u.username: u for u in User.objects.all()}
    lead_step = DecisionStep.objects.filter(outcome="", assigned_role="team_lead").order_by("-pk")[
        0
    ]
    brp_step = DecisionStep.objects.get(outcome="", department__isnull=False)
    return {"users": users, "lead_plan": lead_step.plan, "brp_plan": brp_step.plan}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_decision_page_shows_the_plan_result_chart_budget_after_and_trail(client, demo):
    plan = demo["lead_plan"]
    body = _get(client, demo["users"]["teamleider"], reverse("decisions:decide", args=[plan.pk]))
    body = body.content.decode()
    assert plan.case.household.reference in body  # DEMO-0001
    # The three corners: legal basis with its explanation, the resident's words, the return.
    explanation = plan.plan_provisions.first().explanation
    assert "Wettelijke grond" in body and explanation in body
    assert plan.resident_words in body and "Instemming" in body
    assert "Opbrengst per euro maatwerk" in body and "Terugverdiend" in body and "<svg" in body
    # The budget now and after this decision.
    assert "Nu beschikbaar in het maatwerkbudget" in body and "Over na dit besluit" in body
    assert "Besluitvorming" in body and "Ingediend" in body
    # Labels: the reason is required for a rejection; no raw rule codes next to names.
    assert "verplicht, behalve bij goedkeuren" in body and "(optioneel)" not in body
    assert "(TOESLAG-VERREKEND)" not in body


def test_approving_money_asks_to_confirm_amount_budget_and_what_is_left(client, demo):
    plan = demo["lead_plan"]
    lead = demo["users"]["teamleider"]
    url = reverse("decisions:decide", args=[plan.pk])
    client.force_login(lead)
    before = LedgerEntry.objects.count()
    response = client.post(url, {"action": "approve", "reason": "Akkoord"})
    # The confirmation is a page of its own (GET): Back lands on it, not on a re-post.
    assert response.status_code == 302 and response["Location"] == url + "?bevestigen=1"
    response = client.get(response["Location"])
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="reason" value="Akkoord"' in text
    assert "wordt vastgelegd op het maatwerkbudget van Wijkteam Wadwijk-Noord" in text
    assert "daarna is er" in text and "Bevestigen?" in text
    assert LedgerEntry.objects.count() == before  # nothing committed yet
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    response = client.post(url, {"action": "approve", "reason": "Akkoord", "confirmed": "True"})
    assert response.status_code == 302 and response["Location"] == reverse("decisions:inbox")
    shown = _messages(response)
    assert any("€\u00a01.800,00 is vastgelegd" in m for m in shown), shown
    assert LedgerEntry.objects.count() == before + 1
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_a_department_decider_reads_and_approves_the_brp_plan_without_a_money_step(client, demo):
    plan = demo["brp_plan"]
    burgerzaken = demo["users"]["burgerzaken"]
    url = reverse("decisions:decide", args=[plan.pk])
    response = _get(client, burgerzaken, url)
    assert response.status_code == 200
    body = response.content.decode()
    assert plan.solution.split("\n")[0] in body and "Wettelijke grond" in body
    assert plan.case.household.reference in body
    # No link she cannot follow: the plan page stays closed to her.
    assert reverse("plans:detail", args=[plan.pk]) not in body
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code in (403, 404)
    response = client.post(url, {"action": "approve", "reason": ""})
    assert response.status_code == 302  # €0: no confirmation of money
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    # Her old link now tells her it is decided, on the inbox she may open.
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("decisions:inbox")
    assert any("Over dit plan is al besloten" in m for m in _messages(response))
    # Another department's decider learns nothing.
    assert _get(client, demo["users"]["werkeninkomen"], url).status_code == 404


def test_a_decided_link_leads_to_the_trail_for_who_may_see_the_plan(client, demo):
    plan = demo["lead_plan"]
    lead = demo["users"]["teamleider"]
    services.reject(lead, plan, "Eerst de toeslag terugvragen.")
    url = reverse("decisions:decide", args=[plan.pk])
    for username in ("teamleider", "werker", "directeur"):
        response = _get(client, demo["users"][username], url)
        assert response["Location"] == reverse("decisions:trail", args=[plan.pk]), username
        text = " ".join(_messages(response))
        assert "Over dit plan is al besloten (afgewezen) door" in text
        assert long_date(timezone.localdate()) in text
    # Another team's worker and a department decider of another plan: still 404.
    assert _get(client, demo["users"]["werker3"], url).status_code == 404
    assert _get(client, demo["users"]["burgerzaken"], url).status_code == 404
    # A plan still waiting for someone else: the colleague who sees it goes to the trail.
    other = demo["brp_plan"]
    response = _get(client, demo["users"]["werker"], reverse("decisions:decide", args=[other.pk]))
    assert response["Location"] == reverse("decisions:trail", args=[other.pk])


def test_inbox_names_the_case_and_how_long_a_plan_waits(client, demo):
    body = _get(client, demo["users"]["teamleider"], reverse("decisions:inbox")).content.decode()
    assert "Wacht al (dagen)" in body and "Leeftijd" not in body
    assert demo["lead_plan"].case.household.reference in body


def test_decision_mails_link_absolutely_in_words_with_dutch_dates_and_the_reason(
    demo, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.MAATWERK_BASE_URL = "https://maatwerk.example.nl"
    plan = demo["lead_plan"]
    author = plan.author
    author.email = "auteur@example.org"
    author.save()
    lead = demo["users"]["teamleider"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(lead, plan, "Eerst de toeslag terugvragen.")
    mail = mailoutbox[-1]
    assert mail.to == [author.email]
    assert "afgewezen" in mail.subject and "terugvragen" not in mail.subject
    assert "afgewezen" in mail.body and "Reden: Eerst de toeslag terugvragen." in mail.body
    assert f"https://maatwerk.example.nl/plannen/{plan.pk}/" in mail.body
    assert long_date(timezone.localdate()) in mail.body
    assert plan.case.household.reference not in mail.subject + mail.body


def test_the_routing_mail_has_an_absolute_link_and_a_dutch_deadline(demo, mailoutbox):
    from maatwerk.decisions import notify

    step = DecisionStep.objects.get(plan=demo["lead_plan"], outcome="")
    lead = demo["users"]["teamleider"]
    lead.email = "lead@example.org"
    lead.save()
    mailoutbox.clear()
    from django.db import connection
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(using=connection.alias, execute=True):
        notify.routed(step)
    body = mailoutbox[-1].body
    assert "http://" in body or "https://" in body
    assert f"/besluiten/plan/{step.plan_id}/" in body
    assert long_date(step.deadline) in body and step.deadline.isoformat() not in body


def test_decision_mails_are_dutch_when_the_decider_reads_english(
    demo, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """The mail is for the author: the decider's choice of language does not travel with it."""
    from django.utils import translation

    settings.MAATWERK_BASE_URL = "https://maatwerk.example.nl"
    plan = demo["lead_plan"]
    plan.author.email = "auteur@example.org"
    plan.author.save()
    mailoutbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.approve(demo["users"]["teamleider"], plan, reason="Past binnen het budget.")
    mail = [m for m in mailoutbox if m.to == ["auteur@example.org"]][-1]
    assert "goedgekeurd" in mail.subject and "approve" not in mail.subject + mail.body
    assert f"op {long_date(timezone.localdate())} (Teamleider)" in mail.body
    assert f"https://maatwerk.example.nl/plannen/{plan.pk}/" in mail.body
