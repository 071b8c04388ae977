"""Fixtures for the browser tests: Playwright driving the Debian Chromium.

One browser for all browser tests (starting Chromium costs about a second), a fresh context and
page per test. Browsers are never downloaded: the tests use the system Chromium at
``/usr/bin/chromium`` and skip, with the reason, when it is missing.
"""

import json
import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MAATWERK_CHROMIUM", "/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# This machine (and CI) reaches only package registries: without these flags Chromium keeps
# trying Google services (component updates, sync, QUIC probes) and slows down or hangs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The WCAG 2.0/2.1 A and AA rules and the WCAG 2.2 AA rules of axe-core.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

SKIP_LINK_TEXT = "Direct naar de inhoud"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests (they all live in this package).

    Package rather than session scope, on purpose: Playwright's sync API keeps an asyncio event
    loop running in the main thread while it is started, and Django then refuses ORM calls from
    that thread (SynchronousOnlyOperation): in our tests' factory calls and in pytest-django's
    flush at teardown. ``DJANGO_ALLOW_ASYNC_UNSAFE`` lifts that check, but it must not leak into
    the rest of the suite: other tests would lose the protection, and ``manage.py check --deploy``
    run by test_settings in a subprocess warns about it. So the loop and the variable live exactly
    as long as the browser tests; nothing here is concurrent (the live server thread has its own
    connection). Function-scoped teardown (the flush) runs before this fixture's teardown.
    """
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(browsers are never downloaded by Playwright here)."
        )
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not found at {AXE_JS}: run `npm ci` first.")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def browser_context_args():
    """Override per test (or per module) to change the viewport and the like."""
    return {"locale": "nl-NL", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(browser, browser_context_args, settings):
    # The tests log in with a password only; production's TOTP step is tested in test_auth.
    settings.REQUIRE_2FA = False
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username: str, password: str) -> None:
    """Log in with the keyboard only, as someone without a mouse would."""
    page.goto(f"{live_server.url}/inloggen/")
    page.locator("input[name=username]").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail with a readable list of WCAG violations.

    The app's Content-Security-Policy (``script-src 'self'``) blocks inline scripts, so
    ``page.add_script_tag(content=...)`` would be refused. ``page.evaluate`` runs the source
    through the DevTools protocol, which CSP does not govern, so the page keeps its real CSP while
    it is checked (no ``bypass_csp`` needed).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )
    if results:
        lines = [f"axe found {len(results)} WCAG violation(s) on {page.url}:"]
        for v in results:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"][:10]:
                lines.append(f"    {json.dumps(node['target'])}: {node['summary']}")
            if len(v["nodes"]) > 10:
                lines.append(f"    … and {len(v['nodes']) - 10} more")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(autouse=True)
def seeded_catalogues(request):
    """The cost catalogue, price index and regelbank that data migrations seed.

    The live server needs committed data, so these tests run in transactions that end with a
    flush of every table. serialized_rollback should bring the seeded rows back, but after some
    test orders it did not (seen with tests/test_plans.py run first); seeding again here when
    the tables are empty makes the tests independent of order.
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from maatwerk.costs.models import CostItem
    from maatwerk.legal.models import Provision

    if not CostItem.objects.exists():
        import_module("maatwerk.costs.migrations.0002_seed_catalogue").seed(apps, None)
    if not Provision.objects.exists():
        from maatwerk.legal import seed as legal_seed

        legal_seed.load(apps)
