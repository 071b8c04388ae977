"""A household stuck with Toeslagen, for the referral and figures tests: a case made through
the case services (two residents with a BSN), an approved plan made through the plan and
decision services, and a request to Toeslagen that is sent with consent and went overdue.

The request goes through the request services, as the worker's clicks do: created with the
resident's consent, sent on a date in the past with its due date already passed, two calls
logged, and the organisation's answer recorded when one is asked for."""

import datetime
from decimal import Decimal

from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cooperation import services as cooperation
from maatwerk.cooperation.models import Channel, ExternalOrganisation
from maatwerk.core.choices import OrganisationType
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget

from ..factories import TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan

BSN_MAIN = "111222333"
BSN_PARTNER = "123456782"
MAIN_NAME = ("Fatima", "El Idrissi")
PARTNER_NAME = ("Youssef", "Bakkali")
BIRTH_DATE = datetime.date(1988, 3, 9)
GOAL = "Blijven werken en mijn kinderen naar de opvang kunnen brengen."
QUESTION = "Stop de verrekening van de kinderopvangtoeslag met de oude belastingschuld."
CONSENT_SCOPE = "De verrekening, het besluit over de toeslag en het maatwerkplan."


def organisation(name="Belastingdienst/Toeslagen", kind=OrganisationType.TAX_ALLOWANCES, **kw):
    return ExternalOrganisation.objects.get_or_create(
        name=name, defaults={"organisation_type": kind, **kw}
    )[0]


def stuck_household(team=None, *, days_overdue=3, org=None, bsns=(None, None)):
    """(worker, lead, plan, request): an approved plan and an overdue request to Toeslagen."""
    team = team or TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    worker = user_with_role(Role.WORKER, team, first_name="Sanne", last_name="de Vries")
    lead = user_with_role(Role.TEAM_LEAD, team, first_name="Pieter", last_name="Bakker")
    Budget.objects.get_or_create(
        organisation=team.organisation,
        team=team,
        year=timezone.localdate().year,
        defaults={"amount": Decimal("25000")},
    )
    case = case_services.create_household_with_case(
        actor=worker,
        team=team,
        residents=[
            {
                "first_name": MAIN_NAME[0],
                "last_name": MAIN_NAME[1],
                "birth_date": BIRTH_DATE,
                "is_contact": True,
                "bsn": bsns[0] or BSN_MAIN,
            },
            {
                "first_name": PARTNER_NAME[0],
                "last_name": PARTNER_NAME[1],
                "birth_date": datetime.date(1985, 7, 1),
                "is_contact": False,
                "bsn": bsns[1] or BSN_PARTNER,
            },
        ],
        title="Toeslag verrekend",
        goal=GOAL,
        neighbourhood_code="WK999001",
    )
    plan = submitted_plan(case, worker, "2000")
    decisions.approve(lead, plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    request = sent_request(worker, plan, org or organisation(), days_overdue=days_overdue)
    return worker, lead, plan, request


def sent_request(worker, plan, org, *, days_overdue=3, answered_after=10, **answer):
    """A request sent with consent 14 days before its due date, `days_overdue` days ago (a
    negative number: the answer is still to come), with two calls; `answer` (answer=...,
    answer_reason=...) records the organisation's answer `answered_after` days after sending."""
    today = timezone.localdate()
    due_on = today - datetime.timedelta(days=days_overdue)
    sent_on = due_on - datetime.timedelta(days=14)
    request = cooperation.create_request(
        worker,
        case=plan.case,
        plan=plan,
        organisation=org,
        question=QUESTION,
        consent_on=sent_on,
        consent_scope=CONSENT_SCOPE,
        send=True,
        sent_on=sent_on,
        due_on=due_on,
    )
    for minutes, note in ((20, "Gebeld met de Belastingtelefoon"), (35, "Terugbelverzoek")):
        cooperation.add_contact(
            worker,
            request,
            channel=Channel.PHONE,
            minutes=minutes,
            occurred_on=sent_on + datetime.timedelta(days=2),
            note=note,
        )
    if answer:
        request = cooperation.record_answer(
            worker,
            request,
            answer=answer["answer"],
            reason=answer.get("answer_reason", ""),
            answered_on=sent_on + datetime.timedelta(days=answered_after),
        )
    return request
