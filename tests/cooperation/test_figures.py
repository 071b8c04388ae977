"""Figures per outside organisation (issue 12, point 4): counted per organisation, never per
worker; small numbers suppressed; only for policy analyst, manager and director, and only of
their own organisation's teams."""

from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import Answer, CooperationRequest, ReferralRoute
from maatwerk.core.choices import OrganisationType

from ..factories import TeamFactory, user_with_role
from .referral_helpers import QUESTION, organisation, sent_request, stuck_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Toeslagen: 6 requests (1 overdue and escalated, 1 pending, 2 agreed, 1 partly, 1
    refused); a housing corporation: 2 requests; another organisation's team asks Toeslagen 5
    times (never counted for ours)."""
    worker, _lead, plan, overdue = stuck_household()
    team = plan.case.team
    toeslagen = overdue.organisation
    sent_request(worker, plan, toeslagen, days_overdue=-3)  # pending, not yet due
    for answer, days in ((Answer.AGREED, 4), (Answer.AGREED, 10), (Answer.PARTLY, 16)):
        sent_request(
            worker, plan, toeslagen, answer=answer, answer_reason="Deels.", answered_after=days
        )
    sent_request(worker, plan, toeslagen, answer=Answer.REFUSED, answer_reason="Nee.")
    services.escalate(worker, overdue, route=ReferralRoute.NATIONAL_DESK, reason="Vast.")
    corporation = organisation("Woonstede", OrganisationType.HOUSING_CORPORATION)
    sent_request(worker, plan, corporation)
    sent_request(worker, plan, corporation)
    # A draft is never asked: it does not count.
    services.create_request(
        worker, case=plan.case, plan=plan, organisation=toeslagen, question=QUESTION
    )
    _w, _l, _p, _elsewhere = stuck_household(
        TeamFactory(name="Wijkteam Elders"), org=toeslagen, bsns=("100000009", "111111110")
    )
    for _ in range(4):
        sent_request(_w, _p, toeslagen)
    return {"team": team, "toeslagen": toeslagen, "corporation": corporation, "worker": worker}


def _analyst(team):
    return user_with_role(Role.POLICY_ANALYST, team)


def test_figures_per_organisation_with_small_numbers_suppressed(world):
    rows = {r.name: r for r in selectors.organisation_figures(_analyst(world["team"]))}
    assert set(rows) == {"Belastingdienst/Toeslagen", "Woonstede"}
    toeslagen = rows["Belastingdienst/Toeslagen"]
    assert not toeslagen.small
    assert toeslagen.requests == 6
    assert toeslagen.agreed_share == Decimal(50)  # 2 of the 4 answered
    assert (toeslagen.refused, toeslagen.overdue, toeslagen.escalated) == (1, 1, 1)
    # Days from sent to answer: 4, 10, 10 (the refusal) and 16.
    assert toeslagen.median_days == Decimal("10.0")
    assert toeslagen.hours == Decimal("5.5")  # 6 requests × 55 minutes
    assert toeslagen.rules == ("Toeslag verrekend met (belasting)schuld",)
    corporation = rows["Woonstede"]
    assert corporation.small and corporation.requests is None and corporation.hours is None
    assert corporation.agreed_share is None and corporation.rules == ()


def test_the_median_counts_days_from_sent_to_answer(world):
    requests = CooperationRequest.objects.filter(
        organisation=world["toeslagen"], case__team=world["team"], status="answered"
    )
    days = sorted((r.answered_on - r.sent_on).days for r in requests)
    expected = Decimal(sum(days[1:3])) / 2 if len(days) == 4 else None
    row = next(r for r in selectors.organisation_figures(_analyst(world["team"])) if not r.small)
    assert row.median_days == expected


def test_the_page_shows_counts_not_cases_and_says_less_than_five(client, world):
    for role in (Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR):
        client.force_login(user_with_role(role, world["team"]))
        response = client.get(reverse("signals:organisations"))
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "Belastingdienst/Toeslagen" in html and "&lt; 5" in html
        assert "5,5" in html and "50%" in html
        assert "Sanne" not in html and "Vast." not in html  # no worker, no free text
        assert world["team"].name not in html  # never per team either


def test_the_page_is_for_policy_and_management_only(client, world):
    for role in (Role.WORKER, Role.TEAM_LEAD, Role.PRIVACY_OFFICER, Role.ADMIN):
        client.force_login(user_with_role(role, world["team"]))
        assert client.get(reverse("signals:organisations")).status_code == 403, role


def test_an_empty_organisation_sees_an_explanation(client):
    client.force_login(user_with_role(Role.POLICY_ANALYST, TeamFactory()))
    html = client.get(reverse("signals:organisations")).content.decode()
    assert "Nog geen verzoeken aan buitenorganisaties" in html


def test_the_start_page_links_to_the_figures_and_the_analyst_menu_too(client, world):
    url = reverse("signals:organisations")
    for role in (Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR):
        client.force_login(user_with_role(role, world["team"]))
        html = client.get(reverse("home")).content.decode()
        assert 'id="outside-organisations"' in html and f'href="{url}"' in html, role
        in_menu = f'<a href="{url}"' in html.split('id="main"')[0]
        assert in_menu == (role == Role.POLICY_ANALYST), role
    client.force_login(user_with_role(Role.WORKER, world["team"]))
    assert url not in client.get(reverse("home")).content.decode()
