"""Triage of early signals (issue 15, item 4): routing by postcode, the queue, its deadlines."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.partners.models import EarlySignal, PostcodeArea
from maatwerk.partners.services import team_for_postcode
from tests.factories import TeamFactory

from .conftest import rent_signal

URL = "/api/v1/vroegsignalen"


def test_team_for_postcode_takes_the_range_holding_the_four_digits():
    areas = [(1011, 1018, 1), (8881, 8899, 2)]
    assert team_for_postcode("8881AB", areas) == 2
    assert team_for_postcode("1018ZZ", areas) == 1
    assert team_for_postcode("1019AA", areas) is None
    assert team_for_postcode("", areas) is None
    assert team_for_postcode("88", areas) is None


@given(st.integers(1000, 9999), st.integers(1000, 9999), st.integers(1000, 9999))
def test_team_for_postcode_matches_exactly_inside_the_range(a, b, area):
    start, end = min(a, b), max(a, b)
    expected = 7 if start <= area <= end else None
    assert team_for_postcode(f"{area}XY", [(start, end, 7)]) == expected


@pytest.mark.django_db
def test_an_arriving_signal_gets_the_team_of_its_postcode(api, world):
    team_a = world["team_a"]
    other = TeamFactory(organisation=team_a.organisation, name="Wijkteam Noord")
    PostcodeArea.objects.create(organisation=team_a.organisation, team=team_a, start=8800, end=8889)
    PostcodeArea.objects.create(organisation=team_a.organisation, team=other, start=9000, end=9099)
    inside = api.post(URL, rent_signal(1), format="json").json()["id"]
    north = rent_signal(2)
    north["persoon"] = {**north["persoon"], "postcode": "9001 AA"}
    there = api.post(URL, north, format="json").json()["id"]
    nowhere = rent_signal(3)
    nowhere["persoon"] = {**nowhere["persoon"], "postcode": "1234 AA"}
    central = api.post(URL, nowhere, format="json").json()["id"]
    assert EarlySignal.objects.get(public_id=inside).team == team_a
    assert EarlySignal.objects.get(public_id=there).team == other
    assert EarlySignal.objects.get(public_id=central).team is None


@pytest.mark.django_db
def test_postcode_areas_may_not_overlap_or_name_another_municipalitys_team(world):
    team_a, team_b = world["team_a"], world["team_b"]
    org = team_a.organisation
    PostcodeArea.objects.create(organisation=org, team=team_a, start=8800, end=8889)
    with pytest.raises(ValidationError):
        PostcodeArea(organisation=org, team=team_a, start=8889, end=8900).full_clean()
    with pytest.raises(ValidationError):
        PostcodeArea(organisation=org, team=team_b, start=9000, end=9001).full_clean()
    with pytest.raises(ValidationError):
        PostcodeArea(organisation=org, team=team_a, start=9100, end=9000).full_clean()
    PostcodeArea(organisation=org, team=team_a, start=8890, end=8900).full_clean()


@pytest.mark.django_db
def test_the_administrator_keeps_postcode_areas_in_the_admin_audited(client, world):
    from maatwerk.accounts.roles import Role
    from maatwerk.audit.models import AuditEvent

    team_a = world["team_a"]
    client.force_login(world["users"][Role.ADMIN])
    response = client.post(
        "/beheer/partners/postcodearea/add/",
        {"organisation": team_a.organisation_id, "team": team_a.pk, "start": 8800, "end": 8899},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    area = PostcodeArea.objects.get()
    assert (area.team, area.start, area.end) == (team_a, 8800, 8899)
    assert AuditEvent.objects.filter(object_type="partners.postcodearea", action="create").exists()
    client.force_login(world["users"][Role.WORKER])
    assert client.get("/beheer/partners/postcodearea/").status_code in (302, 403)
