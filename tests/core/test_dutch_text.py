"""No code names or English leftovers on the pages of the Dutch interface (issue 11 point 7).

Walks the pages each demo role reaches from its start page (the demo data as `load_demo` makes
it) and reads the text a person sees (tags stripped; scripts and styles left out). A page fails
when that text holds:

- a raw choice value of any model's choices (`team_lead`, `approve`, `submitted`, ...) where
  its Dutch label belongs;
- an English title of the seeded catalogues (a blocking rule's or cost item's English name, the
  English wording of the room a provision gives, an English note of a seeded price);
- Django's empty choice `---------` instead of a "Kies …" placeholder.
"""

import csv
import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import Resolver404, resolve

from maatwerk.accounts.models import User

from ..demo_users import ROLE_USERS

SRC = Path(__file__).resolve().parents[2] / "src" / "maatwerk"
# Not pages of the Dutch interface: Django's admin (its own translations), the JSON API and its
# documentation (English, for developers), files, and leaving.
SKIPPED_PREFIXES = ("/admin/", "/beheer/", "/api/", "/static/", "/uitloggen", "/logout", "/i18n/")
SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", "/pdf/", "/csv/", "/xlsx/")
PAGES_PER_ROUTE = 1
# Stored values that are ordinary Dutch words too ("elke export en elke inlog"; "manager" is
# also a Dutch word, and the demo manager's user name in the audit log).
# "partner": also "ex-partner", "ketenpartner"; "Kaartje": the DDAS code of a contact attempt,
# shown as its label "Kaartje door de bus".
# "consult": the Dutch word for a visit to a doctor (the cost catalogue prices "per consult").
DUTCH_WORDS = {"export", "manager", "partner", "Kaartje", "consult"}


def _choice_classes(cls=models.Choices):
    for sub in cls.__subclasses__():
        yield sub
        yield from _choice_classes(sub)


def raw_choice_values() -> set[str]:
    """Every stored value of the project's choices that differs from its Dutch label.

    Single letters (the reliability grades A, B, C are shown as such, with their meaning),
    values that are their own Dutch label (`open`, `school`) and values that are Dutch words
    (DUTCH_WORDS) cannot tell a code from good text.
    """
    from django.utils import translation

    values = set()
    with translation.override("nl"):
        for choices in _choice_classes():
            if not choices.__module__.startswith("maatwerk."):
                continue
            for member in choices:
                value = str(member.value)
                if len(value) > 1 and value.lower() != str(member.label).lower():
                    values.add(value)
    return values - DUTCH_WORDS


def english_seed_titles() -> set[str]:
    """English wording of the seeded catalogues that the Dutch interface must never show."""
    titles = set()
    with open(SRC / "legal" / "data" / "blocking_rules.csv", encoding="utf-8") as f:
        titles |= {row["name_en"] for row in csv.DictReader(f)}
    with open(SRC / "legal" / "data" / "legal_provisions.csv", encoding="utf-8") as f:
        titles |= {row["room_en"] for row in csv.DictReader(f)}
    with open(SRC / "costs" / "data" / "cost_items.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    titles |= {row["name_en"] for row in rows}
    # Notes whose Dutch wording differs (a source's own title may be the same in both).
    titles |= {row["note"] for row in rows if row["note"] and row["note_nl"] != row["note"]}
    return {t for t in titles if t}


class _Page(HTMLParser):
    """Visible text and same-site links of one page."""

    # Scripts and styles are not text; a textarea holds what a field contains (the English
    # wording of a provision, in its own field, on the edit page).
    hidden = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.hidden:
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.hidden and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    page = _Page()
    page.feed(html)
    return " ".join(" ".join(page.text).split()), page.links


def findings(text: str, raw: re.Pattern, english: set[str]) -> list[str]:
    found = [f"raw value {m.group(0)!r}" for m in raw.finditer(text)]
    found += [f"English title {t!r}" for t in english if t in text]
    if "---------" in text:
        found.append("empty choice '---------'")
    return found


def crawl(client, start: str = "/"):
    """(path, visible text) of every page reached from `start`, a few per route."""
    queue, seen, per_route = deque([start]), {start}, {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text, links = visible_text(response.content.decode())
        yield path, text
        for href in links:
            target = urlsplit(href).path
            if (
                target in seen
                or target.startswith(SKIPPED_PREFIXES)
                or target.endswith(SKIPPED_SUFFIXES)
            ):
                continue
            try:
                route = resolve(target).route
            except Resolver404:
                continue
            if per_route.get(route, 0) >= PAGES_PER_ROUTE:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            seen.add(target)
            queue.append(target)


def test_the_lists_know_what_to_look_for():
    raw = raw_choice_values()
    assert {"team_lead", "approve", "submitted", "partly_paid", "tax_allowances"} <= raw
    assert "open" not in raw  # a case's status is "open" in Dutch too
    english = english_seed_titles()
    assert "Allowance offset against a (tax) debt" in english
    assert "Cost-sharing norm lowers benefit when adults share a home" in english
    text, _ = visible_text(
        "<p>Trede: team_lead</p><script>var s = 'submitted';</script>"
        "<select><option>---------</option></select>"
    )
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(raw))) + r")\b")
    assert findings(text, pattern, english) == [
        "raw value 'team_lead'",
        "empty choice '---------'",
    ]


@pytest.mark.django_db
def test_demo_pages_show_no_code_names_or_english_seed_titles(client):
    call_command("load_demo", stdout=StringIO())
    raw = raw_choice_values()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(raw))) + r")\b")
    english = english_seed_titles()
    problems, pages = [], 0
    for username in ROLE_USERS:  # each walking from their own start page
        client.force_login(User.objects.get(username=username))
        for path, text in crawl(client):
            pages += 1
            problems += [f"{username} {path}: {f}" for f in findings(text, pattern, english)]
        client.logout()
    print(f"{pages} pages walked")
    assert pages > 60, pages  # the walk reached the pages, not only the start pages
    assert not problems, "\n".join(sorted(set(problems)))
