"""The policy analyst's signal journey (issue 14): raise a signal from a rule, move it through
its statuses to "rule kept" with a reason, never offered a forbidden move, and see it on the
rule's page. Keyboard only, at 390 px, axe on each page."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role
from maatwerk.legal.models import BlockingRule
from maatwerk.signals.models import Signal

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 390, "height": 844}}


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _press_button(page, name):
    button = page.get_by_role("button", name=name)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_analyst_raises_and_follows_a_signal(page, live_server, seeded_catalogues):
    team = TeamFactory()
    analyst = user_with_role(Role.POLICY_ANALYST, team, username="bea.beleid")
    rule = BlockingRule.objects.get(code="KOSTENDELERSNORM")
    login(page, live_server, analyst.username, PASSWORD)

    # From the rule's page in the regelbank: the button to raise a signal.
    page.goto(f"{live_server.url}/regelbank/regel/{rule.pk}/")
    link = page.get_by_role("link", name="Meld een signaal over deze regel")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"regel={rule.pk}" in page.url
    assert page.locator("#id_rule").input_value() == str(rule.pk)
    assert_accessible(page)
    _no_sideways_scroll(page)

    # Without a description the form says so next to the field, and keeps what was typed.
    page.locator("#id_title").fill("Kostendelersnorm houdt kinderen op straat")
    _press_button(page, "Signaal melden")
    expect(page.locator("#id_summary_error")).to_be_visible()
    assert page.locator("#id_title").input_value() == "Kostendelersnorm houdt kinderen op straat"
    assert_accessible(page)
    page.locator("#id_summary").focus()
    page.keyboard.type("Ouders nemen een volwassen kind niet op omdat hun uitkering daalt.")
    page.get_by_label("een afdeling van de gemeente").check()
    page.locator("#id_owner_name").fill("Werk en Inkomen")
    _press_button(page, "Signaal melden")
    signal = Signal.objects.get()
    assert page.url.endswith(f"/signalen/{signal.pk}/")
    main = page.locator("main")
    assert "nieuw" in main.inner_text()
    # Only the allowed move is offered: no "regel blijft" while it is new.
    assert page.get_by_role("button", name="Zet op ontvangen").count() == 1
    assert page.get_by_role("button", name="Zet op regel blijft").count() == 0
    assert_accessible(page)
    _no_sideways_scroll(page)

    _press_button(page, "Zet op ontvangen")
    assert page.get_by_role("button", name="Zet op in onderzoek").count() == 1
    assert page.get_by_role("button", name="Zet op regel aangepast").count() == 0
    _press_button(page, "Zet op in onderzoek")
    # "Rule kept" without a reason: refused, the reason asked for inline.
    _press_button(page, "Zet op regel blijft")
    expect(page.locator("#id_note_error")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_note").focus()
    page.keyboard.type("De norm is wettelijk; de gemeente past de hardheidsclausule toe.")
    _press_button(page, "Zet op regel blijft")
    signal.refresh_from_db()
    assert signal.status == "rule_kept"
    assert "Waarom de regel blijft" in main.inner_text()
    assert page.locator("button[name=to_status]").count() == 0  # closed: nothing to move
    history = page.locator("table", has_text="Wijziging").inner_text()
    for step in ("nieuw → ontvangen", "ontvangen → in onderzoek", "in onderzoek → regel blijft"):
        assert step in history
    _no_sideways_scroll(page)
    shoot(page, "signal-journey-detail-390")

    # The rule's page shows the signal (its last one, closed) and offers a new one.
    page.goto(f"{live_server.url}/regelbank/regel/{rule.pk}/")
    section = page.locator("section", has_text="Systeemsignaal")
    assert "Kostendelersnorm houdt kinderen op straat" in section.inner_text()
    assert "regel blijft" in section.inner_text()
    assert_accessible(page)


def test_analyst_raises_a_signal_from_the_report_and_sees_it_there_and_on_the_rule(
    page, live_server, seeded_catalogues
):
    """The journey's other door (issue 14's acceptance): from a row of the signal report, not
    from the regelbank. The row then links its open signal with its status, and the rule's
    page shows it open, through every status move."""
    from maatwerk.cases import services as case_services

    from ..factories import CaseFactory

    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    analyst = user_with_role(Role.POLICY_ANALYST, team, username="ben.beleid")
    rule = BlockingRule.objects.get(code="KOSTENDELERSNORM")
    case = CaseFactory(household__team=team)
    case_services.add_obstacle(actor=worker, case=case, blocking_rule=rule, effect="x")
    login(page, live_server, analyst.username, PASSWORD)

    page.goto(f"{live_server.url}/signalen/rapport/")
    row = page.locator("#rules-table tr", has_text=rule.name)
    link = row.get_by_role("link", name="Meld een signaal over deze regel")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"regel={rule.pk}" in page.url
    page.locator("#id_title").fill("Kostendelersnorm in de wijk")
    page.locator("#id_summary").fill("Steeds weer: het kind mag niet thuis wonen.")
    page.get_by_label("een afdeling van de gemeente").check()
    page.locator("#id_owner_name").fill("Werk en Inkomen")
    _press_button(page, "Signaal melden")
    signal = Signal.objects.get()
    assert signal.blocking_rule_id == rule.pk and signal.status == "new"

    for button, status, shown in (
        (None, "new", "nieuw"),
        ("Zet op ontvangen", "acknowledged", "ontvangen"),
        ("Zet op in onderzoek", "under_study", "in onderzoek"),
    ):
        if button:
            page.goto(f"{live_server.url}/signalen/{signal.pk}/")
            _press_button(page, button)
            signal.refresh_from_db()
            assert signal.status == status
        # The report's row links the open signal with its status, and offers no second one.
        page.goto(f"{live_server.url}/signalen/rapport/")
        row = page.locator("#rules-table tr", has_text=rule.name)
        assert row.get_by_role("link", name="Open signaal").get_attribute("href") == (
            f"/signalen/{signal.pk}/?van=rapport"
        )
        assert shown in row.inner_text()
        assert row.get_by_role("link", name="Meld een signaal over deze regel").count() == 0
        # The rule's page shows it open.
        page.goto(f"{live_server.url}/regelbank/regel/{rule.pk}/")
        section = page.locator("section", has_text="Systeemsignaal")
        assert "Open signaal:" in section.inner_text()
        assert (
            "Kostendelersnorm in de wijk" in section.inner_text() and shown in section.inner_text()
        )
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.goto(f"{live_server.url}/signalen/rapport/")
    shoot(page, "signal-report-open-signal-390")

    # Passed on to the national level: closed, so the report offers a new signal again.
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    page.locator("#id_note").fill("Doorgezet naar het Landelijk Maatwerkloket.")
    _press_button(page, "Zet op doorgezet")
    signal.refresh_from_db()
    assert signal.status == "passed_on"
    page.goto(f"{live_server.url}/signalen/rapport/")
    row = page.locator("#rules-table tr", has_text=rule.name)
    assert row.get_by_role("link", name="Meld een signaal over deze regel").count() == 1
    page.goto(f"{live_server.url}/regelbank/regel/{rule.pk}/")
    section = page.locator("section", has_text="Systeemsignaal")
    assert "Laatste signaal:" in section.inner_text() and "doorgezet" in section.inner_text()
