"""Dutch is the default interface language: every string needs a Dutch translation."""

from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"))


def test_every_dutch_string_is_translated():
    po = _catalogue("nl")
    assert len(po) > 100
    untranslated = [e.msgid for e in po if not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def _placeholders(text: str) -> list[str]:
    return sorted(part.split(")")[0] for part in text.split("%(")[1:])


def test_placeholders_survive_translation():
    for entry in _catalogue("nl"):
        if entry.msgid_plural:
            for form, text in entry.msgstr_plural.items():
                if int(form) == 0:
                    # The singular may leave the count out ("een conceptplan"): a named
                    # placeholder it does not use is ignored; one it adds would fail.
                    assert set(_placeholders(text)) <= set(_placeholders(entry.msgid_plural)), (
                        entry.msgid
                    )
                else:
                    assert _placeholders(entry.msgid_plural) == _placeholders(text), entry.msgid
        else:
            assert _placeholders(entry.msgid) == _placeholders(entry.msgstr), entry.msgid


def test_compiled_catalogue_is_used():
    with translation.override("nl"):
        assert translation.gettext("Skip to main content") == "Direct naar de inhoud"


def test_dutch_by_default_even_for_an_english_browser(client, db):
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nl"' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_the_language_switch_still_works(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    response = client.get("/inloggen/")
    assert 'lang="en"' in response.content.decode()


def test_the_language_switch_names_each_language_in_itself(client, db):
    """Was: "Engels" in the Dutch page; who reads only English looks for "English"."""
    body = client.get(reverse("login")).content.decode()
    assert '<option value="en" lang="en">English</option>' in body
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in body
    assert "Engels" not in body
    # A normal secondary button, not a grey, disabled-looking one.
    assert 'class="utrecht-button utrecht-button--secondary-action">Wisselen' in body
