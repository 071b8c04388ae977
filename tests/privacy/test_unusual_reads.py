"""The privacy officer's report of unusual reads (issue 17, point 6)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.privacy import rules, selectors

from ..factories import CaseFactory, TeamFactory, user_with_role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_night_that_wraps_midnight_and_one_that_does_not():
    wraps = rules.Thresholds(night_start=22, night_end=6)
    assert rules.night_hours(wraps) == [0, 1, 2, 3, 4, 5, 22, 23]
    inside = rules.Thresholds(night_start=1, night_end=5)
    assert rules.night_hours(inside) == [1, 2, 3, 4]
    assert rules.night_hours(rules.Thresholds(night_start=3, night_end=3)) == []


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError):
        rules.Thresholds(outside_cases=0)
    with pytest.raises(ValueError):
        rules.Thresholds(night_start=24)


@given(
    reads=st.lists(
        st.builds(rules.Reads, st.integers(1, 50), st.integers(0, 40), st.integers(0, 40)),
        unique_by=lambda r: r.user_id,
    ),
    outside=st.integers(1, 30),
    night=st.integers(1, 30),
)
def test_only_users_at_or_above_a_threshold_are_named(reads, outside, night):
    t = rules.Thresholds(outside_cases=outside, night_reads=night)
    named = {f.user_id for f in rules.flags(reads, t)}
    expected = {r.user_id for r in reads if r.outside_cases >= outside or r.night_reads >= night}
    assert named == expected


@pytest.fixture
def officer(db):
    return user_with_role(Role.PRIVACY_OFFICER, TeamFactory())


def _read_case_page(client, user, case):
    client.force_login(user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_director_reading_many_cases_is_named_a_worker_in_own_team_is_not(client, officer):
    team = TeamFactory(organisation=officer.memberships.first().organisation)
    director = user_with_role(Role.DIRECTOR, team)
    worker = user_with_role(Role.WORKER, team)
    cases = [CaseFactory(household__team=team) for _ in range(3)]
    for case in cases:
        _read_case_page(client, director, case)
        _read_case_page(client, worker, case)
    t = rules.Thresholds(outside_cases=3, night_start=3, night_end=3)
    named = {r.user: r for r in selectors.unusual_readers(officer, t)}
    assert set(named) == {director}
    assert named[director].flag.outside_cases == 3 and named[director].flag.many_outside
    assert named[director].teams == []
    # Fewer cases than the threshold: nobody.
    assert selectors.unusual_readers(officer, rules.Thresholds(outside_cases=4)) == []


def test_reads_at_night_are_counted_in_local_time(client, officer, monkeypatch):
    team = TeamFactory(organisation=officer.memberships.first().organisation)
    worker = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    night = datetime(2026, 11, 3, 23, 30, tzinfo=AMSTERDAM)
    monkeypatch.setattr(timezone, "now", lambda: night)
    _read_case_page(client, worker, case)
    _read_case_page(client, worker, case)
    monkeypatch.undo()
    day = rules.Thresholds(days=3650, night_reads=2)
    named = selectors.unusual_readers(officer, day)
    assert [(r.user, r.flag.night_reads, r.flag.at_night) for r in named] == [(worker, 2, True)]
    assert named[0].teams == [team.name]


def test_other_organisations_and_other_roles_see_nothing(client, officer):
    other_org_team = TeamFactory()
    director = user_with_role(Role.DIRECTOR, other_org_team)
    _read_case_page(client, director, CaseFactory(household__team=other_org_team))
    t = rules.Thresholds(outside_cases=1)
    assert selectors.unusual_readers(officer, t) == []
    assert selectors.unusual_readers(director, t) == []


def test_the_page_is_for_the_privacy_officer_only_and_is_audited(client, officer):
    team = TeamFactory(organisation=officer.memberships.first().organisation)
    client.force_login(user_with_role(Role.TEAM_LEAD, team))
    assert client.get(reverse("privacy:unusual_reads")).status_code == 403
    client.force_login(officer)
    response = client.get(reverse("privacy:unusual_reads"))
    assert response.status_code == 200
    assert "Ongebruikelijke inzage" in response.content.decode()
    assert AuditEvent.objects.filter(actor=officer, object_type="privacy.unusual_reads").exists()
