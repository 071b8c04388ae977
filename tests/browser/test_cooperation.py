"""Getting it done with another organisation (issue 12), in a real browser on the demo data,
with the keyboard only.

The worker opens an approved demo plan that needs the Toeslagen office to stop an offset,
records the request with the resident's consent (sent three weeks ago, so the answer was due a
week ago: time moved on), logs two calls, finds the request overdue on her start page, records
the answer "agreed", and the plan shows the time spent. axe finds nothing on the new pages, at
1280 and at 320 px.

Set ``MAATWERK_SCREENSHOT_DIR`` to a directory to keep screenshots of the pages there.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.cooperation.models import CooperationRequest
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.plans.models import Plan

from .conftest import assert_accessible, load_demo_data, login
from .test_plan_flow import choose, follow, send, tick, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "Stop de verrekening van de kinderopvangtoeslag met de oude belastingschuld."
SCOPE = "Naam, BSN en de beschikking kinderopvangtoeslag; niets over de schulden bij anderen."


def _shot(page, name: str) -> None:
    """Screenshots at 1280 and 320 px, and no sideways scrolling on a phone."""
    target = os.environ.get("MAATWERK_SCREENSHOT_DIR")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        if target:
            page.screenshot(path=str(Path(target) / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} scrolls sideways at {width} px ({overflow})"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_request_to_toeslagen_from_plan_to_answer(page, live_server):
    load_demo_data()
    plan = Plan.objects.filter(
        case__household__reference="DEMO-0001", status=Plan.Status.APPROVED
    ).get()
    today = timezone.localdate()
    sent_on = today - timedelta(days=21)
    # The demo already holds the plan's earlier requests to Toeslagen (maatwerk.demo.referrals:
    # one refused and escalated, one overdue); this journey adds one of its own.
    demo_requests = set(CooperationRequest.objects.filter(plan=plan).values_list("pk", flat=True))

    # 1. The worker opens the approved plan and starts a request from it.
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    expect(page.locator("#requests")).to_contain_text(f"{len(demo_requests)} verzoeken")
    follow(page, "Nieuw verzoek aan een organisatie")
    assert_accessible(page)

    # 2. To Toeslagen, with the resident's consent, sent three weeks ago (due date by default).
    choose(page, "#id_organisation", "Belastingdienst/Toeslagen")
    type_into(page, "#id_question", QUESTION)
    type_date(page, "#id_consent_on", sent_on - timedelta(days=1))
    type_into(page, "#id_consent_scope", SCOPE)
    tick(page, "#id_send")
    type_date(page, "#id_sent_on", sent_on)
    _shot(page, "cooperation-new")
    send(page, "Verzoek vastleggen")
    coop = CooperationRequest.objects.filter(plan=plan).exclude(pk__in=demo_requests).get()
    assert (coop.plan, coop.status, coop.sent_on) == (plan, "sent", sent_on)
    assert coop.due_on == sent_on + timedelta(days=14)
    expect(page.locator("#consent")).to_contain_text("Naam, BSN")
    expect(page.locator("#request-status")).to_contain_text("te laat")

    # 3. Two calls, one quick line each.
    for minutes, note in (("25", "Wachtrij, teruggebeld"), ("15", "Behandelaar gesproken")):
        type_into(page, "#id_minutes", minutes)
        type_into(page, "#id_note", note)
        send(page, "Contact toevoegen")
        expect(page.locator("main")).to_contain_text("Het contact is toegevoegd")
    expect(page.locator("#request-time")).to_contain_text("40 min")
    expect(page.locator("#contacts tbody tr")).to_have_count(2)
    assert_accessible(page)
    _shot(page, "cooperation-request-overdue")

    # 4. The start page lists it, overdue, with its due date (beside the demo's overdue one).
    page.goto(f"{live_server.url}/")
    link = page.locator(f"a[href='/samenwerking/verzoeken/{coop.pk}/']")
    task = page.locator(".om-task--overdue_request", has=link)
    expect(task).to_contain_text("Geen antwoord van Belastingdienst/Toeslagen")
    expect(task).to_contain_text("te laat")
    assert_accessible(page)
    _shot(page, "cooperation-start")
    task.get_by_role("link").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 5. Toeslagen agrees.
    tick(page, "#id_answer_0")
    send(page, "Antwoord vastleggen")
    coop.refresh_from_db()
    assert (coop.status, coop.answer) == ("answered", "agreed")
    expect(page.locator("#answer")).to_contain_text("akkoord")
    assert_accessible(page)
    _shot(page, "cooperation-request-answered")
    page.goto(f"{live_server.url}/")
    expect(page.locator(".om-task--overdue_request", has=link)).to_have_count(0)

    # 6. The plan goes on, and shows the request and the time spent.
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    requests = page.locator("#requests")
    expect(requests).to_contain_text("Belastingdienst/Toeslagen")
    expect(requests).to_contain_text("akkoord")
    expect(page.locator("#time-spent")).to_contain_text("40 min")
    assert_accessible(page)
    _shot(page, "cooperation-plan")


def _in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
    )


def test_refusals_on_the_request_page_are_seen(page, live_server):
    """Walk findings 1 and 10: a refused due date opens its folded section and the error
    summary there takes the focus, with the typed date kept; the minutes error goes under the
    contact row without breaking it, and after a contact is added on a phone the success
    message is in view."""
    load_demo_data()
    coop = CooperationRequest.objects.filter(status="sent", sent_on__isnull=False).first()
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/verzoeken/{coop.pk}/")

    page.get_by_text("Termijn wijzigen", exact=True).first.focus()
    page.keyboard.press("Enter")
    before = coop.sent_on - timedelta(days=2)
    for n in range(3):  # the current due date is filled in
        page.fill(f"#id_due_on_{n}", "")
    type_date(page, "#id_due_on", before)
    send(page, "Termijn wijzigen")
    expect(page.locator("details.om-confirm[open] #error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("vóór het versturen")
    assert page.input_value("#id_due_on_0") == str(before.day)
    assert_accessible(page)
    _shot(page, "cooperation-due-date-refused")

    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server.url}/samenwerking/verzoeken/{coop.pk}/")
    type_into(page, "#id_minutes", "0")
    send(page, "Contact toevoegen")
    errors = page.locator("#contact-errors")
    expect(errors).to_contain_text("Vul het aantal minuten in: minstens 1, hoogstens 1440.")
    # Under the row, not squeezed into the narrow minutes field.
    expect(page.locator(".om-field:has(#id_minutes) .errorlist")).to_be_hidden()
    assert_accessible(page)
    _shot(page, "cooperation-contact-refused")

    page.set_viewport_size({"width": 320, "height": 700})
    type_into(page, "#id_minutes", "10")
    send(page, "Contact toevoegen")
    expect(page.locator(".om-messages")).to_contain_text("Het contact is toegevoegd")
    assert _in_viewport(page, ".om-messages")
