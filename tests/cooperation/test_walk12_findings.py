"""Findings of the second no-context walk through issue 12: an escalated request's task says to
wait for the route (not to call again); a request the route agreed to is settled and takes no
answer, due date or withdrawal of its own; the referral document gives the contact person's
e-mail and names the addressee once; the case timeline names who recorded the route's answer and
what came of it; a phone number dials without its "(0)"; the consent says it is needed to send;
and the demo shows figures for at least one outside organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import Answer, CooperationRequest, ReferralRoute
from maatwerk.cooperation.templatetags.cooperation import dial
from maatwerk.core.choices import OrganisationType
from maatwerk.workspace import selectors as workspace

from ..factories import user_with_role
from .referral_helpers import stuck_household

pytestmark = pytest.mark.django_db

NATIONAL = ReferralRoute.NATIONAL_DESK
REASON = "Toeslagen antwoordt niet; de verrekening loopt door."


@pytest.fixture
def stuck():
    worker, _lead, plan, request = stuck_household()
    admin = user_with_role(Role.ADMIN, plan.case.team)
    desk = services.save_organisation(
        admin,
        name="Landelijk Maatwerkloket",
        organisation_type=OrganisationType.OTHER,
        category="escalation",
    )
    return {"worker": worker, "plan": plan, "request": request, "desk": desk}


def _task(user, request):
    return next(t for t in workspace.tasks(user) if t.kind == "overdue_request")


def test_an_escalated_request_is_a_task_to_record_the_routes_answer(stuck):
    worker, request = stuck["worker"], stuck["request"]
    task = _task(worker, request)
    assert "nabellen of escaleren" in str(task.label)
    assert task.url == reverse("cooperation:detail", args=[request.pk])
    referral = services.escalate(worker, request, route=NATIONAL, to=stuck["desk"], reason=REASON)
    task = _task(worker, request)
    assert "nabellen" not in str(task.label)
    assert "Geëscaleerd naar Landelijk Maatwerkloket" in str(task.label)
    assert task.url == reverse("cooperation:referral", args=[referral.pk])


def test_a_request_the_route_agreed_to_takes_no_answer_of_its_own(client, stuck):
    worker, request = stuck["worker"], stuck["request"]
    referral = services.escalate(worker, request, route=NATIONAL, to=stuck["desk"], reason=REASON)
    services.record_referral_answer(
        worker, referral, answer=Answer.AGREED, outcome="De verrekening stopt per 1 december."
    )
    request = CooperationRequest.objects.get(pk=request.pk)
    for act in (
        lambda: services.record_answer(worker, request, answer=Answer.AGREED),
        lambda: services.change_due_date(worker, request, due_on=request.due_on),
        lambda: services.withdraw_request(worker, request),
    ):
        with pytest.raises(ValidationError) as e:
            act()
        assert e.value.code == "cooperation.settled"
    assert CooperationRequest.objects.get(pk=request.pk).status == CooperationRequest.Status.SENT
    client.force_login(worker)
    html = client.get(reverse("cooperation:detail", args=[request.pk])).content.decode()
    assert 'id="settled"' in html and "afgehandeld via de escalatie" in html
    assert 'id="answer-form"' not in html and "Verzoek intrekken" not in html
    # The case timeline says who recorded the route's answer and what came of it.
    html = client.get(reverse("cases:detail", args=[request.case_id])).content.decode()
    line = html[html.index("Escalatie beantwoord") :][:600]
    assert "De verrekening stopt per 1 december." in line
    assert worker.get_full_name() in line


def test_a_refusal_by_the_route_settles_nothing(stuck):
    worker, request = stuck["worker"], stuck["request"]
    referral = services.escalate(worker, request, route=NATIONAL, to=stuck["desk"], reason=REASON)
    services.record_referral_answer(
        worker, referral, answer=Answer.REFUSED, reason="Geen ruimte.", outcome="Geweigerd."
    )
    request = CooperationRequest.objects.get(pk=request.pk)
    assert request.settled_by() is None
    services.record_answer(worker, request, answer=Answer.AGREED)  # the organisation may still


def test_the_referral_document_gives_the_contacts_email_and_the_addressee_once(client, stuck):
    worker = stuck["worker"]
    worker.email = "w.werker@wadwijk.example"
    worker.save(update_fields=["email"])
    referral = services.escalate(
        worker, stuck["request"], route=NATIONAL, to=stuck["desk"], reason=REASON
    )
    assert selectors.referral_document(worker, referral).contact_email == worker.email
    client.force_login(worker)
    html = client.get(reverse("cooperation:referral", args=[referral.pk])).content.decode()
    assert 'href="mailto:w.werker@wadwijk.example"' in html
    assert "Landelijk Maatwerkloket – Landelijk Maatwerkloket" not in html
    assert "Terug naar het verzoek" in html and "Terug naar de casus" in html


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("+31 (0)55 538 53 85", "+31555385385"),
        ("055 - 538 53 85", "0555385385"),
        ("0800 0543", "08000543"),
        ("", ""),
    ],
)
def test_a_phone_number_dials_without_its_trunk_zero(written, dialled):
    assert dial(written) == dialled


def test_the_consent_says_it_is_needed_to_send(client, stuck):
    client.force_login(stuck["worker"])
    url = reverse("cooperation:new_for_plan", args=[stuck["plan"].pk])
    html = client.get(url).content.decode()
    label = html[html.index("Toestemming van de bewoner gegeven op") :][:200]
    assert "nodig om te versturen" in label and "optioneel" not in label


def test_an_unknown_period_says_what_is_shown_instead(client, stuck):
    analyst = user_with_role(Role.POLICY_ANALYST, stuck["plan"].case.team)
    client.force_login(analyst)
    html = client.get(reverse("signals:organisations") + "?periode=xyz").content.decode()
    assert "Onbekende periode: de afgelopen 12 maanden worden getoond." in html
    assert '<option value="12" selected>' in html
    html = client.get(reverse("signals:organisations") + "?periode=6").content.decode()
    assert "Onbekende periode" not in html
