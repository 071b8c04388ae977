"""Browser journey (issue 13, point 4): after the case closed, the worker starts its waakvlam
from the case page with the keyboard (a missing choice is shown next to it), and a check-in
that comes due (the pilot light started in the past through the service: the clock is a
parameter) appears on the start page's task list; the worker records it from there. The pages
pass axe and do not scroll sideways. Screenshots go to MAATWERK_SCREENSHOT_DIR when set."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.cases.models import Case
from maatwerk.followup import services as followup_services
from maatwerk.followup.models import CheckIn, FollowUp, PilotLight

from ..factories import PASSWORD
from .conftest import assert_accessible, login
from .followup_world import approved_plan, build_team
from .test_followup import _fits, _shot
from .test_plan_flow import follow, send, tick, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def closed():
    """A case closed the usual way: its plan (approved 400 days ago, action carried out on the
    approval day, so all three follow-ups are due) with its follow-ups all recorded."""
    world = build_team()
    world["plan"] = approved_plan(world, days_ago=400, paid="1500")
    for followup in FollowUp.objects.filter(plan=world["plan"]).order_by("due_on"):
        followup_services.record(
            world["worker"], followup, measured="not_measured", reason="no_contact"
        )
    case = Case.objects.get(pk=world["plan"].case_id)
    assert case.status == Case.Status.CLOSED
    return {"worker": world["worker"], "case": case}


@pytest.mark.parametrize("width", [1280, 390])
def test_worker_starts_the_pilot_light_from_the_closed_case(page, live_server, closed, width):
    page.set_viewport_size({"width": width, "height": 900})
    case = closed["case"]
    login(page, live_server, closed["worker"].username, PASSWORD)
    page.goto(f"{live_server.url}/casussen/{case.pk}/")
    expect(page.locator("#pilot-light")).to_contain_text("Geen waakvlam")
    _shot(page, f"pilot-light-case-closed-{width}")
    follow(page, "Waakvlam starten")
    expect(page.locator("#start-form")).to_be_visible()
    assert_accessible(page)
    send(page, "Waakvlam starten")  # no choice: the error next to the field, nothing started
    expect(page.locator("#id_interval_months_error")).to_be_visible()
    assert not PilotLight.objects.exists()
    _shot(page, f"pilot-light-start-errors-{width}")
    tick(page, "#id_interval_months_0")
    send(page, "Waakvlam starten")
    expect(page.locator("#pilot-light-status")).to_contain_text("actief")
    expect(page.locator("#pilot-light-status")).to_contain_text("elke drie maanden")
    assert_accessible(page)
    _shot(page, f"pilot-light-active-{width}")
    _fits(page, width)
    page.set_viewport_size({"width": 320, "height": 900})
    _fits(page, 320)
    light = PilotLight.objects.get(case=case)
    assert (light.interval_months, light.status) == (3, "active")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_due_check_in_is_recorded_from_the_task_list(page, live_server, closed, width):
    page.set_viewport_size({"width": width, "height": 900})
    case, worker = closed["case"], closed["worker"]
    started = timezone.localdate() - timedelta(days=100)
    followup_services.start_pilot_light(worker, case, interval_months=3, today=started)
    login(page, live_server, worker.username, PASSWORD)
    task = page.locator(".om-task--pilot_light")
    expect(task).to_have_count(1)
    _shot(page, f"pilot-light-task-{width}")
    _fits(page, width)
    follow(page, task.locator("a").inner_text())
    expect(page.locator("#check-in-form")).to_be_visible()
    assert_accessible(page)
    type_into(page, "#id_text", "Werkt nog, huur op tijd betaald.")
    send(page, "Contactmoment vastleggen")  # no outcome chosen: shown inline, the line kept
    expect(page.locator("#id_outcome_error")).to_be_visible()
    expect(page.locator("#id_text")).to_have_value("Werkt nog, huur op tijd betaald.")
    _shot(page, f"pilot-light-check-in-errors-{width}")
    _fits(page, width)
    tick(page, "#id_outcome_0")
    send(page, "Contactmoment vastleggen")
    expect(page.locator("#active")).to_contain_text("Werkt nog, huur op tijd betaald.")
    _shot(page, f"pilot-light-checked-in-{width}")
    check_in = CheckIn.objects.get()
    assert (check_in.outcome, check_in.checked_on) == ("going_well", timezone.localdate())
    page.goto(f"{live_server.url}/")
    expect(page.locator(".om-task--pilot_light")).to_have_count(0)
    page.goto(f"{live_server.url}/casussen/{case.pk}/#pilot-light")
    expect(page.locator("#pilot-light")).to_contain_text("Werkt nog, huur op tijd betaald.")
    assert_accessible(page)
    if os.environ.get("MAATWERK_SCREENSHOT_DIR"):
        target = Path(os.environ["MAATWERK_SCREENSHOT_DIR"]) / f"pilot-light-section-{width}.png"
        page.locator("#pilot-light").screenshot(path=str(target))
    _fits(page, width)
