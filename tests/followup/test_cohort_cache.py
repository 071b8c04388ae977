"""The pay-off page's cache (issue 13 and 19): what it shows is kept under a key carrying the
user's scope (roles, teams), the language, the grouping and the teams' cohort stamps, which
every write of stored cohort figures renews in its transaction. So a cached page is never
stale after an approval, a recorded follow-up or a ledger entry, and never shown to another
scope."""

from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup import cohorts, services
from maatwerk.followup.models import CohortFigures, CohortStamp, FollowUp

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import approved

org = lifecycle.org
URL = reverse("followup:cohorts")
CSV = reverse("followup:cohorts_csv")


def _measured(org, plan):
    start = FollowUp.objects.get(plan=plan, moment="end_of_action").due_on
    services.record(
        org["worker"],
        FollowUp.objects.get(plan=plan, moment="end_of_action"),
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": start}],
    )


def _row(client):
    """The team's line of the CSV export (plans, measured, …, realised) and the page."""
    lines = client.get(CSV).content.decode("utf-8-sig").splitlines()
    return lines[1].split(";"), client.get(URL).content.decode()


def test_the_page_follows_every_write_at_once(client, org):
    lead = org["users"][Role.TEAM_LEAD]
    client.force_login(lead)
    assert 'id="no-cohorts"' in client.get(URL).content.decode()  # cached: nothing yet

    # Approvals, each for a household of its own (the rule counts households).
    cases = [CaseFactory(household__team=org["team"]) for _ in range(5)]
    plans = [approved(org, "2000", days_ago=200, case=case) for case in cases]
    row, page = _row(client)
    assert row[1] == "5" and row[2] == "0" and 'id="no-cohorts"' not in page

    for plan in plans:  # recorded follow-ups
        _measured(org, plan)
    row, page = _row(client)
    assert row[2] == "5"
    realised = row[9]
    assert 'id="cohort-table"' in page

    # A ledger entry (a payment) lowers the realised net on the very next request.
    commitment = LedgerEntry.objects.get(plan=plans[0], kind="commitment")
    decisions.record_payment(lead, commitment, D("750"))
    row, page = _row(client)
    assert row[9] != realised
    assert D(row[9].replace(",", ".")) == D(realised.replace(",", ".")) - D("750")

    # The next request, with nothing written, comes from the cache: no aggregate is run.
    with CaptureQueriesContext(connection) as cached:
        client.get(URL)
    assert not any("followup_cohortfigures" in q["sql"] for q in cached.captured_queries)
    assert any("followup_cohortstamp" in q["sql"] for q in cached.captured_queries)


def test_a_rename_reaches_the_cached_page(client, org):
    client.force_login(org["users"][Role.TEAM_LEAD])
    approved(org, "2000")
    assert org["team"].name in client.get(URL).content.decode()
    org["team"].name = "Wijkteam Hernoemd"
    org["team"].save()
    assert "Wijkteam Hernoemd" in client.get(URL).content.decode()


def test_scopes_never_share_an_entry(client, org):
    approved(org, "2000")
    lead = org["users"][Role.TEAM_LEAD]
    director = org["users"][Role.DIRECTOR]
    other = TeamFactory(organisation=org["team"].organisation, name="Wijkteam Anders")
    other_lead = user_with_role(Role.TEAM_LEAD, other)
    stranger = user_with_role(Role.TEAM_LEAD, TeamFactory(name="Wijkteam Elders"))
    keys = {
        cohorts.cohort_scope(user, cohorts.TEAM).key
        for user in (lead, director, other_lead, stranger)
    }
    assert len(keys) == 4
    # Same teams and roles, another grouping or language: another entry too.
    assert cohorts.cohort_scope(lead, cohorts.RULE).key != cohorts.cohort_scope(lead, "team").key
    with translation.override("en"):
        english = cohorts.cohort_scope(lead, cohorts.TEAM).key
    assert english != cohorts.cohort_scope(lead, cohorts.TEAM).key
    # Filled in the lead's scope first, the cache shows nobody else the lead's team.
    client.force_login(lead)
    assert org["team"].name in client.get(URL).content.decode()
    for user in (other_lead, stranger):
        client.force_login(user)
        page = client.get(URL).content.decode()
        assert org["team"].name not in page
        assert 'id="no-cohorts"' in page  # their own teams have no plans


def test_every_write_of_figures_renews_the_stamp_in_its_transaction(org):
    plan = approved(org, "2000")
    before = CohortStamp.objects.get(team=org["team"]).version
    services.refresh_cohort_figures(plan)
    after = CohortStamp.objects.get(team=org["team"]).version
    assert after != before
    # Figures deleted (here: all of them rebuilt) renew it too.
    CohortFigures.objects.all().delete()
    services.refresh_all_cohort_figures()
    assert CohortStamp.objects.get(team=org["team"]).version != after


def test_a_failed_write_leaves_the_stamp(org):
    plan = approved(org, "2000")
    before = CohortStamp.objects.get(team=org["team"]).version
    with pytest.raises(RuntimeError), transaction.atomic():
        services.refresh_cohort_figures(plan)
        raise RuntimeError
    assert CohortStamp.objects.get(team=org["team"]).version == before
