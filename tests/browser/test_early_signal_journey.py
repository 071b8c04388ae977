"""The acceptance journey of issue 15, item 4, in a real browser, at 1280 and at 320 px.

A landlord's signal arrives through the partner API (a token issued through the real services),
lands in the queue of the team whose postcode area holds it, the team's worker opens it (its
read audited, its person data shown), opens a case from it by keyboard, and the partner's
GET then answers "opgepakt". Another team's worker never sees it.

Screenshots of the queue and the signal at both widths go to MAATWERK_SCREENSHOTS when set.
"""

import json
import os
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.api import services as api_services
from maatwerk.audit.models import AuditEvent
from maatwerk.partners import services as partners
from maatwerk.partners.models import EarlySignal, PostcodeArea, Status
from tests.factories import PASSWORD, TeamFactory, user_with_role
from tests.partners.conftest import rent_signal

from .conftest import assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("MAATWERK_SCREENSHOTS")


def _api(live_server, secret, method, path, body=None):
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        f"{live_server.url}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (the test's own server)
        return response.status, json.loads(response.read())


def _shoot(page, name, width):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_partner_signal_reaches_the_team_and_becomes_a_case(page, live_server, width):
    noord = TeamFactory(name="Wijkteam Noord")
    zuid = TeamFactory(organisation=noord.organisation, name="Wijkteam Zuid")
    admin = user_with_role(Role.ADMIN, noord)
    worker = user_with_role(Role.WORKER, noord)
    other_worker = user_with_role(Role.WORKER, zuid)
    for team, (start, end) in ((noord, (8880, 8889)), (zuid, (8890, 8899))):
        PostcodeArea.objects.create(
            organisation=noord.organisation, team=team, start=start, end=end
        )
    partner = partners.create_partner(
        actor=admin, organisation=noord.organisation, name="Woonstichting De Wadden", type="Huur"
    )
    secret = api_services.issue_token(actor=admin, client=partner.api_client)[1]

    # 1. The landlord sends a crisis signal about 8881 AB: 201, not picked up yet.
    status, body = _api(
        live_server, secret, "POST", "/api/v1/vroegsignalen", rent_signal(1, crisissignaal=True)
    )
    assert status == 201 and body["status"] == "nog_niet_opgepakt"
    signal = EarlySignal.objects.get(public_id=body["id"])
    assert signal.team == noord

    # 2. The other team's worker does not see it.
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, other_worker.username, PASSWORD)
    page.goto(f"{live_server.url}/vroegsignalen/")
    expect(page.locator("#signal-queue")).to_have_count(0)
    page.context.clear_cookies()

    # 3. The team's worker finds it in the menu, urgent, due in 3 working days.
    login(page, live_server, worker.username, PASSWORD)
    if width < 600:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Vroegsignalen", exact=True).first.click()
    row = page.locator(f"tr[data-signal='{signal.public_id}']")
    expect(row).to_contain_text("Woonstichting De Wadden")
    expect(row).to_contain_text("crisis")
    expect(page.locator("main")).not_to_contain_text("8881")  # no person data in the list
    _shoot(page, "queue", width)
    assert_accessible(page)

    # 4. It opens the signal: the person data shows, and the read is audited.
    row.get_by_role("link", name="Woonstichting De Wadden").click()
    expect(page.locator("#signal-facts")).to_contain_text("8881AB")
    assert AuditEvent.objects.filter(
        actor=worker, action="view", object_type="partners.earlysignal", object_id=str(signal.pk)
    ).exists()
    _shoot(page, "signal", width)
    assert_accessible(page)

    # 5. It opens a case from it, by keyboard.
    page.get_by_label("Voornaam").fill("Sam")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_role("button", name="Casus openen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Casus geopend vanuit het signaal.")
    signal.refresh_from_db()
    assert signal.status == Status.PICKED_UP and signal.case.team == noord
    assert page.url.endswith(f"/casussen/{signal.case.pk}/")
    _shoot(page, "case", width)

    # 6. The partner reads "opgepakt", and nothing about the household.
    status, body = _api(live_server, secret, "GET", f"/api/v1/vroegsignalen/{signal.public_id}")
    assert status == 200 and body["status"] == "opgepakt"
    assert "Jansen" not in json.dumps(body) and "8881" not in json.dumps(body)

    # 7. The queue is empty again.
    page.goto(f"{live_server.url}/vroegsignalen/")
    expect(page.locator("main")).to_contain_text("Er wachten geen signalen.")
