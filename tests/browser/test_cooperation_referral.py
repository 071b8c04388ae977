"""Escalation of one case beyond the organisation, in a real browser on the demo data (issue
12, points 3 and 4).

The approved demo plan of DEMO-0001 needs Toeslagen to stop an offset. Its request went
overdue; the worker escalates it to the Landelijk Maatwerkloket, downloads the referral PDF,
records the answer "agreed", and reads the referral and its outcome in the plan's decision
trail. The policy analyst then finds the per-organisation figures counting it. Keyboard only,
axe on each page.

The demo's requests (maatwerk.demo.referrals) and the three extra overdue requests here go
through the request services (consent recorded, sent in the past, the due date passed).

Set MAATWERK_SCREENSHOTS=<dir> to keep screenshots of the pages at 1280 and 320 px.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maatwerk.accounts.models import User
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import services as cooperation
from maatwerk.cooperation.models import CooperationRequest, Referral
from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.demo.referrals import OVERDUE_QUESTION
from maatwerk.plans.models import Plan

from .conftest import PDF_WAIT_MS, assert_accessible, login
from .test_demo_routing import demo, shoot, signed_in  # noqa: F401 (fixture)
from .test_plan_flow import follow, send, tick, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Toeslagen reageert niet; de verrekening loopt door en zij dreigt haar baan te verliezen."
OUTCOME = "Toeslagen stopt de verrekening per de volgende maand."


def _overdue_request(case, worker, toeslagen):
    """Another overdue request of the case (without a plan), made through the request
    services (consent recorded, sent three weeks ago, due a week ago), so that Toeslagen passes
    the small-number limit of the figures."""
    sent_on = timezone.localdate() - datetime.timedelta(days=21)
    return cooperation.create_request(
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


def test_an_overdue_request_is_escalated_and_counted(
    page,
    browser,
    browser_context_args,
    live_server,
    demo,  # noqa: F811
):
    # The demo's approved plan of DEMO-0001 waits for Toeslagen, whose answer is overdue.
    request = CooperationRequest.objects.get(question=OVERDUE_QUESTION)
    plan = request.plan
    assert request.is_overdue() and plan.status == Plan.Status.APPROVED
    worker = User.objects.get(username="werker")
    for _ in range(3):  # on the same case (the worker's own), without a plan
        _overdue_request(request.case, worker, request.organisation)

    # 1. The overdue request's own page offers escalation beyond the organisation, and so does
    # the plan page, where the worker starts.
    login(page, live_server, "werker", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/verzoeken/{request.pk}/")
    expect(page.locator("#request-status")).to_contain_text("te laat")
    block = page.locator("section[aria-labelledby=referrals-heading]")
    expect(block.get_by_role("link", name="Escaleren buiten de organisatie")).to_be_visible()
    assert_accessible(page)
    shoot(page, "request-overdue")
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    trail = page.locator(".om-referrals")
    expect(trail).to_contain_text("Het verzoek aan Belastingdienst/Toeslagen ‘Stop de verrekening")
    expect(trail).to_contain_text("is over de termijn")
    assert_accessible(page)
    follow(page, "Escaleren buiten de organisatie")

    # 2. The worker chooses the Landelijk Maatwerkloket and says why.
    expect(page.locator("h1")).to_have_text("Escaleren buiten de organisatie")
    assert_accessible(page)
    shoot(page, "escalate")
    tick(page, "input[name=route][value=national_desk]")
    type_into(page, "#id_reason", REASON)
    send(page, "Escaleren en doorverwijzing maken")
    referral = Referral.objects.get(request=request)
    expect(page.locator(".om-messages")).to_contain_text("De casus is geëscaleerd")
    expect(page.locator("main")).to_contain_text(REASON)
    assert_accessible(page)

    # 3. The referral document downloads as a PDF, and the download is audited.
    with page.expect_download(timeout=PDF_WAIT_MS) as download:
        page.get_by_role("link", name="Doorverwijzing downloaden (pdf)").click()
    path = download.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(
        action="export", object_type="cooperation.referral", object_id=str(referral.pk)
    ).exists()

    # 4. The route agreed: the worker records the answer and its outcome.
    tick(page, "input[name=answer][value=agreed]")
    type_into(page, "#id_outcome", OUTCOME)
    send(page, "Antwoord vastleggen")
    expect(page.locator(".om-messages")).to_contain_text("Het antwoord van de route is vastgelegd")
    expect(page.locator("#answer")).to_contain_text(OUTCOME)
    assert_accessible(page)
    shoot(page, "referral-answered")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED and referral.answer == "agreed"

    # 5. The plan's decision trail shows the referral and its answer; nothing left to escalate.
    follow(page, "Terug naar het maatwerkplan")
    trail = page.locator("#decision .om-referrals")
    expect(trail).to_contain_text(f"Doorverwijzing {referral.pk}")
    expect(trail).to_contain_text(OUTCOME)
    expect(page.get_by_role("link", name="Escaleren buiten de organisatie")).to_have_count(0)
    assert_accessible(page)
    shoot(page, "plan-trail")

    # 6. The policy analyst's figures per organisation count it: the demo's two requests and
    # the three others, 3 of them overdue (the escalated one, answered "agreed", no longer is),
    # 2 escalated (the demo's refused one went to the doorbraaktafel), and never a case or a
    # name.
    with signed_in(browser, browser_context_args, live_server, "beleid") as bpage:
        follow(bpage, "Signalen")  # the signal report, which links the figures per organisation
        follow(bpage, "Verzoeken aan buitenorganisaties, per organisatie")
        row = bpage.locator("tbody tr", has_text="Belastingdienst/Toeslagen")
        expect(row.locator("[data-label=Verzoeken]")).to_have_text("5")
        # An answered escalation ends "overdue" (cooperation.selectors.overdue_q): 3, not 4.
        expect(row.locator("[data-label='Termijn verstreken']")).to_have_text("3")
        # Escalated, and of those how many the route agreed to (this one; the demo's: open).
        expect(row.locator("[data-label^=Geëscaleerd]")).to_have_text("2 (1 akkoord)")
        expect(row.locator("[data-label=Geweigerd]")).to_have_text("1")
        expect(row).to_contain_text("Toeslag verrekend met (belasting)schuld")
        expect(bpage.locator("main")).not_to_contain_text("Wendy")
        expect(bpage.locator("main")).not_to_contain_text("DEMO-0001")
        assert_accessible(bpage)
        shoot(bpage, "figures")
