"""Collective patterns (issue 14, point 5) in the browser: a team lead opens the collective
patterns from the signal report, marks a recurring obstacle for a collective approach with a
budget, records an activity that paid money and sees it on the team's ledger; an anonymous
visitor opens the organisation's public page. At 1280 and 320 px, axe on each page.

Screenshots go to $MAATWERK_SCREENSHOTS (when set)."""

import os
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cases.models import CaseLifeDomain, Obstacle
from maatwerk.decisions.models import Budget, CollectiveApproach, LedgerEntry
from maatwerk.legal.models import BlockingRule

from ..factories import PASSWORD, CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates
from .conftest import assert_accessible, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("MAATWERK_SCREENSHOTS")
WIDTHS = (1280, 320)


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 1280, "height": 900}}


def _check(page, name):
    """At both widths: no sideways scrolling, axe clean, a screenshot when asked."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name} scrolls sideways at {width} px"
        )
        assert_accessible(page)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _figures_readable(page, figures=None):
    """At 320 px each bar's figure stands inside the viewport, after its bar, at a readable
    size (walk: the wide SVG chart scrolled its numbers out of view)."""
    page.set_viewport_size({"width": 320, "height": 900})
    values = page.locator(".om-bars__value")
    if figures is None:
        assert values.count() >= 1
    else:
        assert values.all_inner_texts() == figures
    for i in range(values.count()):
        box = values.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
        size = values.nth(i).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 14
    page.set_viewport_size({"width": 1280, "height": 900})


def _world(n=12):
    """`n` households in Wadwijk-Noord blocked by the toeslag offset in the income domain, half
    of them last year and half this year; the team's budget of this year."""
    team = TeamFactory(name="Wijkteam Noord")
    team.areas.create(code="WK999001", name="Wadwijk-Noord")
    worker = user_with_role(Role.WORKER, team)
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    year = timezone.localdate().year
    last_year = timezone.make_aware(datetime.combine(date(year - 1, 6, 15), time(12)))
    for _ in range(n):
        case = CaseFactory(household__team=team, household__neighbourhood_code="WK999001")
        CaseLifeDomain.objects.create(case=case, domain="income")
        obstacle = case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances",
            effect="Toeslag verrekend.",
        )  # fmt: skip
        # This year's patterns and last year's public figures, from the same households.
        case_services.add_obstacle(
            actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances",
            effect="Toeslag verrekend.",
        )  # fmt: skip
        Obstacle.objects.filter(pk=obstacle.pk).update(created_at=last_year)
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=year, amount=Decimal("5000")
    )
    configure_mandates(team.organisation)  # the team lead may commit up to € 2.500
    lead = user_with_role(Role.TEAM_LEAD, team, username="tara.teamleider")
    return {"team": team, "rule": rule, "budget": budget, "lead": lead}


def test_team_lead_marks_a_pattern_and_the_public_sees_the_page(page, live_server, browser):
    w = _world()
    login(page, live_server, w["lead"].username, PASSWORD)

    # From the signal report to the collective patterns.
    page.goto(f"{live_server.url}/signalen/rapport/")
    _check(page, "report")
    _figures_readable(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Collectieve patronen").click()
    row = page.locator("#patterns-table tbody tr").first
    assert "Wadwijk-Noord" in row.inner_text() and "Inkomen" in row.inner_text()
    assert "12" in row.inner_text()
    _check(page, "patterns")

    with page.expect_navigation():
        row.get_by_role("link", name="Collectieve aanpak starten").click()
    assert "Wadwijk-Noord" in page.locator("#approach-pattern").inner_text()
    page.get_by_label("Naam").fill("Inloopspreekuur toeslagen")
    page.get_by_label("Soort").select_option("group_activity")
    page.get_by_label("Budget (euro)").fill("1.500")
    page.get_by_label("Op de openbare pagina tonen").check()  # off by default (walk 14)
    _check(page, "new-approach")
    with page.expect_navigation():
        page.get_by_role("button", name="Collectieve aanpak starten").click()
    approach = CollectiveApproach.objects.get()
    assert page.url.endswith(f"/signalen/aanpak/{approach.pk}/")
    assert "gepland" in page.locator("#approach-status").inner_text()

    # An activity that cost money: paid from the approach's commitment.
    page.locator("#id_note").fill("Eerste spreekuur in het buurthuis")
    page.get_by_label("Status vanaf dan").select_option("running")
    page.get_by_label("Betaald (euro)").fill("250")
    page.get_by_label("Betaald aan").fill("Buurthuis De Wadden")
    with page.expect_navigation():
        page.get_by_role("button", name="Vastleggen").click()
    assert "loopt" in page.locator("#approach-status").inner_text()
    assert "Eerste spreekuur" in page.locator("#approach-history").inner_text()
    money = page.locator("#approach-money").inner_text()
    assert "1.250,00" in money and "250,00" in money
    _check(page, "approach")

    # On the team's ledger: the commitment and the payment, named after the approach.
    with page.expect_navigation():
        page.get_by_role("link", name="Bekijk het in het grootboek").click()
    ledger = page.locator("#ledger-table").inner_text()
    assert ledger.count("Inloopspreekuur toeslagen") >= 2
    entries = LedgerEntry.objects.filter(collective_approach=approach)
    assert sorted(entries.values_list("kind", flat=True)) == ["commitment", "payment"]
    _check(page, "ledger")

    # The public page, without login: last year's 12 households shown as 10 (rounded to 5).
    with page.expect_navigation():
        page.goto(f"{live_server.url}/signalen/rapport/")
    public_href = page.get_by_role("link", name="Openbare pagina").get_attribute("href")
    anonymous = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        visitor = anonymous.new_page()
        visitor.goto(f"{live_server.url}{public_href}")
        assert "/inloggen/" not in visitor.url
        table = visitor.locator("#public-table").inner_text()
        assert "Toeslag verrekend" in table and "10" in table
        assert "minstens 10 huishoudens" in visitor.locator("#public-suppression").inner_text()
        assert visitor.locator("svg rect").count() == 1
        approaches = visitor.locator("#public-approaches").inner_text()  # running ones
        assert "Groepsactiviteit" in approaches and "leefgebied Inkomen" in approaches
        assert "Toeslag" in approaches  # its rule: the figures above show that rule
        # Never the name (free text that can name a street or a small neighbourhood).
        assert "Inloopspreekuur" not in visitor.content() and "Wadwijk" not in approaches
        assert "250" not in approaches
        _check(visitor, "public")
        _figures_readable(visitor, ["10"])
    finally:
        anonymous.close()


def test_a_name_with_personal_data_is_refused_at_the_field(page, live_server):
    """Policy makers read the name: a phone number in it is refused, the message
    stands at the field and does not repeat the number, nothing is saved."""
    w = _world()
    login(page, live_server, w["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/signalen/patronen/")
    with page.expect_navigation():
        page.locator("#patterns-table tbody tr").first.get_by_role(
            "link", name="Collectieve aanpak starten"
        ).click()
    page.get_by_label("Naam").fill("Inloop, bel 06-12345678")
    page.get_by_label("Soort").select_option("group_activity")
    with page.expect_navigation():
        page.get_by_role("button", name="Collectieve aanpak starten").click()
    error = page.locator("#id_name").locator("xpath=..").inner_text()
    assert "een telefoonnummer" in error and "Beleidsmakers" in error
    assert "12345678" not in error  # (the field's value is no part of the text around it)
    assert not CollectiveApproach.objects.exists()
    _check(page, "approach-personal-data")


def test_a_team_lead_starts_an_approach_for_a_neighbourhood_without_a_pattern(page, live_server):
    """Walk 14: with no pattern of 5 households the page was a dead end. The patterns page links
    a form that asks for the neighbourhood and life domain; a too-high budget is refused at the
    Budget field with what is available."""
    w = _world(2)  # too few households: no pattern row
    login(page, live_server, w["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/signalen/patronen/")
    assert "2 patronen" in page.locator("#patterns-hidden").inner_text() or (
        "patroon" in page.locator("#patterns-hidden").inner_text()
    )
    with page.expect_navigation():
        page.get_by_role("link", name="Collectieve aanpak starten voor een wijk").click()
    page.get_by_label("Wijk").select_option("WK999001")
    page.get_by_label("Leefgebied").select_option("housing")
    page.get_by_label("Naam").fill("Buurtkamer")
    page.get_by_label("Soort").select_option("group_activity")
    page.get_by_label("Budget (euro)").fill("9.000")
    with page.expect_navigation():
        page.get_by_role("button", name="Collectieve aanpak starten").click()
    error = page.locator("#id_amount").locator("xpath=..").inner_text()
    assert "5.000,00" in error  # what is still available, at the field
    _check(page, "approach-neighbourhood-too-high")
    page.get_by_label("Budget (euro)").fill("900")
    with page.expect_navigation():
        page.get_by_role("button", name="Collectieve aanpak starten").click()
    approach = CollectiveApproach.objects.get()
    assert (approach.neighbourhood_code, approach.life_domain) == ("WK999001", "housing")
    assert "Wadwijk-Noord" in page.content()
    _check(page, "approach-neighbourhood")
