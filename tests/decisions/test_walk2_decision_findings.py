"""Issue 11, second walkthrough (task f1): the decision flow as a new user met it. Back after a
confirmation lands on a real page, a decision posted again says the plan is decided, deciders
see their mandate, no escalation offered at the top, the flash message names plan, case and
who has it now, and each level gets its own deadline."""

from datetime import timedelta
from decimal import Decimal as D

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.core.formatting import long_date
from maatwerk.decisions import routing, selectors, services
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from ..plan_helpers import submitted_plan
from . import test_decisions as base

open_step = base.open_step
org = base.org  # a team with mandates, a user per role and a budget of € 10.000


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- 2. Back and re-posting --------------------------------------------------------------------


def test_a_get_on_the_submit_url_shows_the_confirmation_or_leads_to_the_plan(client, org):
    u = org["users"]
    plan = complete_plan(u[Role.WORKER], org["case"], "2000")
    client.force_login(u[Role.WORKER])
    url = reverse("decisions:submit", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="confirm-submit"' in response.content.decode()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    # Back after "Ja, plan indienen": the plan, not a bare 405 or a resubmission.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])


def test_a_decision_posted_again_on_a_decided_plan_says_so_on_the_plan_page(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")  # the team lead decides
    client.force_login(u[Role.TEAM_LEAD])
    url = reverse("decisions:decide", args=[plan.pk])
    data = {"action": "approve", "reason": "Akkoord", "confirmed": "True"}
    assert client.post(url, data).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED
    response = client.post(url, data)  # Back and post again
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:trail", args=[plan.pk])
    assert any("Over dit plan is al besloten" in m for m in _messages(response))
    # Back to the confirmation after approving: the same message, not a resubmission.
    response = client.get(url + "?bevestigen=1")
    assert response.status_code == 302
    assert any("Over dit plan is al besloten" in m for m in _messages(response))


def _name(user) -> str:
    return user.get_full_name() or user.username


# --- 1. a revised plan says what it revises and what changed -----------------------------------


def test_the_decision_page_of_a_revised_plan_names_the_rejection_and_what_changed(client, org):
    u = org["users"]
    first = submitted_plan(org["case"], u[Role.WORKER], "2000")  # the team lead decides
    services.reject(u[Role.TEAM_LEAD], first, "Te duur voor wat het oplevert.")
    revised = plan_services.revise(u[Role.WORKER], Plan.objects.get(pk=first.pk))
    plan_services.update_solution(
        u[Role.WORKER], revised, amount_requested=D("1500"), amount_reason="Minder uren nodig."
    )
    # A revision asks the resident's consent again (issue 11, walk findings).
    plan_services.record_agreement(
        u[Role.WORKER],
        revised,
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="by_phone",
    )
    services.submit_plan(u[Role.WORKER], revised)
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(reverse("decisions:decide", args=[revised.pk])).content.decode()
    assert f"Versie 2: dit plan herziet plan {first.pk}." in body
    assert (
        f"Eerder afgewezen op {long_date(timezone.localdate())} door {_name(u[Role.TEAM_LEAD])}"
        in body
    )
    assert "Te duur voor wat het oplevert." in body
    changes = body.split('id="revision-changes">')[1].split("</p>")[0]
    assert "Gewijzigd: bedrag €\u00a02.000,00 → €\u00a01.500,00." in changes.replace(
        "&nbsp;", "\u00a0"
    ), changes
    assert "oplossing" not in changes and "vorm" not in changes  # only what changed
    assert reverse("plans:detail", args=[first.pk]) in body
    # A first version has no such block.
    other = submitted_plan(org["case"], u[Role.WORKER], "1000")
    body = client.get(reverse("decisions:decide", args=[other.pk])).content.decode()
    assert "revision-note" not in body


# --- 3. the decider's mandate ------------------------------------------------------------------


def test_deciders_see_their_mandate_and_why_a_plan_skipped_a_level(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")  # above the team lead's 2.500
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(reverse("decisions:inbox")).content.decode()
    assert "Uw mandaat: tot €" in body and "2.500,00" in body.split('id="your-mandate"')[1][:200]
    client.force_login(u[Role.MANAGER])
    body = client.get(reverse("decisions:decide", args=[plan.pk])).content.decode()
    mandate = body.split('id="your-mandate">')[1].split("</dd>")[0]
    assert "tot €" in mandate and "10.000,00" in mandate
    assert "boven het mandaat van de teamleider (€" in mandate and "2.500,00" in mandate
    # A plan within the worker's mandate passed nobody by: a colleague decides it.
    small = submitted_plan(org["case"], u[Role.WORKER], "300")
    client.force_login(u["worker2"])
    body = client.get(reverse("decisions:decide", args=[small.pk])).content.decode()
    assert 'id="your-mandate"' in body and 'id="why-this-level"' not in body


# --- 4. no escalation offered at the top; plain words ------------------------------------------


def test_the_director_is_not_offered_to_pass_the_plan_on(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "20000")  # only the director may
    client.force_login(u[Role.DIRECTOR])
    url = reverse("decisions:decide", args=[plan.pk])
    body = client.get(url).content.decode()
    assert 'value="escalate"' not in body
    assert "Boven u beslist niemand meer" in body
    assert "trede" not in body and "escalatieladder" not in body
    response = client.post(url, {"action": "escalate", "reason": "Weet ik niet"})
    assert response.status_code == 400  # a form error, not a crash
    assert open_step(plan).assigned_role == Role.DIRECTOR
    # Below the top, passing on is offered in plain words, naming who decides above.
    low = submitted_plan(org["case"], u[Role.WORKER], "2000")
    client.force_login(u[Role.TEAM_LEAD])
    body = client.get(reverse("decisions:decide", args=[low.pk])).content.decode()
    assert "Doorsturen naar het volgende niveau (wie er boven u beslist)" in body
    assert f"Het plan gaat naar wie er boven u beslist: {_name(u[Role.MANAGER])}" in body
    assert "trede" not in body and "escalatieladder" not in body


# --- 13. the message after a decision names plan, case and where it is now --------------------


def test_the_message_after_passing_on_names_plan_case_person_and_deadline(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")
    client.force_login(u[Role.TEAM_LEAD])
    url = reverse("decisions:decide", args=[plan.pk])
    response = client.post(url, {"action": "escalate", "reason": "Graag een tweede blik"})
    assert response.status_code == 302
    step = open_step(plan)
    ref = org["case"].household.reference
    expected = (
        f"Plan {plan.pk} (casus {ref}) ligt nu bij {_name(u[Role.MANAGER])} (Leidinggevende), "
        f"uiterlijk {long_date(step.deadline)}."
    )
    assert expected in _messages(response)
    other = submitted_plan(org["case"], u[Role.WORKER], "1000")
    response = client.post(
        reverse("decisions:decide", args=[other.pk]),
        {"action": "reject", "reason": "Niet nodig"},
    )
    assert any(f"Plan {other.pk} (casus {ref}) is afgewezen" in m for m in _messages(response))


# --- 10. every level its own deadline ----------------------------------------------------------


def test_each_level_gets_its_own_deadline_when_the_plan_reaches_it(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "2000")
    lead_step = open_step(plan)
    later = timezone.now() + timedelta(days=3)
    manager_step = services.escalate(u[Role.TEAM_LEAD], plan, reason="Tweede blik", now=later)
    config = selectors.config_for(org["team"].organisation)
    days = {lv.role: lv.deadline_working_days for lv in config.ladder}
    cal = services.holidays()
    expected = routing.deadline(timezone.localdate(later), days[Role.MANAGER], cal)
    assert manager_step.deadline == expected != lead_step.deadline
    even_later = later + timedelta(days=2)
    director_step = services.escalate(
        u[Role.MANAGER], plan, reason="Boven mijn mandaat", now=even_later
    )
    expected = routing.deadline(timezone.localdate(even_later), days[Role.DIRECTOR], cal)
    assert director_step.deadline == expected
