"""Forms on a phone (issue 11.6): every label keeps the same distance from the field above it
(one shared rule in app.css), and a dropdown with a long option shows its text in full inside its
column at 320 px instead of cutting it off."""

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

# For each field in `root`: the space between the bottom of what stands above it (a paragraph,
# a legend, the field before) and the top of its label, and between its label and help text.
SPACING = """root => [...document.querySelectorAll(root + ' .om-field:not(.om-field--check)')]
  .filter(f => f.offsetParent !== null).map(f => {
    const label = f.querySelector('label, legend');
    let above = f.previousElementSibling;
    while (above && above.offsetParent === null) above = above.previousElementSibling;
    const aboveBottom = above ? above.getBoundingClientRect().bottom
      : f.parentElement.querySelector('legend')?.getBoundingClientRect().bottom;
    const help = f.querySelector(':scope > p');
    return {
      field: label.textContent.trim().slice(0, 30),
      gap: aboveBottom === undefined ? null : label.getBoundingClientRect().top - aboveBottom,
      help: help ? help.getBoundingClientRect().top - label.getBoundingClientRect().bottom : null,
    };
  })"""


def assert_even_spacing(page, root: str) -> None:
    fields = page.evaluate(SPACING, root)
    assert fields, f"no form fields found in {root}"
    for f in fields:
        if f["gap"] is not None:
            assert f["gap"] >= 20, f"{f['field']!r} sits {f['gap']:.0f} px under what is above it"
        if f["help"] is not None:
            assert f["help"] <= 8, f"{f['field']!r}: help text {f['help']:.0f} px under its label"


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 320, "height": 800}}


def test_labels_keep_their_distance_from_the_field_above(page, live_server):
    page.goto(f"{live_server.url}/inloggen/")
    assert_even_spacing(page, "main form")

    worker = user_with_role(Role.WORKER, TeamFactory(), username="layout.werker")
    _draft_plan(worker)  # an open case with an obstacle, so the make-plan page has its form
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    assert_even_spacing(page, "fieldset.om-fieldset")  # "Uitgangspunten"
    with page.expect_navigation():
        page.get_by_role("button", name="Maak hier een plan van").click()
    assert page.url.endswith("/plannen/uit-rekenhulp/")
    assert_even_spacing(page, "main form")


def test_a_long_option_is_shown_in_full_within_its_column(page, live_server):
    worker = user_with_role(Role.WORKER, TeamFactory(), username="layout.select")
    login(page, live_server, worker.username, PASSWORD)
    page.goto(f"{live_server.url}/kosten/rekenhulp/?voorbeeld=kinderopvang")
    select = page.locator("#id_tailored-0-cost_type")
    long = "Geld dat van de ene naar de andere gaat (zoals een uitkering)"
    page.select_option("#id_tailored-0-cost_type", label=long)
    expect(select).to_be_visible()
    box = select.evaluate(
        """s => { const r = s.getBoundingClientRect(), p = s.parentElement.getBoundingClientRect();
        return {right: r.right, parentRight: p.right, height: r.height,
                scroll: s.scrollWidth, client: s.clientWidth}; }"""
    )
    assert box["right"] <= box["parentRight"] + 0.5 <= 320.5  # it fits its column
    assert box["scroll"] <= box["client"]  # nothing of the chosen text is cut off
    assert box["height"] > 60  # the text wraps onto more lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
