"""Demo requests for escalation beyond the organisation (issue 12, point 3), on the approved
plan of DEMO-0001 (the childcare allowance offset against a tax debt):

- a request to Toeslagen to stop the offset, sent with consent three weeks ago and overdue
  now: the worker's journey escalates it to the Landelijk Maatwerkloket;
- an earlier request about the same offset that Toeslagen refused, already escalated to the
  regional doorbraaktafel and waiting for its answer.

Everything goes through the cooperation services, as the worker's clicks do: each request is
made with the resident's consent and sent on a date in the past (its due date 14 days later),
the refusal is recorded as the answer, and the referral goes through the escalation service.
Idempotent: nothing is added twice."""

import datetime

from django.utils import timezone

from maatwerk.cases.models import Case
from maatwerk.cooperation import services
from maatwerk.cooperation.models import Answer, CooperationRequest, ExternalOrganisation
from maatwerk.core.choices import OrganisationType
from maatwerk.plans.models import Plan

TOESLAGEN = "Belastingdienst/Toeslagen"
OVERDUE_QUESTION = "Stop de verrekening van de kinderopvangtoeslag met de oude belastingschuld."
REFUSED_QUESTION = "Stel de terugvordering van de kinderopvangtoeslag uit tot het plan loopt."
CONSENT = "De verrekening, het besluit over de toeslag en het maatwerkplan."


def load_referrals(worker) -> None:
    case = Case.objects.filter(household__reference="DEMO-0001").first()
    plan = (
        Plan.objects.filter(case=case, status=Plan.Status.APPROVED).order_by("pk").first()
        if case
        else None
    )
    if plan is None or CooperationRequest.objects.filter(plan=plan).exists():
        return
    toeslagen, _created = ExternalOrganisation.objects.get_or_create(
        name=TOESLAGEN, defaults={"organisation_type": OrganisationType.TAX_ALLOWANCES}
    )
    today = timezone.localdate()

    def sent(question, days_ago):
        sent_on = today - datetime.timedelta(days=days_ago)
        return services.create_request(
            worker,
            case=case,
            plan=plan,
            organisation=toeslagen,
            question=question,
            consent_on=sent_on,
            consent_scope=CONSENT,
            send=True,
            sent_on=sent_on,
            due_on=sent_on + datetime.timedelta(days=14),
        )

    refused = services.record_answer(
        worker,
        sent(REFUSED_QUESTION, 60),
        answer=Answer.REFUSED,
        reason="De wet laat uitstel van de terugvordering niet toe.",
        answered_on=today - datetime.timedelta(days=40),
    )
    services.escalate(
        worker,
        refused,
        route="breakthrough_table",
        reason="Toeslagen weigert uitstel; zonder uitstel stopt zij met werken.",
        sent_on=today - datetime.timedelta(days=35),
    )
    sent(OVERDUE_QUESTION, 21)
