"""Figures per outside organisation (issue 12, point 4): counted per organisation, never per
worker; small numbers suppressed; only for policy analyst, manager and director, and only of
their own organisation's teams."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

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
    referral = services.escalate(worker, overdue, route=ReferralRoute.NATIONAL_DESK, reason="Vast.")
    services.record_referral_answer(
        worker, referral, answer=Answer.AGREED, outcome="De verrekening stopt."
    )
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
    assert (toeslagen.agreed, toeslagen.answered) == (2, 4)
    # The overdue one was escalated and the route agreed: no longer overdue, and not waiting.
    assert (toeslagen.refused, toeslagen.overdue, toeslagen.waiting) == (1, 0, 1)
    assert (toeslagen.escalated, toeslagen.escalated_agreed) == (1, 1)
    # Days from sent to answer: 4, 10, 10 (the refusal) and 16.
    assert toeslagen.median_days == Decimal("10.0")
    assert toeslagen.minutes == 330  # 6 requests × 55 minutes
    assert toeslagen.rules == ("Toeslag verrekend met (belasting)schuld",)
    corporation = rows["Woonstede"]
    assert corporation.small and corporation.requests is None and corporation.minutes is None
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
        assert "Belastingdienst/<wbr>Toeslagen" in html and "&lt; 5" in html
        assert "5 u 30 min" in html and "50% (2 van 4)" in html
        assert "1 (1 akkoord)" in html  # escalated, of which agreed
        assert "Sanne" not in html and "Vast." not in html  # no worker, no free text
        assert world["team"].name not in html  # never per team either


def test_the_page_is_for_policy_and_management_only(client, world):
    for role in (Role.WORKER, Role.TEAM_LEAD, Role.PRIVACY_OFFICER, Role.ADMIN):
        client.force_login(user_with_role(role, world["team"]))
        assert client.get(reverse("signals:organisations")).status_code == 403, role


def test_an_empty_organisation_sees_an_explanation(client):
    client.force_login(user_with_role(Role.POLICY_ANALYST, TeamFactory()))
    url = reverse("signals:organisations")
    html = client.get(url, {"periode": "alle"}).content.decode()
    assert "Nog geen verzoeken aan buitenorganisaties" in html
    html = client.get(url).content.decode()
    assert "Geen verzoeken aan buitenorganisaties in deze periode" in html


def test_the_start_page_links_to_the_figures_and_the_analyst_menu_too(client, world):
    url = reverse("signals:organisations")
    for role in (Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR):
        client.force_login(user_with_role(role, world["team"]))
        html = client.get(reverse("home")).content.decode()
        assert 'id="outside-organisations"' in html and f'href="{url}"' in html, role
        # The menu's Signalen opens the signal report, which links the figures.
        in_menu = f'<a href="{reverse("signals:report")}"' in html.split('id="main"')[0]
        assert in_menu, role
        if role == Role.POLICY_ANALYST:  # and from the system signals card
            signals_card = html.split('id="signals-empty"')[1].split("</ul>")[0]
            assert f'href="{url}"' in signals_card
    client.force_login(user_with_role(Role.WORKER, world["team"]))
    assert url not in client.get(reverse("home")).content.decode()


def test_the_period_counts_requests_by_their_sent_date(client, world):
    """Five requests to the corporation sent some 7 months ago count over 12 months, not over
    the last 3 or 6: then the corporation is back below the small number."""
    for _ in range(5):
        sent_request(world["worker"], _plan(world), world["corporation"], days_overdue=200)
    analyst = _analyst(world["team"])
    today = timezone.localdate()

    def corporation(period):
        since = selectors.figure_period_start(period, today)
        rows = selectors.organisation_figures(analyst, today=today, since=since)
        return next(r for r in rows if r.name == "Woonstede")

    assert corporation("12").requests == 7 and corporation("alle").requests == 7
    assert corporation("6").small and corporation("3").small
    client.force_login(analyst)
    url = reverse("signals:organisations")
    html = client.get(url, {"periode": "3"}).content.decode()
    assert '<option value="3" selected>' in html and "Woonstede" in html
    assert html.count("&lt; 5") == 2  # the header text and the corporation's row
    html = client.get(url).content.decode()  # twelve months by default
    assert '<option value="12" selected>' in html
    assert client.get(url, {"periode": "nonsense"}).status_code == 200


def _plan(world):
    return CooperationRequest.objects.filter(case__team=world["team"]).first().plan


def test_the_page_asks_the_same_number_of_queries_for_more_organisations(client, world):
    analyst = _analyst(world["team"])
    client.force_login(analyst)
    url = reverse("signals:organisations")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = queries()
    for name in ("UWV", "CAK"):
        other = organisation(name, OrganisationType.OTHER)
        for _ in range(5):
            sent_request(
                world["worker"], _plan(world), other, answer=Answer.REFUSED, answer_reason="Nee."
            )
    after = queries()
    assert len(selectors.organisation_figures(analyst)) == 4
    assert after == before, (before, after)


@given(
    day=st.dates(min_value=datetime.date(2001, 1, 1), max_value=datetime.date(2099, 12, 31)),
    months=st.integers(min_value=0, max_value=24),
)
def test_months_before_goes_back_whole_months(day, months):
    earlier = selectors.months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    month_ends = (earlier + _one_day).month != earlier.month
    assert earlier.day == day.day or (earlier.day < day.day and month_ends)


_one_day = datetime.timedelta(days=1)


def test_months_before_ends_a_short_month_on_its_last_day():
    assert selectors.months_before(datetime.date(2026, 5, 31), 3) == datetime.date(2026, 2, 28)
    assert selectors.months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)
