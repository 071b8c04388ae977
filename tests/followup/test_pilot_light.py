"""The waakvlam (pilot light): after a case closes, a light check-in every 3 or 6 months for as
long as the team chooses. Start, check in and stop through the services (rules: a closed case,
a writer of the case); due check-ins on the task list, the reminder once per due day; the
page and the case page. The clock is a parameter (`today=`), as elsewhere in follow-up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case
from maatwerk.followup import rules, selectors, services
from maatwerk.followup.models import CheckIn, FollowUp, PilotLight
from maatwerk.workspace import selectors as workspace

from ..factories import TeamFactory, user_with_role
from .test_followup_services import approved, org  # noqa: F401


@pytest.fixture
def closed(org):  # noqa: F811
    """A case closed the usual way: its one approved plan's follow-ups all recorded."""
    plan = approved(org, days_ago=400)
    for followup in FollowUp.objects.filter(plan=plan).order_by("due_on"):
        services.record(org["worker"], followup, measured="not_measured", reason="no_contact")
    case = Case.objects.get(pk=plan.case_id)
    assert case.status == Case.Status.CLOSED
    return case


def _code(error) -> str:
    return error.value.code


def test_a_pilot_light_starts_only_on_a_closed_case(org):  # noqa: F811
    with pytest.raises(ValidationError) as e:
        services.start_pilot_light(org["worker"], org["case"], interval_months=3)
    assert _code(e) == "followup.pilot_light_case_open"
    assert not PilotLight.objects.exists()


def test_starting_a_pilot_light(org, closed):  # noqa: F811
    today = timezone.localdate()
    light = services.start_pilot_light(org["worker"], closed, interval_months=3, today=today)
    assert (light.status, light.interval_months, light.started_on) == ("active", 3, today)
    assert light.next_due_on == rules.add_months(today, 3)
    assert AuditEvent.objects.filter(
        object_type="followup.pilotlight", reason="pilot light started"
    ).exists()
    with pytest.raises(ValidationError) as e:  # one active pilot light per case
        services.start_pilot_light(org["worker"], closed, interval_months=6)
    assert _code(e) == "followup.pilot_light_active"


def test_the_interval_is_three_or_six_months(org, closed):  # noqa: F811
    with pytest.raises(ValidationError) as e:
        services.start_pilot_light(org["worker"], closed, interval_months=4)
    assert "interval_months" in e.value.message_dict
    assert not PilotLight.objects.exists()


def test_only_who_may_work_the_case_keeps_its_pilot_light(org, closed):  # noqa: F811
    outsider = user_with_role(Role.WORKER, TeamFactory(organisation=org["team"].organisation))
    for who in (outsider, org["users"][Role.MANAGER], org["users"][Role.DIRECTOR]):
        with pytest.raises(PermissionDenied):
            services.start_pilot_light(who, closed, interval_months=3)
    light = services.start_pilot_light(org["users"][Role.TEAM_LEAD], closed, interval_months=6)
    with pytest.raises(PermissionDenied):
        services.record_check_in(
            outsider, light, checked_on=timezone.localdate(), outcome="going_well"
        )
    with pytest.raises(PermissionDenied):
        services.stop_pilot_light(outsider, light)
    assert PilotLight.objects.get(pk=light.pk).is_active


def test_a_due_check_in_is_on_the_task_list(org, closed):  # noqa: F811
    today = timezone.localdate()
    worker = org["worker"]
    light = services.start_pilot_light(worker, closed, interval_months=3, today=today)
    assert not selectors.check_ins_due_for(worker).exists()
    due_day = light.next_due_on
    assert not selectors.check_ins_due_for(worker, due_day - timedelta(days=1)).exists()
    assert list(selectors.check_ins_due_for(worker, due_day)) == [light]
    # Another worker of the team, not assigned and not the starter: not on their list.
    assert not selectors.check_ins_due_for(org["users"]["worker2"], due_day).exists()
    # The start page shows it once it is due (today, the light moved back in time).
    PilotLight.objects.filter(pk=light.pk).update(next_due_on=today)
    found = [t for t in workspace.tasks(worker) if t.kind == "pilot_light"]
    assert [t.url for t in found] == [reverse("followup:pilot_light", args=[closed.pk])]
    assert found[0].due == today


def test_recording_a_check_in_moves_the_next_one(org, closed):  # noqa: F811
    today = timezone.localdate()
    worker = org["worker"]
    light = services.start_pilot_light(worker, closed, interval_months=6, today=today)
    check_in = services.record_check_in(
        worker,
        light,
        checked_on=today,
        outcome="going_well",
        text="  Werkt nog,\nhuur betaald.  ",
        today=today,
    )
    assert check_in.text == "Werkt nog, huur betaald."  # one line
    light.refresh_from_db()
    assert light.next_due_on == rules.add_months(today, 6)
    event = AuditEvent.objects.get(object_type="followup.checkin", reason="check-in")
    assert event.changes["outcome"] == "going_well"
    assert "Werkt" not in str(event.changes)  # the line of text may describe the household


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"checked_on": None}, "checked_on"),
        ({"checked_on": "tomorrow"}, "checked_on"),
        ({"checked_on": "before"}, "checked_on"),
        ({"outcome": "fine"}, "outcome"),
        ({"text": "x" * 201}, "text"),
    ],
)
def test_a_check_in_is_refused_per_field(org, closed, kwargs, field):  # noqa: F811
    today = timezone.localdate()
    light = services.start_pilot_light(org["worker"], closed, interval_months=3, today=today)
    days = {"tomorrow": today + timedelta(days=1), "before": today - timedelta(days=1)}
    values = {"checked_on": today, "outcome": "going_well", "text": ""} | kwargs
    values["checked_on"] = days.get(values["checked_on"], values["checked_on"])
    with pytest.raises(ValidationError) as e:
        services.record_check_in(org["worker"], light, today=today, **values)
    assert list(e.value.message_dict) == [field]
    assert not CheckIn.objects.exists()


def test_stopping_ends_the_check_ins_and_keeps_the_history(org, closed):  # noqa: F811
    today = timezone.localdate()
    worker = org["worker"]
    light = services.start_pilot_light(worker, closed, interval_months=3, today=today)
    services.record_check_in(worker, light, checked_on=today, outcome="no_contact", today=today)
    services.stop_pilot_light(worker, light, today=today)
    light.refresh_from_db()
    assert (light.status, light.stopped_on, light.stopped_by) == ("stopped", today, worker)
    assert not selectors.check_ins_due_for(worker, today + timedelta(days=400)).exists()
    with pytest.raises(ValidationError) as e:
        services.record_check_in(worker, light, checked_on=today, outcome="going_well")
    assert _code(e) == "followup.pilot_light_stopped"
    # The team may start it again; the stopped one stays with its check-in.
    again = services.start_pilot_light(worker, closed, interval_months=6)
    assert [p.pk for p in selectors.pilot_lights_of(closed)] == [again.pk, light.pk]
    assert light.check_ins.count() == 1


def test_a_reopened_case_has_no_check_ins_due(org, closed):  # noqa: F811
    worker = org["worker"]
    light = services.start_pilot_light(worker, closed, interval_months=3)
    case_services.reopen_case(actor=worker, case=closed)
    assert not selectors.check_ins_due_for(worker, light.next_due_on).exists()
    with pytest.raises(ValidationError) as e:
        services.record_check_in(
            worker, light, checked_on=timezone.localdate(), outcome="needs_help"
        )
    assert _code(e) == "followup.pilot_light_case_open"


def test_the_reminder_goes_out_once_per_due_day(org, closed):  # noqa: F811
    worker = org["worker"]
    today = timezone.localdate()
    light = services.start_pilot_light(worker, closed, interval_months=3, today=today)
    mail.outbox.clear()
    assert services.send_reminders(light.next_due_on - timedelta(days=1)) == 0
    assert services.send_reminders(light.next_due_on) == 1
    assert services.send_reminders(light.next_due_on) == 0  # idempotent
    (message,) = mail.outbox
    assert message.to == [worker.email]
    assert f"/vervolg/waakvlam/{closed.pk}/" in message.body
    assert closed.household.reference not in message.subject + message.body
    # A check-in moves the day: the next due day gets its reminder again.
    due = light.next_due_on
    services.record_check_in(worker, light, checked_on=due, outcome="going_well", today=due)
    light.refresh_from_db()
    assert light.reminded_at is None
    assert services.send_reminders(light.next_due_on) == 1


# --- pages --------------------------------------------------------------------------------------


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("followup:pilot_light", args=[case.pk]))


def test_the_page_starts_a_pilot_light_with_errors_inline(client, org, closed):  # noqa: F811
    url = reverse("followup:pilot_light", args=[closed.pk])
    response = _page(client, org["worker"], closed)
    assert response.status_code == 200
    assert 'id="start-form"' in response.content.decode()
    response = client.post(url, {"action": "start"})
    assert response.status_code == 400
    assert 'id="id_interval_months_error"' in response.content.decode()
    response = client.post(url, {"action": "start", "interval_months": "6"})
    assert response.status_code == 302
    light = PilotLight.objects.get(case=closed)
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "action": "check_in",
            "checked_on_day": str(today.day),
            "checked_on_month": str(today.month),
            "checked_on_year": str(today.year),
            "text": "Gaat goed.",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_outcome_error"' in body and 'value="Gaat goed."' in body  # nothing lost
    assert 'id="id_checked_on_error"' not in body
    response = client.post(
        url,
        {
            "action": "check_in",
            "checked_on_day": str(today.day),
            "checked_on_month": str(today.month),
            "checked_on_year": str(today.year),
            "outcome": "going_well",
            "text": "Gaat goed.",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert light.check_ins.get().text == "Gaat goed."
    case_page = client.get(reverse("cases:detail", args=[closed.pk])).content.decode()
    assert 'id="pilot-light"' in case_page and "Gaat goed." in case_page
    assert client.post(url, {"action": "stop"}).status_code == 302
    assert PilotLight.objects.get(pk=light.pk).status == "stopped"


def test_readers_see_the_pilot_light_without_forms(client, org, closed):  # noqa: F811
    services.start_pilot_light(org["worker"], closed, interval_months=3)
    manager = org["users"][Role.MANAGER]
    body = _page(client, manager, closed).content.decode()
    assert 'id="pilot-light-status"' in body and "check-in-form" not in body
    response = client.post(reverse("followup:pilot_light", args=[closed.pk]), {"action": "stop"})
    assert response.status_code == 403
    other = user_with_role(Role.WORKER, TeamFactory())
    assert _page(client, other, closed).status_code == 404


def test_an_open_case_page_shows_no_pilot_light(client, org):  # noqa: F811
    client.force_login(org["worker"])
    body = client.get(reverse("cases:detail", args=[org["case"].pk])).content.decode()
    assert 'id="pilot-light"' not in body


def test_needs_help_again_offers_to_reopen_the_case(client, org, closed):  # noqa: F811
    """A check-in "needs help again" leads to reopening the case (the case service does it)."""
    services.start_pilot_light(org["worker"], closed, interval_months=3)
    url = reverse("followup:pilot_light", args=[closed.pk])
    today = timezone.localdate()
    client.force_login(org["worker"])
    assert 'id="reopen-form"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "check_in",
            "checked_on_day": str(today.day),
            "checked_on_month": str(today.month),
            "checked_on_year": str(today.year),
            "outcome": "needs_help",
            "text": "Nieuwe schuld.",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#needs-help")
    body = client.get(url).content.decode()
    assert "heeft weer hulp nodig" in body.lower()
    reopen = reverse("cases:reopen", args=[closed.pk])
    assert f'action="{reopen}"' in body
    # A reader of the case sees no button.
    assert (
        'id="reopen-form"' not in _page(client, org["users"][Role.MANAGER], closed).content.decode()
    )
    client.force_login(org["worker"])
    response = client.post(reopen, follow=True)
    closed.refresh_from_db()
    assert closed.status == Case.Status.OPEN
    # Walk finding: the waakvlam stayed "active" beside the open case. It stops, and says so.
    light = PilotLight.objects.get(case=closed)
    assert light.status == PilotLight.Status.STOPPED and light.stopped_by == org["worker"]
    assert "De waakvlam is gestopt" in response.content.decode()
    assert AuditEvent.objects.filter(reason="pilot light stopped: case reopened").count() == 1
    assert 'id="reopen-form"' not in client.get(url).content.decode()  # open: nothing to offer
