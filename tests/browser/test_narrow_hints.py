"""Small layout on a phone (walk findings 13 and 18): a table or chart that scrolls inside its
box says so; catalogue search results are a plain left-aligned list; a case reference never
breaks at its hyphen; a flash message sits in the middle of its box."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import login
from .test_plan_flow import _draft_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HINT = "Schuif opzij voor de hele tabel →"
# Every scroll region that is wider than its box, and whether the element before it is a
# visible hint.
REGIONS = """() => [...document.querySelectorAll(
    '.om-scroll, .om-table-scroll, .om-chart__scroll, table.om-table')]
  .filter(r => r.offsetParent !== null && r.scrollWidth > r.clientWidth + 1
    && !(r.matches('table') && r.parentElement.closest('.om-scroll, .om-table-scroll')))
  .map(r => { const h = r.matches('.om-chart__scroll')
      ? document.getElementById(r.getAttribute('aria-describedby'))
      : r.previousElementSibling;
    return !!h && (h.classList.contains('om-scroll-hint') || h.classList.contains('om-chart__hint'))
      && h.offsetParent !== null; })"""
# The chart carries its own hint (costs/_calculation_result.html), named by aria-describedby;
# the shared hint is not added a second time.
CHART_HINTS = "document.querySelectorAll('.om-chart__scroll').length"


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 320, "height": 800}}


def test_regions_that_scroll_sideways_say_so_only_when_they_do(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="narrow.hint")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    regions = page.evaluate(REGIONS)
    assert regions, "nothing scrolls sideways at 320 px: the test shows nothing"
    assert all(regions), f"a scroll region without a visible hint: {regions}"
    expect(page.locator(".om-scroll-hint").first).to_have_text(HINT)
    assert page.evaluate(CHART_HINTS) == 1
    assert page.evaluate(
        "!document.querySelector('.om-chart__scroll').previousElementSibling"
        "?.classList.contains('om-scroll-hint')"
    ), "the chart shows the shared hint as well as its own"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # On a wide screen everything fits: the hints go away.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".om-scroll-hint:visible")).to_have_count(0)


def test_search_results_reference_and_message_on_a_phone(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="narrow.words")
    plan = _draft_plan(worker)
    login(page, live_server, worker.username, PASSWORD)

    # The case reference stays on one line in the heading.
    page.goto(f"{live_server.url}/casussen/{plan.case_id}/")
    ref = page.locator("h1 .om-ref")
    expect(ref).to_have_text(plan.case.household.reference)
    assert ref.evaluate("e => e.getClientRects().length") == 1
    assert ref.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"

    # A note's success message: as much room above the text as below it.
    page.fill("#id_text", "Gebeld.")
    with page.expect_navigation():
        page.get_by_role("button", name="Notitie toevoegen").click()
    gaps = page.locator(".om-messages .utrecht-alert").first.evaluate(
        """a => { const b = a.getBoundingClientRect();
        const p = a.querySelector('p').getBoundingClientRect();
        return [p.top - b.top, b.bottom - p.bottom]; }"""
    )
    assert abs(gaps[0] - gaps[1]) <= 2, f"message text not centred: {gaps}"

    # Catalogue search results: no bullets, the text starts at the left.
    page.goto(f"{live_server.url}/plannen/{plan.pk}/bewerken/")
    page.fill("#q-standard", "huur")
    results = page.locator("#found-standard .om-search-results > li")
    expect(results.first).to_be_visible()
    li = results.first
    assert li.evaluate("e => getComputedStyle(e, '::marker').content") == "none"
    assert li.locator("button").evaluate("e => getComputedStyle(e).textAlign") in ("start", "left")
