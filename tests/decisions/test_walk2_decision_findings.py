"""Issue 11, second walkthrough (task f1): the decision flow as a new user met it. Back after a
confirmation lands on a real page, a decision posted again says the plan is decided, deciders
see their mandate, no escalation offered at the top, the flash message names plan, case and
who has it now, and each level gets its own deadline."""

from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services
from maatwerk.decisions.models import DecisionStep
from maatwerk.demo.plans import complete_plan
from maatwerk.plans.models import Plan

from ..plan_helpers import submitted_plan
from . import test_decisions as base

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
