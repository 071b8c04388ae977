"""The administration's start (/beheer/): the settings of Open Maatwerk read as words at 1280
and 320 px (walk 13: one letter a line, the table cut off on a phone)."""

import os

import pytest

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("MAATWERK_SCREENSHOTS", "")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_settings_links_are_not_squeezed(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    admin = user_with_role(Role.ADMIN, TeamFactory(), username="instellingen.beheer")
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/beheer/")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/beheer-{width}.png", full_page=True)
    for name in ("Vervolgmomenten", "Ladderniveaus die niemand bekleedt"):
        link = page.locator("#maatwerk-settings").get_by_role("link", name=name)
        box = link.bounding_box()
        # A word on a line: the link is at most two lines high and wider than a letter.
        assert box["height"] < 45 and box["width"] > 80, (name, box)
    settings = page.locator("#maatwerk-settings").bounding_box()
    assert settings["x"] + settings["width"] <= width  # nothing cut off on the right
