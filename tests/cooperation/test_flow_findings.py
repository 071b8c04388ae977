"""Findings of a walk through issue 12: the escalation's addressee must take the chosen route
(pages and API, one rule in the service), the decision trail names the escalated request, the
case timeline shows requests, contacts and escalations, and a request whose escalation was
answered is no longer overdue (nor a task on the start page)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import Answer, CooperationRequest, Referral, ReferralRoute
from maatwerk.core.choices import OrganisationType

from ..factories import user_with_role
from .referral_helpers import sent_request, stuck_household

pytestmark = pytest.mark.django_db

NATIONAL = ReferralRoute.NATIONAL_DESK
REGIONAL = ReferralRoute.BREAKTHROUGH_TABLE
REASON = "Toeslagen antwoordt niet; de verrekening loopt door."
API = "/api/v1/cooperation-requests/"


@pytest.fixture
def stuck():
    worker, lead, plan, request = stuck_household()
    admin = user_with_role(Role.ADMIN, plan.case.team)

    def route(name, kind):
        return services.save_organisation(
            admin, name=name, organisation_type=kind, category="escalation"
        )

    return {
        "worker": worker,
        "lead": lead,
        "plan": plan,
        "request": request,
        "desk": route("Landelijk Maatwerkloket", OrganisationType.OTHER),
        "table": route("Doorbraaktafel regio Noord", OrganisationType.MUNICIPALITY),
    }


# --- 1. the addressee takes the route -----------------------------------------------------------


def test_the_addressee_is_routed_by_name():
    assert selectors.addressee_route(type("O", (), {"name": "Landelijk Maatwerkloket"})) == NATIONAL
    assert selectors.addressee_route(type("O", (), {"name": "Doorbraaktafel Oost"})) == REGIONAL


@pytest.mark.parametrize(
    ("route", "addressee", "words"),
    [
        (NATIONAL, "table", "niet een regionale doorbraaktafel"),
        (REGIONAL, "desk", "niet het Landelijk Maatwerkloket"),
    ],
)
def test_the_service_refuses_an_addressee_of_the_other_route(stuck, route, addressee, words):
    with pytest.raises(ValidationError) as e:
        services.escalate(
            stuck["worker"], stuck["request"], route=route, to=stuck[addressee], reason=REASON
        )
    assert set(e.value.message_dict) == {"to"}
    assert words in e.value.message_dict["to"][0]
    assert not Referral.objects.exists()


def test_the_service_takes_a_matching_addressee(stuck):
    referral = services.escalate(
        stuck["worker"], stuck["request"], route=NATIONAL, to=stuck["desk"], reason=REASON
    )
    assert referral.to == stuck["desk"] and referral.route == NATIONAL


def test_the_form_shows_the_refusal_on_the_addressee_field(client, stuck):
    client.force_login(stuck["worker"])
    url = reverse("cooperation:escalate", args=[stuck["request"].pk])
    response = client.post(url, {"route": NATIONAL, "to": stuck["table"].pk, "reason": REASON})
    assert response.status_code == 400
    html = response.content.decode()
    assert "niet een regionale doorbraaktafel" in html
    assert 'id="id_to"' in html and 'aria-invalid="true"' in html
    assert not Referral.objects.exists()
    ok = client.post(url, {"route": NATIONAL, "to": stuck["desk"].pk, "reason": REASON})
    assert ok.status_code == 302 and Referral.objects.get().to == stuck["desk"]


def test_the_api_gets_the_same_refusal(client, settings, stuck):
    settings.REQUIRE_2FA = False
    client.force_login(stuck["worker"])
    url = f"{API}{stuck['request'].pk}/escalate/"
    bad = client.post(
        url,
        {"route": NATIONAL, "to": stuck["table"].pk, "reason": REASON},
        content_type="application/json",
    )
    assert bad.status_code == 400
    body = bad.json()
    assert [e["field"] for e in body["errors"]] == ["to"]
    assert "niet een regionale doorbraaktafel" in body["errors"][0]["detail"]
    assert not Referral.objects.exists()
    ok = client.post(
        url,
        {"route": NATIONAL, "to": stuck["desk"].pk, "reason": REASON},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["route"] == NATIONAL
    assert Referral.objects.get().to == stuck["desk"]
    again = client.post(url, {"route": NATIONAL, "reason": REASON}, content_type="application/json")
    assert again.status_code == 400  # the service's own rule: one open referral per request


# --- 2. the trail names the escalated request ----------------------------------------------------


def test_the_trail_names_which_request_was_escalated(client, stuck):
    other = sent_request(
        stuck["worker"],
        stuck["plan"],
        stuck["request"].organisation,
        days_overdue=1,
    )
    CooperationRequest.objects.filter(pk=other.pk).update(question="Zet de invordering stil.")
    services.escalate(stuck["worker"], stuck["request"], route=NATIONAL, reason=REASON)
    client.force_login(stuck["worker"])
    html = client.get(reverse("plans:detail", args=[stuck["plan"].pk])).content.decode()
    trail = html[html.index("om-referral-list") :]
    trail = trail[: trail.index("</ul>")]
    assert "Stop de verrekening van de kinderopvangtoeslag" in trail
    sent_on = stuck["request"].sent_on
    assert f"verstuurd op {sent_on.day} " in trail
    assert "Zet de invordering stil" not in trail
    escalatable = html[html.index("om-escalatable") :]
    assert "Zet de invordering stil" in escalatable[: escalatable.index("</ul>")]


# --- 3. the case timeline -----------------------------------------------------------------------


def _answered_escalation(stuck, answer=Answer.AGREED):
    referral = services.escalate(
        stuck["worker"],
        stuck["request"],
        route=NATIONAL,
        reason=REASON,
        sent_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return services.record_referral_answer(
        stuck["worker"],
        referral,
        answer=answer,
        outcome="De verrekening stopt.",
        reason="" if answer == Answer.AGREED else "Geen ruimte in de wet.",
    )


def test_the_case_timeline_shows_requests_contacts_and_escalations(client, stuck):
    _answered_escalation(stuck)
    client.force_login(stuck["worker"])
    html = client.get(reverse("cases:detail", args=[stuck["plan"].case_id])).content.decode()
    timeline = html[html.index('class="om-timeline"') :]
    for words in (
        "Verzoek verstuurd",
        "Contact vastgelegd",
        "telefoon, 20 min",
        "telefoon, 35 min",
        "Escalatie verstuurd",
        "Escalatie beantwoord",
        "Landelijk Maatwerkloket: akkoord",
    ):
        assert words in timeline, words
    assert reverse("cooperation:detail", args=[stuck["request"].pk]) in timeline
    answered = sent_request(
        stuck["worker"], stuck["plan"], stuck["request"].organisation, answer=Answer.AGREED
    )
    html = client.get(reverse("cases:detail", args=[answered.case_id])).content.decode()
    assert "Antwoord vastgelegd" in html[html.index('class="om-timeline"') :]


def test_another_team_sees_no_request_events(stuck):
    from ..factories import TeamFactory

    stranger = user_with_role(Role.WORKER, TeamFactory())
    assert selectors.case_timeline(stranger, stuck["plan"].case) == []
    assert selectors.case_timeline(stuck["worker"], stuck["plan"].case)


def test_the_case_page_reads_requests_in_a_fixed_number_of_queries(client, stuck):
    client.force_login(stuck["worker"])
    url = reverse("cases:detail", args=[stuck["plan"].case_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        request = sent_request(stuck["worker"], stuck["plan"], stuck["request"].organisation)
        services.escalate(stuck["worker"], request, route=REGIONAL, reason=REASON)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


# --- 4. an answered escalation ends "overdue" ----------------------------------------------------


def test_an_answered_escalation_ends_overdue_and_the_task(client, stuck):
    request, worker = stuck["request"], stuck["worker"]
    assert request.is_overdue()
    assert list(selectors.overdue_requests(worker)) == [request]
    referral = services.escalate(worker, request, route=NATIONAL, reason=REASON)
    # Escalated and waiting for the route: still overdue, still a task.
    assert list(selectors.overdue_requests(worker)) == [request]
    services.record_referral_answer(worker, referral, answer=Answer.AGREED, outcome="Stopt.")
    request = selectors.request_detail(worker, request.pk)
    assert request.is_past_due() and not request.is_overdue()
    assert list(selectors.overdue_requests(worker)) == []
    client.force_login(worker)
    home = client.get(reverse("home")).content.decode()
    assert reverse("cooperation:detail", args=[request.pk]) not in home
    page = client.get(reverse("cooperation:detail", args=[request.pk])).content.decode()
    status = page[page.index('id="request-status"') :]
    status = status[: status.index("</p>")]
    assert "geëscaleerd – akkoord" in status and "te laat" not in status
    case = client.get(reverse("cases:detail", args=[request.case_id])).content.decode()
    table = case[case.index('id="requests"') :]
    assert 'data-status="escalated"' in table[: table.index("</table>")]


def test_after_a_refused_escalation_the_other_route_may_still_be_tried(stuck):
    _answered_escalation(stuck, Answer.REFUSED)
    request = selectors.request_for_referral(stuck["worker"], stuck["request"].pk)
    assert not request.is_overdue()
    assert selectors.escalation_blocker(request) == ""
    assert services.escalate(stuck["worker"], request, route=REGIONAL, reason=REASON).pk


def test_the_api_says_not_overdue_once_the_escalation_is_answered(client, settings, stuck):
    settings.REQUIRE_2FA = False
    client.force_login(stuck["worker"])
    url = f"{API}{stuck['request'].pk}/"
    assert client.get(url).json()["overdue"] is True
    _answered_escalation(stuck)
    assert client.get(url).json()["overdue"] is False
