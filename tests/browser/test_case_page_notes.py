"""The case page on a 320 px phone (walkthrough findings): the resident's goal reads as a quote
in the text colour, not in the theme's error red; a link near the top jumps to the note form,
whose date is today; saving lands at the new note."""

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, CaseFactory, TeamFactory, user_with_role
from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ERROR_RED = "rgb(204, 0, 0)"


@pytest.fixture
def browser_context_args():
    return {"locale": "nl-NL", "viewport": {"width": 320, "height": 640}}


def test_goal_in_text_colour_and_a_note_from_the_top_of_a_phone_screen(page, live_server):
    team = TeamFactory(name="Wijkteam Zuidhaven")
    worker = user_with_role(Role.WORKER, team, username="wendy")
    case = CaseFactory(household__team=team, goal="Warm kunnen wonen met de kinderen.")
    case.assigned_workers.add(worker)
    login(page, live_server, "wendy", PASSWORD)
    page.goto(f"{live_server.url}/casussen/{case.pk}/")

    goal = page.locator("blockquote p", has_text="Warm kunnen wonen")
    assert goal.evaluate("e => getComputedStyle(e).color") != ERROR_RED
    assert goal.evaluate("e => getComputedStyle(e).color") == "rgb(26, 26, 26)"

    page.get_by_role("link", name="Notitie toevoegen").click()
    text = page.get_by_label("Tekst", exact=False).first
    expect(text).to_be_visible()
    text.fill("Huisbezoek: de energieleverancier belt terug.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    page.wait_for_load_state()
    assert "#note-" in page.url
    note = page.locator(":target")
    assert "energieleverancier belt terug" in note.inner_text()
    box = note.bounding_box()
    assert box is not None and 0 <= box["y"] < 640
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
