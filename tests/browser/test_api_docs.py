"""The API documentation page in Chromium under the real Content-Security-Policy (issue 11
point 8): Swagger UI from the npm package, served as our own static files, renders the schema
with no CSP violation, no console error and no request to another origin."""

import os
from urllib.parse import urlsplit

import pytest

from maatwerk.accounts.roles import Role

from ..factories import PASSWORD, TeamFactory, user_with_role
from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("MAATWERK_SCREENSHOTS", "")

# Records every CSP violation the page reports; added through the DevTools protocol, which the
# CSP does not govern, so the page keeps its real policy.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.parametrize("width", [1280, 320])
def test_api_docs_render_under_the_csp_from_local_files(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    admin = user_with_role(Role.ADMIN, TeamFactory(), username="api.beheer")
    login(page, live_server, admin.username, PASSWORD)
    console, requests = [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(WATCH_CSP)

    # The menu leads there (the administrator issues the partners' tokens).
    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # on a phone the menu folds behind its button
        menu.click()
    page.get_by_role("link", name="API", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Open Maatwerk API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10  # the operations of the schema
    # The way back comes first by keyboard, in the interface's language.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent, document.activeElement.closest('[lang]').lang]"
    )
    assert focused == ["Terug naar Open Maatwerk", "nl"]
    page.locator(".opblock-summary-control").first.click()  # an operation opens
    page.locator(".opblock.is-open").first.wait_for()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/api-docs-{width}.png", full_page=False)

    assert page.evaluate("window.__csp") == []
    assert page.get_attribute("html", "lang") == "en"
    assert [m for m in console if m.startswith(("error", "pageerror"))] == []
    assert not [m for m in console if "Content Security Policy" in m]
    origin = urlsplit(live_server.url).netloc
    assert {urlsplit(u).netloc for u in requests if u.startswith("http")} == {origin}
    assert any("/static/swagger-ui/swagger-ui-bundle.js" in u for u in requests)
