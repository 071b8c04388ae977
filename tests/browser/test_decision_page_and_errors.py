"""The decision page as a decider reads it, and the error summary (issue 11, point 4).

The decider sees the three corners with what each says, the result in one sentence with the
chart, the budget left after this decision and the trail, on one page, at 1280 and at 320 px
without sideways scrolling. A form sent with errors comes back with one error summary at the top
that takes the focus (only a browser shows where the focus is); its links move the focus to the
field. The same summary on "Nieuwe casus", one list for the household and the residents."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import assert_accessible, login
from .test_decisions_flow import _plan, signed_in, world  # noqa: F401 (fixture)
from .test_plan_flow import send, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_the_decider_sees_the_whole_case_and_errors_take_the_focus(
    page,
    browser,
    browser_context_args,
    live_server,
    world,  # noqa: F811
):
    from maatwerk.decisions import services

    plan = _plan(world, "2000", "Kees")
    services.submit_plan(world["worker"], plan)
    login(page, live_server, world["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/besluiten/plan/{plan.pk}/")
    main = page.locator("main")
    for corner, says in [
        ("#corner-legitimacy", "Wettelijke grond"),
        ("#corner-involvement", "Ik wil blijven werken"),
        ("#corner-return", "Netto opbrengst"),
    ]:
        expect(page.locator(corner)).to_contain_text(says)
    expect(main.locator(".om-result-summary")).to_contain_text(
        "Voor de betalers samen kost de maatwerkroute"
    )
    expect(main.locator(".om-chart svg polyline")).to_have_count(2)
    expect(page.locator("#budget-after")).to_contain_text("€ 23.000,00")
    expect(main.locator("#decide-trail-heading")).to_have_text("Besluitvorming")
    expect(main).to_contain_text("wacht op besluit")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert_accessible(page)

    # Nothing chosen: the summary at the top takes the focus and links to the choice.
    send(page, "Besluit vastleggen")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Controleer het formulier")
    expect(summary).to_contain_text("Kies wat u besluit")
    assert _focused_id(page) == "error-summary"
    assert page.title().startswith("Fout: ")
    assert_accessible(page)
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    assert _focused_id(page) == "id_action_0"

    # The same page on a phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/besluiten/plan/{plan.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_new_case_errors_show_in_one_summary_with_the_focus(page, live_server):
    team = TeamFactory(name="Wijkteam Noord")
    worker = user_with_role(Role.WORKER, team, username="sanne.werker")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/casussen/nieuw/")
    type_into(page, "input[name=residents-0-first_name]", "Anna")
    type_into(page, "input[name=residents-1-bsn]", "123")
    send(page, "Casus aanmaken")
    summaries = page.locator(".om-error-summary")
    expect(summaries).to_have_count(1)
    items = summaries.locator("li")
    expect(items.first).to_contain_text("Korte omschrijving")
    expect(summaries).to_contain_text("Bewoner 1, Achternaam")
    expect(summaries).to_contain_text("Bewoner 2, BSN")
    assert _focused_id(page) == "error-summary"
    # One list, every item at the same left edge (it used to be two lists, misaligned).
    lefts = {round(box["x"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    assert len(lefts) == 1 and items.count() >= 4
    assert_accessible(page)
