"""The whole acceptance journey of issue 12, in a real browser on the demo data, by keyboard.

The approved demo plan of DEMO-0001 needs the Toeslagen office to stop an offset. The worker
records the request with the resident's consent (sent three weeks ago, so the answer was due a
week ago: time moved on, and the request is overdue), logs two calls, finds the request on her
start page, escalates it to the Landelijk Maatwerkloket (an addressee of the other route is
refused on the form, also at 320 px), downloads the referral PDF (a PDF, without a BSN),
records the answer "agreed", and the plan goes on: the plan shows the time spent, the request
is no longer overdue but "geëscaleerd – akkoord", its task is gone, the case timeline tells
what happened, and the figures per organisation (policy) count the request and the minutes.

Two more overdue requests of the case go through the request services beforehand, so that
Toeslagen passes the small-number limit of the figures (five requests).

Set MAATWERK_SCREENSHOTS=<dir> to keep screenshots of the pages at 1280 and 320 px.
"""

import datetime
import io

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.accounts.models import User
from maatwerk.cooperation import services as cooperation
from maatwerk.cooperation.models import CooperationRequest, Referral
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.demo.referrals import OVERDUE_QUESTION
from maatwerk.plans.models import Plan

from .conftest import PDF_WAIT_MS, assert_accessible, login
from .test_demo_routing import demo, shoot, signed_in  # noqa: F401 (fixture)
from .test_plan_flow import choose, follow, send, tick, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "Zet de verrekening van de toeslag met de belastingschuld stop zolang het plan loopt."
SCOPE = "De beschikking kinderopvangtoeslag en het maatwerkplan; niets over andere schulden."
REASON = "Toeslagen reageert niet; de verrekening loopt door en zij dreigt haar baan te verliezen."
OUTCOME = "Toeslagen stopt de verrekening per de volgende maand."
DESK = "Landelijk Maatwerkloket"
TABLE = "Doorbraaktafel regio Wadwijk (demo)"


def _more_overdue_requests(case, worker, toeslagen, n=2):
    sent_on = timezone.localdate() - datetime.timedelta(days=30)
    for _ in range(n):
        cooperation.create_request(
            worker,
            case=case,
            organisation=toeslagen,
            question="Kwijtschelding van de schuld.",
            consent_on=sent_on,
            consent_scope="De schuld en het maatwerkplan.",
            send=True,
            sent_on=sent_on,
            due_on=sent_on + datetime.timedelta(days=14),
        )


def _no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll})"


def test_request_overdue_escalated_answered_and_counted(
    page,
    browser,
    browser_context_args,
    live_server,
    demo,  # noqa: F811
):
    demo_request = CooperationRequest.objects.get(question=OVERDUE_QUESTION)
    plan = demo_request.plan
    assert plan.status == Plan.Status.APPROVED
    worker = User.objects.get(username="werker")
    _more_overdue_requests(plan.case, worker, demo_request.organisation)
    before = set(CooperationRequest.objects.values_list("pk", flat=True))
    bsns = [r.bsn_plain() for r in plan.case.household.residents.all() if r.has_bsn]
    assert bsns, "the demo household has residents with a BSN"
    today = timezone.localdate()
    sent_on = today - datetime.timedelta(days=21)

    # 1. From the approved plan, the worker records the request with the resident's consent,
    # sent three weeks ago: the answer (due 14 days after sending) is overdue.
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    follow(page, "Nieuw verzoek aan een organisatie")
    choose(page, "#id_organisation", "Belastingdienst/Toeslagen")
    type_into(page, "#id_question", QUESTION)
    type_date(page, "#id_consent_on", sent_on - datetime.timedelta(days=1))
    type_into(page, "#id_consent_scope", SCOPE)
    tick(page, "#id_send")
    type_date(page, "#id_sent_on", sent_on)
    send(page, "Verzoek vastleggen")
    coop = CooperationRequest.objects.exclude(pk__in=before).get()
    assert (coop.plan, coop.status, coop.consent_on) == (
        plan,
        "sent",
        sent_on - datetime.timedelta(days=1),
    )
    assert coop.due_on == sent_on + datetime.timedelta(days=14) < today
    expect(page.locator("#consent")).to_contain_text("De beschikking kinderopvangtoeslag")
    expect(page.locator("#request-status")).to_contain_text("te laat")

    # 2. Two calls, with the minutes they took.
    for minutes, note in (("25", "Wachtrij, teruggebeld"), ("35", "Behandelaar gesproken")):
        type_into(page, "#id_minutes", minutes)
        type_into(page, "#id_note", note)
        send(page, "Contact toevoegen")
        expect(page.locator(".om-messages")).to_contain_text("Het contact is toegevoegd")
    expect(page.locator("#request-time")).to_contain_text("1 u")
    expect(page.locator("#contacts tbody tr")).to_have_count(2)

    # 3. The overdue request is a task on her start page; she opens it from there.
    page.goto(f"{live_server.url}/")
    link = page.locator(f"a[href='/samenwerking/verzoeken/{coop.pk}/']")
    task = page.locator(".om-task--overdue_request", has=link)
    expect(task).to_contain_text("Geen antwoord van Belastingdienst/Toeslagen")
    expect(task).to_contain_text("te laat")
    task.get_by_role("link").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow(page, "Escaleren buiten de organisatie")

    # 4. The escalation form: route Landelijk Maatwerkloket with the doorbraaktafel as
    # addressee is refused on the addressee field; at 320 px too, without sideways scrolling.
    expect(page.locator("h1")).to_have_text("Escaleren buiten de organisatie")
    tick(page, "input[name=route][value=national_desk]")
    choose(page, "#id_to", TABLE)
    type_into(page, "#id_reason", REASON)
    send(page, "Escaleren en doorverwijzing maken")
    field = page.locator(".om-field:has(#id_to)")
    expect(field).to_contain_text("niet een regionale doorbraaktafel")
    expect(page.locator("#id_to")).to_have_attribute("aria-invalid", "true")
    assert not Referral.objects.filter(request=coop).exists()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    expect(field).to_be_visible()
    _no_sideways_scroll(page, 320)
    assert_accessible(page)
    shoot(page, "journey-escalate-refused")
    page.set_viewport_size({"width": 1280, "height": 800})
    choose(page, "#id_to", DESK)
    send(page, "Escaleren en doorverwijzing maken")
    referral = Referral.objects.get(request=coop)
    assert (referral.route, referral.to.name) == ("national_desk", DESK)
    expect(page.locator(".om-messages")).to_contain_text("De casus is geëscaleerd")

    # 5. The referral document: a PDF, without a BSN.
    with page.expect_download(timeout=PDF_WAIT_MS) as download:
        page.get_by_role("link", name="Doorverwijzing downloaden (pdf)").click()
    with open(download.value.path(), "rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-")
    text = "".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "Toeslagen" in text
    for number in bsns:
        assert number not in flat and number.encode() not in pdf

    # 6. The route agreed.
    tick(page, "input[name=answer][value=agreed]")
    type_into(page, "#id_outcome", OUTCOME)
    send(page, "Antwoord vastleggen")
    expect(page.locator(".om-messages")).to_contain_text("Het antwoord van de route is vastgelegd")
    referral.refresh_from_db()
    assert (referral.status, referral.answer) == ("answered", "agreed")

    # 7. The plan goes on: it shows the time spent, the escalated request (named in the trail)
    # and its state "geëscaleerd – akkoord" instead of overdue.
    follow(page, "Terug naar het maatwerkplan")
    expect(page.locator("#time-spent")).to_contain_text("1 u")
    row = page.locator("#requests tbody tr", has=page.locator(f"a[href$='/{coop.pk}/']"))
    expect(row).to_contain_text("geëscaleerd – akkoord")
    expect(row).not_to_contain_text("te laat")
    trail = page.locator("#decision .om-referral-list li", has_text=f"Doorverwijzing {referral.pk}")
    expect(trail).to_contain_text("Zet de verrekening van de toeslag")
    expect(trail).to_contain_text(OUTCOME)
    assert_accessible(page)
    shoot(page, "journey-plan")
    page.goto(f"{live_server.url}/samenwerking/verzoeken/{coop.pk}/")
    expect(page.locator("#request-status")).to_contain_text("geëscaleerd – akkoord")
    expect(page.locator("#request-status")).not_to_contain_text("te laat")
    assert_accessible(page)
    shoot(page, "journey-request")

    # 8. The task is gone from the start page (the demo's own overdue request stays).
    page.goto(f"{live_server.url}/")
    expect(page.locator(".om-task--overdue_request", has=link)).to_have_count(0)
    demo_link = page.locator(f"a[href='/samenwerking/verzoeken/{demo_request.pk}/']")
    expect(page.locator(".om-task--overdue_request", has=demo_link)).to_have_count(1)

    # 9. The case timeline tells what happened.
    page.goto(f"{live_server.url}/casussen/{plan.case_id}/")
    timeline = page.locator(".om-timeline")
    for words in ("Verzoek verstuurd", "telefoon, 25 min", "telefoon, 35 min"):
        expect(timeline).to_contain_text(words)
    expect(timeline).to_contain_text("Escalatie beantwoord")
    expect(timeline).to_contain_text("Landelijk Maatwerkloket: akkoord")
    assert_accessible(page)
    shoot(page, "journey-case")

    # 10. Policy's figures per organisation count the request and the minutes: five requests
    # (the demo's two, the two above, this one), three still overdue (this one no longer),
    # two escalated, one refused, an hour of the teams' time.
    with signed_in(browser, browser_context_args, live_server, "beleid") as bpage:
        bpage.goto(f"{live_server.url}/signalen/organisaties/")
        row = bpage.locator("tbody tr", has_text="Belastingdienst/Toeslagen")
        expect(row.locator("[data-label=Verzoeken]")).to_have_text("5")
        expect(row.locator("[data-label='Termijn verstreken']")).to_have_text("3")
        expect(row.locator("[data-label=Geëscaleerd]")).to_have_text("2")
        expect(row.locator("[data-label=Geweigerd]")).to_have_text("1")
        expect(row.locator("[data-label='Uren van de teams']")).to_have_text("1,0")
        expect(bpage.locator("main")).not_to_contain_text("DEMO-0001")
        assert_accessible(bpage)
        shoot(bpage, "journey-figures")
