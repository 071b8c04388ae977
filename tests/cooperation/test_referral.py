"""Escalation of one case beyond the organisation (issue 12, point 3): the rules of the
service, the pages, the audit trail and the plan's decision trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import services
from maatwerk.cooperation.models import Answer, Referral, ReferralRoute
from maatwerk.core.choices import OrganisationType
from maatwerk.core.errors import ServiceError

from ..factories import TeamFactory, user_with_role
from .referral_helpers import organisation, sent_request, stuck_household

pytestmark = pytest.mark.django_db

NATIONAL = ReferralRoute.NATIONAL_DESK
REGIONAL = ReferralRoute.BREAKTHROUGH_TABLE
REASON = "Toeslagen antwoordt niet; de verrekening loopt door en zij moet stoppen met werken."


@pytest.fixture
def stuck():
    worker, lead, plan, request = stuck_household()
    return {"worker": worker, "lead": lead, "plan": plan, "request": request}


def _events(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


# --- the service --------------------------------------------------------------------------------


def test_an_overdue_request_is_escalated_to_the_national_desk_with_an_audit_event(stuck):
    referral = services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    assert referral.status == Referral.Status.SENT
    assert referral.sent_on == timezone.localdate()
    assert referral.question == REASON and referral.created_by == stuck["worker"]
    event = _events(referral, AuditEvent.Action.CREATE).get()
    assert event.actor == stuck["worker"] and event.changes["route"]["new"] == NATIONAL
    assert REASON not in str(event.changes)  # free text stays out of the audit log


def test_a_refused_request_may_be_escalated_a_pending_one_may_not(stuck):
    org = stuck["request"].organisation
    refused = sent_request(
        stuck["worker"], stuck["plan"], org, answer=Answer.REFUSED, answer_reason="Wet is wet."
    )
    assert services.escalate(stuck["worker"], refused, route=REGIONAL, reason=REASON).pk
    pending = sent_request(stuck["worker"], stuck["plan"], org, days_overdue=-5)
    agreed = sent_request(stuck["worker"], stuck["plan"], org, answer=Answer.AGREED)
    for request in (pending, agreed):
        with pytest.raises(ServiceError) as e:
            services.escalate(stuck["worker"], request, route=REGIONAL, reason=REASON)
        assert e.value.code == "cooperation.not_stuck"
    assert Referral.objects.count() == 1


def test_the_national_desk_only_takes_rules_of_national_organisations(stuck):
    corporation = organisation("Woonstede", OrganisationType.HOUSING_CORPORATION)
    request = sent_request(stuck["worker"], stuck["plan"], corporation)
    with pytest.raises(ValidationError) as e:
        services.escalate(stuck["worker"], request, route=NATIONAL, reason=REASON)
    assert "route" in e.value.error_dict
    assert services.escalate(stuck["worker"], request, route=REGIONAL, reason=REASON).pk


def test_one_open_referral_per_request_and_a_reason_is_needed(stuck):
    with pytest.raises(ValidationError) as e:
        services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason="  ")
    assert "reason" in e.value.error_dict
    services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    with pytest.raises(ServiceError) as e:
        services.escalate(stuck["worker"], stuck["request"], route=REGIONAL, reason=REASON)
    assert e.value.code == "cooperation.referral_open"


def test_a_request_without_a_plan_is_not_escalated(stuck):
    sent_on = timezone.localdate() - datetime.timedelta(days=30)
    request = services.create_request(
        stuck["worker"],
        case=stuck["plan"].case,
        organisation=stuck["request"].organisation,
        question="Kwijtschelding van de schuld.",
        consent_on=sent_on,
        consent_scope="De schuld.",
        send=True,
        sent_on=sent_on,
        due_on=sent_on + datetime.timedelta(days=14),
    )
    assert request.plan is None and request.is_overdue()
    with pytest.raises(ServiceError) as e:
        services.escalate(stuck["worker"], request, route=NATIONAL, reason=REASON)
    assert e.value.code == "cooperation.no_plan"


def test_only_the_case_team_writes(stuck):
    other = user_with_role(Role.WORKER, TeamFactory())
    manager = user_with_role(Role.MANAGER, stuck["plan"].case.team)
    for actor in (other, manager):
        with pytest.raises(PermissionDenied):
            services.escalate(actor, stuck["request"], route=NATIONAL, reason=REASON)
    assert not Referral.objects.exists()


def test_the_answer_is_recorded_once_with_its_outcome_and_date(stuck):
    referral = services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    with pytest.raises(ValidationError) as e:
        services.record_referral_answer(
            stuck["worker"], referral, answer=Answer.REFUSED, outcome="Nee"
        )
    assert "reason" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.record_referral_answer(
            stuck["worker"],
            referral,
            answer=Answer.AGREED,
            outcome="Ok",
            answered_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "answered_on" in e.value.error_dict
    done = services.record_referral_answer(
        stuck["lead"], referral, answer=Answer.AGREED, outcome="De verrekening stopt."
    )
    assert done.status == Referral.Status.ANSWERED and done.answered_on == timezone.localdate()
    event = _events(referral, AuditEvent.Action.UPDATE).get()
    assert event.actor == stuck["lead"] and event.changes["answer"]["new"] == Answer.AGREED
    with pytest.raises(ServiceError) as e:
        services.record_referral_answer(
            stuck["worker"], done, answer=Answer.REFUSED, outcome="x", reason="y"
        )
    assert e.value.code == "cooperation.referral_not_open"


# --- the pages ----------------------------------------------------------------------------------


def test_the_plan_page_offers_escalation_and_the_trail_shows_referral_and_answer(client, stuck):
    client.force_login(stuck["worker"])
    plan_url = reverse("plans:detail", args=[stuck["plan"].pk])
    html = client.get(plan_url).content.decode()
    escalate_url = reverse("cooperation:escalate", args=[stuck["request"].pk])
    assert escalate_url in html and "Escaleren buiten de organisatie" in html
    page = client.get(escalate_url)
    assert page.status_code == 200
    assert "Landelijk Maatwerkloket" in page.content.decode()
    response = client.post(escalate_url, {"route": NATIONAL, "reason": REASON})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:referral", args=[referral.pk])
    answer_url = reverse("cooperation:referral_answer", args=[referral.pk])
    bad = client.post(answer_url, {"answer": "refused", "outcome": "Nee"})
    assert bad.status_code == 400 and "reden" in bad.content.decode()
    client.post(answer_url, {"answer": "agreed", "outcome": "De verrekening stopt per direct."})
    html = client.get(plan_url).content.decode()
    assert f"Doorverwijzing {referral.pk}: Landelijk Maatwerkloket" in html
    assert "De verrekening stopt per direct." in html
    assert escalate_url not in html  # escalated and answered: nothing more to escalate here
    trail = client.get(reverse("decisions:trail", args=[stuck["plan"].pk])).content.decode()
    assert "De verrekening stopt per direct." in trail
    document = client.get(reverse("plans:document", args=[stuck["plan"].pk])).content.decode()
    assert "Escalatie buiten de organisatie" in document and "De verrekening stopt" in document


def test_the_manager_reads_the_referral_but_gets_no_escalation_or_answer_form(client, stuck):
    referral = services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    manager = user_with_role(Role.MANAGER, stuck["plan"].case.team)
    client.force_login(manager)
    html = client.get(reverse("cooperation:referral", args=[referral.pk])).content.decode()
    assert REASON in html and 'name="outcome"' not in html
    plan_html = client.get(reverse("plans:detail", args=[stuck["plan"].pk])).content.decode()
    assert reverse("cooperation:escalate", args=[stuck["request"].pk]) not in plan_html
    assert (
        client.get(reverse("cooperation:escalate", args=[stuck["request"].pk])).status_code == 403
    )
    answer = client.post(
        reverse("cooperation:referral_answer", args=[referral.pk]),
        {"answer": "agreed", "outcome": "x"},
    )
    assert answer.status_code == 403
    assert _events(referral, AuditEvent.Action.VIEW).filter(actor=manager).exists()


def test_another_team_does_not_find_the_referral(client, stuck):
    referral = services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    for url in (
        reverse("cooperation:referral", args=[referral.pk]),
        reverse("cooperation:referral_pdf", args=[referral.pk]),
        reverse("cooperation:escalate", args=[stuck["request"].pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_after_a_refusal_the_other_route_may_be_tried_after_agreement_not(stuck):
    worker, request = stuck["worker"], stuck["request"]
    first = services.escalate(worker, request, route=REGIONAL, reason=REASON)
    services.record_referral_answer(
        worker, first, answer=Answer.REFUSED, outcome="Geen doorbraak.", reason="Landelijk."
    )
    second = services.escalate(worker, request, route=NATIONAL, reason=REASON)
    services.record_referral_answer(
        worker, second, answer=Answer.AGREED, outcome="De verrekening stopt."
    )
    with pytest.raises(ServiceError) as e:
        services.escalate(worker, request, route=REGIONAL, reason=REASON)
    assert e.value.code == "cooperation.route_agreed"


def test_the_escalation_page_says_why_a_request_cannot_be_escalated(client, stuck):
    pending = sent_request(
        stuck["worker"], stuck["plan"], stuck["request"].organisation, days_overdue=-5
    )
    client.force_login(stuck["worker"])
    url = reverse("cooperation:escalate", args=[pending.pk])
    html = client.get(url).content.decode()
    assert "Alleen een geweigerd verzoek" in html and 'name="reason"' not in html
    response = client.post(url, {"route": NATIONAL, "reason": REASON})
    assert (
        response.status_code == 400 and "Alleen een geweigerd verzoek" in response.content.decode()
    )
    assert not Referral.objects.exists()


def test_the_request_block_lists_referrals_and_offers_escalation(stuck):
    from django.template import Context, Template

    template = Template("{% load referrals %}{% request_referrals coop user %}")
    html = template.render(Context({"coop": stuck["request"], "user": stuck["worker"]}))
    assert reverse("cooperation:escalate", args=[stuck["request"].pk]) in html
    referral = services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    html = template.render(Context({"coop": stuck["request"], "user": stuck["worker"]}))
    assert reverse("cooperation:referral", args=[referral.pk]) in html
    assert reverse("cooperation:escalate", args=[stuck["request"].pk]) not in html


def test_the_request_page_offers_escalation_and_lists_its_referrals(client, stuck):
    request = stuck["request"]
    page_url = reverse("cooperation:detail", args=[request.pk])
    escalate_url = reverse("cooperation:escalate", args=[request.pk])
    client.force_login(stuck["worker"])
    html = client.get(page_url).content.decode()
    assert "Escaleren buiten de organisatie" in html and escalate_url in html
    referral = services.escalate(stuck["worker"], request, route=NATIONAL, reason=REASON)
    html = client.get(page_url).content.decode()
    assert reverse("cooperation:referral", args=[referral.pk]) in html
    assert f"Doorverwijzing {referral.pk}: Landelijk Maatwerkloket" in html
    assert escalate_url not in html  # the referral waits for its answer
    # A request still within its term offers nothing to escalate.
    pending = sent_request(stuck["worker"], stuck["plan"], request.organisation, days_overdue=-5)
    html = client.get(reverse("cooperation:detail", args=[pending.pk])).content.decode()
    assert reverse("cooperation:escalate", args=[pending.pk]) not in html
    # The manager reads the request and its referral, but is not offered escalation.
    client.force_login(user_with_role(Role.MANAGER, stuck["plan"].case.team))
    html = client.get(page_url).content.decode()
    assert reverse("cooperation:referral", args=[referral.pk]) in html
    assert "Escaleren buiten de organisatie" not in html
