"""The ledger's errors and the budget pages on a phone (issue 11, second walk, task f2).

Only a browser shows where the focus goes, where a heading breaks and how large the chart's
axis text is drawn: a payment without an amount names its line in the error summary, whose link
reaches the amount field in that row's open form; "Maatwerkbudgetten 2026" breaks after
"Maatwerk-", not inside "budgetten"; the cost chart keeps its own width (12px axis text) and
says it scrolls sideways."""

import pytest
from playwright.sync_api import expect

from maatwerk.decisions import services
from maatwerk.decisions.models import LedgerEntry

from ..factories import PASSWORD
from .conftest import assert_accessible, login
from .test_decisions_flow import _plan, world  # noqa: F401 (fixture)
from .test_plan_flow import send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 320, "height": 800}}


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_ledger_error_names_its_line_and_its_link_reaches_the_field(
    page,
    live_server,
    world,  # noqa: F811
):
    plan = _plan(world, "2000", "Kees")
    services.submit_plan(world["worker"], plan)
    services.approve(world["lead"], plan)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    n = commitment.pk
    login(page, live_server, world["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/besluiten/budget/{world['budget'].pk}/")
    row = page.locator(f"#entry-{n}")
    row.get_by_text("Betaling of correctie").click()
    send(page, "Vastleggen")

    summary = page.locator("#error-summary")
    link = summary.get_by_role("link", name=f"Regel #{n}, Bedrag (euro)")
    expect(link).to_have_count(1)
    expect(summary).to_contain_text("Voer een bedrag boven nul in.")
    amount = page.locator(f"#amount-{n}")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#amount-{n}_error")).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    assert _focused_id(page) == f"amount-{n}"
    expect(amount).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def _line_tops(page, selector: str, words: list[str]) -> list[float]:
    """The top of the second and of the last letter of each word in the element's text (the
    first letter's box sits at the end of the line before when the word starts a new line)."""
    return page.evaluate(
        """([selector, words]) => {
          const el = document.querySelector(selector);
          const node = el.firstChild;
          const text = node.textContent;
          const top = (i) => { const r = document.createRange(); r.setStart(node, i);
            r.setEnd(node, i + 1); return r.getBoundingClientRect().top; };
          return words.flatMap((w) => { const i = text.indexOf(w);
            return [top(i + 1), top(i + w.length - 1)]; });
        }""",
        [selector, words],
    )


def test_the_budget_heading_breaks_after_maatwerk_and_the_chart_keeps_its_size(
    page,
    live_server,
    world,  # noqa: F811
):
    plan = _plan(world, "2000", "Kees")
    services.submit_plan(world["worker"], plan)
    login(page, live_server, world["lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/besluiten/budget/")
    heading = page.locator("h1")
    expect(heading).to_contain_text("budgetten")
    second, last = _line_tops(page, "h1", ["budgetten"])
    assert second == last, "budgetten is not split over two lines"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("#year-choice")).to_be_visible()

    page.goto(f"{live_server.url}/besluiten/plan/{plan.pk}/")
    region = page.locator(".om-chart__scroll")
    expect(page.locator("#chart-scroll-hint")).to_be_visible()
    expect(region).to_have_attribute("aria-describedby", "chart-scroll-hint")
    svg_width = region.locator("svg").evaluate("e => e.getBoundingClientRect().width")
    assert svg_width >= 720, f"the chart is drawn {svg_width}px wide: its 12px axis text shrinks"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
