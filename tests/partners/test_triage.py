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


# --- deadlines ---------------------------------------------------------------------------------

from datetime import date, timedelta  # noqa: E402

from maatwerk.partners import triage  # noqa: E402


def test_urgent_signals_are_due_in_three_working_days_others_in_weeks():
    friday = date(2026, 11, 27)
    assert triage.due_date(kind="eindelevering", crisis=False, received_on=friday, weeks=4) == (
        date(2026, 12, 2)
    )
    assert triage.due_date(kind="vroeg", crisis=True, received_on=friday, weeks=4) == date(
        2026, 12, 2
    )
    # From Thursday 24 December: 25 (a holiday), 26-27 (weekend), 28 (a day off) are skipped.
    holidays = {date(2026, 12, 25), date(2026, 12, 28)}
    assert triage.due_date(
        kind="vroeg", crisis=True, received_on=date(2026, 12, 24), weeks=4, holidays=holidays
    ) == date(2026, 12, 31)
    assert triage.due_date(kind="vroeg", crisis=False, received_on=friday, weeks=4) == (
        friday + timedelta(weeks=4)
    )


@given(
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.sampled_from(["vroeg", "geactualiseerd", "eindelevering"]),
    st.booleans(),
    st.integers(1, 26),
)
def test_urgent_signals_come_first_and_never_later_than_a_week(day, kind, crisis, weeks):
    due = triage.due_date(kind=kind, crisis=crisis, received_on=day, weeks=weeks)
    if triage.is_urgent(kind, crisis):
        assert day + timedelta(days=3) <= due <= day + timedelta(days=5)
        assert due.weekday() < 5
    else:
        assert due == day + timedelta(weeks=weeks)
    urgent = triage.sort_key(kind="eindelevering", crisis=False, due=date.max, received_on=day)
    calm = triage.sort_key(kind="vroeg", crisis=False, due=date.min, received_on=day)
    assert urgent < calm


# --- the queue, its access and its actions -----------------------------------------------------

from maatwerk.accounts.roles import Role  # noqa: E402
from maatwerk.audit.models import AuditEvent  # noqa: E402
from maatwerk.cases.models import Case  # noqa: E402
from maatwerk.partners import selectors, services  # noqa: E402
from maatwerk.partners.models import EndResult, Status  # noqa: E402
from tests.factories import user_with_role  # noqa: E402

from .conftest import BSN, bearer, make_partner  # noqa: E402


def _signal(api, n, postcode="8881 AB", **overrides):
    body = rent_signal(n, **overrides)
    body["persoon"] = {**body["persoon"], "postcode": postcode}
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return EarlySignal.objects.get(public_id=response.json()["id"])


@pytest.fixture
def routed(api, world):
    team_a = world["team_a"]
    other = TeamFactory(organisation=team_a.organisation, name="Wijkteam Noord")
    PostcodeArea.objects.create(organisation=team_a.organisation, team=team_a, start=8800, end=8889)
    PostcodeArea.objects.create(organisation=team_a.organisation, team=other, start=9000, end=9099)
    return {
        "own": _signal(api, 1),
        "urgent": _signal(api, 2, crisissignaal=True),
        "other": _signal(api, 3, postcode="9001 AA"),
        "central": _signal(api, 4, postcode="1234 AB"),
        "other_team": other,
    }


@pytest.mark.django_db
def test_the_queue_holds_the_own_teams_signals_urgent_first(routed, world):
    worker = world["users"][Role.WORKER]
    rows = selectors.queue(worker)
    assert [r.signal for r in rows] == [routed["urgent"], routed["own"]]
    assert rows[0].urgent and not rows[1].urgent
    assert rows[0].due < rows[1].due


@pytest.mark.django_db
def test_team_leads_also_see_the_central_queue(routed, world):
    lead = world["users"][Role.TEAM_LEAD]
    assert {r.signal for r in selectors.queue(lead)} == {
        routed["own"],
        routed["urgent"],
        routed["central"],
    }
    north_worker = user_with_role(Role.WORKER, routed["other_team"])
    assert [r.signal for r in selectors.queue(north_worker)] == [routed["other"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR, Role.ADMIN, Role.PRIVACY_OFFICER]
)
def test_no_other_role_sees_a_signal(routed, world, client, role):
    user = world["users"][role]
    assert selectors.queue(user) == []
    client.force_login(user)
    assert client.get("/vroegsignalen/").status_code == 403
    assert client.get(f"/vroegsignalen/{routed['own'].public_id}/").status_code == 404


@pytest.mark.django_db
def test_the_queue_page_shows_no_person_data_and_the_signal_page_audits_its_read(
    routed, world, client
):
    client.force_login(world["users"][Role.WORKER])
    page = client.get("/vroegsignalen/").content.decode()
    assert str(routed["own"].public_id) in page and "8881" not in page
    assert str(routed["other"].public_id) not in page
    assert client.get(f"/vroegsignalen/{routed['other'].public_id}/").status_code == 404
    detail = client.get(f"/vroegsignalen/{routed['own'].public_id}/")
    assert detail.status_code == 200 and "8881AB" in detail.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_type="partners.earlysignal", object_id=str(routed["own"].pk)
    ).exists()


@pytest.mark.django_db
def test_a_bsn_is_shown_masked_only(world, client):
    partner = make_partner(world, name="Zorgverzekeraar", type="Zorg", holds_bsn=True)
    api = bearer(partner, world)
    body = rent_signal(9)
    body.pop("huurvoorwaarden")
    body["persoon"] = {"bsn": BSN}
    lead = world["users"][Role.TEAM_LEAD]
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    client.force_login(lead)
    page = client.get(f"/vroegsignalen/{response.json()['id']}/").content.decode()
    assert BSN not in page and BSN[-3:] in page


@pytest.mark.django_db
def test_a_worker_opens_a_case_and_the_partner_reads_opgepakt(routed, world, client, api):
    worker = world["users"][Role.WORKER]
    signal = routed["own"]
    client.force_login(worker)
    response = client.post(
        f"/vroegsignalen/{signal.public_id}/",
        {"action": "open", "open-first_name": "Sam", "open-last_name": "Jansen",
         "open-title": "Huurachterstand"},
    )  # fmt: skip
    signal.refresh_from_db()
    assert signal.status == Status.PICKED_UP and signal.case is not None
    assert response.status_code == 302 and response["Location"].endswith(
        f"/casussen/{signal.case.pk}/"
    )
    case = signal.case
    assert case.team == world["team_a"] and case.status == Case.Status.OPEN
    assert case.household.residents.get().birth_date == signal.birth_date
    assert api.get(f"{URL}/{signal.public_id}").json()["status"] == "opgepakt"
    assert selectors.queue(worker) == [r for r in selectors.queue(worker) if r.signal != signal]


@pytest.mark.django_db
def test_contact_attempts_and_the_end_result_decide_the_feedback(routed, world, api):
    worker = world["users"][Role.WORKER]
    signal = routed["own"]
    today = timezone_today()
    services.record_contact_attempt(
        actor=worker, signal=signal, kind="Telefoon", reached=False, date=today,
        part_of_day="Ochtend",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_contact_attempt(
            actor=worker, signal=signal, kind="Telefoon", reached=False,
            date=today + timedelta(days=1), part_of_day="Ochtend",
        )  # fmt: skip
    services.record_result(actor=worker, signal=signal, result=EndResult.OTHER_REASON)
    signal.refresh_from_db()
    assert signal.status == Status.OTHER_REASON and signal.contact_attempts.count() == 1
    body = api.get(f"{URL}/{signal.public_id}").json()
    assert body["status"] == "niet_opgepakt"
    assert "reden" not in str(body).lower()
    with pytest.raises(ValidationError):
        services.record_result(actor=worker, signal=signal, result=EndResult.SELF_PAID)
    services.record_result(actor=worker, signal=routed["urgent"], result=EndResult.SELF_PAID)
    assert api.get(f"{URL}/{routed['urgent'].public_id}").json()["status"] == "opgepakt"


@pytest.mark.django_db
def test_a_signal_links_to_an_open_case_of_its_team_only(routed, world):
    from django.core.exceptions import PermissionDenied

    worker = world["users"][Role.WORKER]
    with pytest.raises(PermissionDenied):
        services.link_case(actor=worker, signal=routed["own"], case=world["case_b"])
    services.link_case(actor=worker, signal=routed["own"], case=world["case_a"])
    routed["own"].refresh_from_db()
    assert routed["own"].case == world["case_a"] and routed["own"].status == Status.PICKED_UP
    with pytest.raises(PermissionDenied):  # not in this worker's queue
        services.link_case(actor=worker, signal=routed["other"], case=world["case_a"])


@pytest.mark.django_db
def test_untouched_signals_past_their_deadline_escalate_to_the_team_lead(routed, world, client):
    lead = world["users"][Role.TEAM_LEAD]
    worker = world["users"][Role.WORKER]
    later = timezone_today() + timedelta(days=8)
    assert [r.signal for r in selectors.escalated(lead, today=later)] == [routed["urgent"]]
    assert selectors.escalated(worker, today=later) == []
    services.record_contact_attempt(
        actor=worker, signal=routed["urgent"], kind="Brief", reached=False,
        date=timezone_today(), part_of_day="Middag",
    )  # fmt: skip
    assert selectors.escalated(lead, today=later) == []
    far = timezone_today() + timedelta(weeks=5)
    assert {r.signal for r in selectors.escalated(lead, today=far)} == {
        routed["own"],
        routed["central"],
    }


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.mark.django_db
def test_the_start_page_lists_the_queue_and_the_escalation(routed, world, client):
    from django.utils import timezone

    lead = world["users"][Role.TEAM_LEAD]
    client.force_login(lead)
    page = client.get("/").content.decode()
    assert "/vroegsignalen/" in page and "Geëscaleerd" not in page
    # The signals arrived eight days ago: the crisis one is overdue, the other is not.
    EarlySignal.objects.update(received_at=timezone.now() - timedelta(days=8))
    page = client.get("/").content.decode()
    assert f"/vroegsignalen/{routed['urgent'].public_id}/" in page
    assert f"/vroegsignalen/{routed['own'].public_id}/" not in page  # not overdue yet


@pytest.mark.django_db
def test_a_bad_form_changes_nothing_and_says_why(routed, world, client):
    client.force_login(world["users"][Role.WORKER])
    url = f"/vroegsignalen/{routed['own'].public_id}/"
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    response = client.post(url, {"action": "result", "result-result": "Opgelost"})
    assert response.status_code == 200
    routed["own"].refresh_from_db()
    assert routed["own"].status == Status.NEW and not routed["own"].end_result
