"""The national picture in the browser (issue 14, point 6): the report page offers the policy
analyst the export of her organisation and, once exports are imported, the national page,
which says its totals are lower bounds. Axe and no sideways scrolling at 1280 and 320 px.

Set MAATWERK_SCREENSHOTS=<dir> to keep screenshots."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from maatwerk.demo.management.commands.load_demo import DEMO_PASSWORD
from maatwerk.signals import export

from .conftest import assert_accessible, load_demo_data, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("MAATWERK_SCREENSHOTS")


def _cell(code, name, law, households, plans=0, euros=None):
    shown = households is not None
    return {
        "rule_code": code,
        "rule_name": name,
        "law": law,
        "suppressed": not shown,
        "households": households,
        "plans": plans if shown else None,
        "approved": plans if shown else None,
        "standard_eur": euros if shown else None,
        "tailored_eur": euros if shown else None,
        "realised_eur": None,
    }


def _other_organisation(tmp_path: Path, year: str) -> Path:
    """An export as another deployment would send it (valid, with shown figures)."""
    cells = [
        _cell("KOSTENDELERSNORM", "Kostendelersnorm", "PW 22a", 35, 10, "18250.00"),
        _cell("TOESLAG-VERREKEND", "Toeslag verrekend met (belasting)schuld", "Awir 30", 20),
        _cell(None, "Nieuw beschreven regels", "", None),
    ]
    payload = {
        "format": export.FORMAT,
        "version": export.VERSION,
        "organisation": {"name": "Gemeente Elders", "kind": "municipality"},
        "period": year,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "rule": {"minimum": 10, "rounding": 5, "dominance_percent": 30},
        "cells": cells,
        "suppressed_cells": 1,
    }
    path = tmp_path / "elders.json"
    path.write_bytes(export.to_json(payload))
    return path


@pytest.mark.parametrize("width", [1280, 320])
def test_export_links_and_the_national_page(page, live_server, seeded_catalogues, tmp_path, width):
    load_demo_data()
    year = str(timezone.localdate().year)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "beleid", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/signalen/rapport/?periode={year}")
    exports = page.locator("#national-export")
    assert exports.get_by_role("link", name="JSON").count() == 1
    # Linked before anything is imported (walk 14: reachable only by URL); the page says so.
    assert "nog geen landelijke cijfers" in page.locator("#to-national").locator("..").inner_text()
    with page.expect_download() as download:
        exports.get_by_role("link", name="JSON").click()
    envelope = json.loads(Path(download.value.path()).read_text())
    assert envelope["sha256"] == export.checksum(export.canonical(envelope["payload"]))

    # Import this organisation's export and another organisation's, then look.
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(envelope))
    call_command("aggregate_signals", str(mine), str(_other_organisation(tmp_path, year)),
                 stdout=StringIO())  # fmt: skip
    page.goto(f"{live_server.url}/signalen/rapport/?periode={year}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    if SHOTS:
        page.locator("#national-heading").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/report-national-links-{width}.png", full_page=True)
    page.locator("#to-national").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Landelijk beeld")
    note = page.locator("#lower-bound").inner_text()
    assert "ondergrens" in note
    assert (
        page.locator("#national-table tbody tr").first.inner_text().startswith("Kostendelersnorm")
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/national-{width}.png", full_page=True)
