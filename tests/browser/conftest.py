"""Fixtures for the browser tests: Playwright driving the Debian Chromium.

One browser for all browser tests (starting Chromium costs about a second), a fresh context and
page per test. Browsers are never downloaded: the tests use the system Chromium at
``/usr/bin/chromium`` and skip, with the reason, when it is missing.
"""

import json
import os
import shutil
from importlib import import_module
from io import StringIO
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


# A PDF is rendered on the server (WeasyPrint): on this 2-core machine, with both suites running
# side by side, it once took 12 s. The tests check what a document holds, not how fast it comes.
PDF_WAIT_MS = 60_000


@pytest.fixture
def page(browser, browser_context_args, settings):
    # The tests log in with a password only; production's TOTP step is tested in test_auth.
    settings.REQUIRE_2FA = False
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def shoot(target, name: str) -> None:
    """A screenshot for a person to look at, only when MAATWERK_SCREENSHOTS (or the older
    MAATWERK_SCREENSHOT_DIR) names a folder: a test run writes nothing outside the project by
    itself. `target` is a page (whole page) or a locator (that element)."""
    folder = os.environ.get("MAATWERK_SCREENSHOTS") or os.environ.get("MAATWERK_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = str(Path(folder) / f"{name}.png")
    if hasattr(target, "goto"):
        target.screenshot(path=path, full_page=True)
    else:
        target.screenshot(path=path)


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


# Colour-contrast results that axe could not decide ("needs review", its *incomplete* list) fail
# the test like violations do: an invisible button once passed axe that way (issue 11.1). Only
# the selectors below are excused, each with the reason it is fine; the helper then measures the
# contrast of those elements itself and still fails below 4.5:1.
CONTRAST_REVIEWED = {
    ".om-chart svg text": (
        "Axis labels of the cost chart are SVG text: axe cannot work out a background inside an "
        "SVG ('element contains an image node'). They are filled with the ink colour on the "
        "white page; the fill and the nearest background are measured here instead."
    ),
    ":is(.om-table-scroll, .om-scroll, table.om-table) :is(th, td, th *, td *)": (
        "At 320 px a wide table scrolls inside its own box; axe calls the cells beyond the "
        "box's edge 'partially obscured' (and a one-character cell such as '–' 'too short to "
        "tell'). Their colours are plain text on the page's white, measured here instead."
    ),
}

_AXE_RUN = """async ([tags, reviewed]) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    const rgb = (c) => {
        const m = (c || '').match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = ({r, g, b}) => {
        const f = (v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0) return c;
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    const measured = (el) => {
        const style = getComputedStyle(el);
        const fg = rgb(el instanceof SVGElement ? style.fill : style.color);
        if (!fg) return 0;
        const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    };
    const unexplained = [];
    for (const check of r.incomplete.filter(v => v.id === 'color-contrast')) {
        for (const node of check.nodes) {
            const el = document.querySelector(node.target.join(' '));
            const why = el && reviewed.find(sel => el.matches(sel));
            const ratio = el ? measured(el) : 0;
            if (!why || ratio < 4.5) {
                unexplained.push({target: node.target, ratio: Math.round(ratio * 100) / 100,
                    summary: node.any.map(a => a.message).join('; ')});
            }
        }
    }
    return {
        violations: r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
        })),
        unexplained,
    };
}"""


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail with a readable list of WCAG violations and of
    colour-contrast results axe could not decide, unless CONTRAST_REVIEWED explains them.

    The app's Content-Security-Policy (``script-src 'self'``) blocks inline scripts, so
    ``page.add_script_tag(content=...)`` would be refused. ``page.evaluate`` runs the source
    through the DevTools protocol, which CSP does not govern, so the page keeps its real CSP while
    it is checked (no ``bypass_csp`` needed).
    """
    problems = axe_problems(page)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def axe_problems(page) -> list[str]:
    """What assert_accessible would fail on, as lines (empty when the page is fine)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(_AXE_RUN, [WCAG_TAGS, list(CONTRAST_REVIEWED)])
    lines = []
    violations, unexplained = results["violations"], results["unexplained"]
    if violations:
        lines.append(f"axe found {len(violations)} WCAG violation(s) on {page.url}:")
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"][:10]:
                lines.append(f"    {json.dumps(node['target'])}: {node['summary']}")
            if len(v["nodes"]) > 10:
                lines.append(f"    … and {len(v['nodes']) - 10} more")
    if unexplained:
        lines.append(
            f"axe could not decide the colour contrast of {len(unexplained)} element(s) on "
            f"{page.url} (fix them, or explain them in CONTRAST_REVIEWED):"
        )
        for node in unexplained[:10]:
            lines.append(
                f"    {json.dumps(node['target'])}: measured {node['ratio']}:1; {node['summary']}"
            )
    return lines


@pytest.fixture(autouse=True)
def seeded_catalogues(request):
    """The cost catalogue, price index and regelbank, as `make migrate` leaves them.

    The live server needs committed data, so these tests run in transactions that end with a
    flush of every table. With serialized_rollback the test starts from the full catalogue that
    the session's database setup loaded (tests/conftest.py); a test without it, or one after
    a flush that restored nothing, finds empty tables and loads them here the way the migrations
    and the loader do. Loading again when the catalogue is there cost about 1.5 s a test.
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from maatwerk.costs.models import CostItem
    from maatwerk.legal.models import Provision

    if CostItem.objects.exists() and Provision.objects.exists():
        return
    if not CostItem.objects.exists():
        import_module("maatwerk.costs.migrations.0002_seed_catalogue").seed(apps, None)
    if not Provision.objects.exists():
        from maatwerk.legal import seed as legal_seed

        legal_seed.load(apps)
    from ..conftest import load_full_catalogue

    load_full_catalogue()
    from maatwerk.core.models import SearchDocument
    from maatwerk.legal import search as legal_search

    if SearchDocument.objects.filter(kind=legal_search.PROVISION_KIND).count() != (
        Provision.objects.count()
    ):
        legal_search.reindex_all()


@pytest.fixture
def followup_world():
    """Wijkteam Oost with six plans approved in the past (see followup_world.cohort_world)."""
    from .followup_world import cohort_world

    return cohort_world()


_DEMO_SNAPSHOTS: dict = {}


def load_demo_data() -> None:
    """`manage.py load_demo` for a browser test, which must call it before it writes anything.

    The demo is built through the services (plans submitted, decided, paid, followed up), about
    10 s of CPU; a dozen browser tests start from it. The first test of a session runs the
    command and keeps the database it leaves as a snapshot; later tests restore that snapshot
    (one INSERT per table, as serialized_rollback does here). Keyed by the day (a frozen clock
    gets its own demo) and by whether the real de-identification model is on (the library's
    examples depend on it). A database that already holds users gets the command itself."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from maatwerk.accounts.models import User
    from maatwerk.library import deidentify

    key = (timezone.localdate(), deidentify._deduce_spans is deidentify.no_model)
    snapshot = _DEMO_SNAPSHOTS.get(key)
    if User.objects.exists():
        snapshot = None
        key = None
    if snapshot is None:
        call_command("load_demo", stdout=StringIO())
        if key is not None:
            _DEMO_SNAPSHOTS[key] = connection.creation.serialize_db_to_string()
        return
    connection.creation.deserialize_db_from_string(snapshot)
