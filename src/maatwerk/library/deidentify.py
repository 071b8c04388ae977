"""De-identification of an example's free texts: a pure module (no database).

Two layers, because neither alone is enough:

- `deduce` (the Dutch de-identification library) finds names, places, dates, phone numbers and
  the like that the system does not know: a neighbour, a landlord, a city.
- the project's own checks find what the system *does* know about the household (every name,
  BSN, birth date, street, postcode, phone number and e-mail passed in `KnownPersonalData`),
  the patterns of `core.personal_data` (eleven-test-valid nine-digit numbers, e-mail, phone,
  postcode, street with house number, title with surname) and a few Dutch contexts that
  introduce a name ("school De Regenboog", "buurman Piet de Vries", "aan de Dorpsstraat").

`assert_clean` is the guard run on submitting, approving, importing and exporting: it needs no
`deduce`, so it is fast and gives the same answer every time.

`deduce.Deduce()` takes some ten seconds to build its lookup structures, so it is built lazily,
once per process, behind a lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maatwerk.core import personal_data

# Kinds of what was replaced, and the Dutch placeholder each leaves in the text. The
# placeholders are Dutch on purpose: they are part of the example's text, not of the interface.
NAME, ADDRESS, PLACE, POSTCODE, DATE, PHONE, EMAIL, BSN, NUMBER, AGE, URL, INSTITUTION = (
    "name", "address", "place", "postcode", "date", "phone", "email", "bsn", "number", "age",
    "url", "institution",
)  # fmt: skip
PLACEHOLDERS = {
    NAME: "[naam]",
    ADDRESS: "[adres]",
    PLACE: "[plaats]",
    POSTCODE: "[postcode]",
    DATE: "[datum]",
    PHONE: "[telefoonnummer]",
    EMAIL: "[e-mail]",
    BSN: "[bsn]",
    NUMBER: "[nummer]",
    AGE: "[leeftijd]",
    URL: "[url]",
    INSTITUTION: "[instelling]",
}
PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in sorted(set(PLACEHOLDERS.values()))))

# core.personal_data's kinds onto ours.
_CORE_KINDS = {
    personal_data.BSN: BSN,
    personal_data.EMAIL: EMAIL,
    personal_data.PHONE: PHONE,
    personal_data.POSTCODE: POSTCODE,
    personal_data.ADDRESS: ADDRESS,
    personal_data.PERSON: NAME,
}
# deduce's tags onto ours (a location with a digit is an address, without one a place).
_DEDUCE_KINDS = {
    "persoon": NAME,
    "patient": NAME,
    "locatie": PLACE,
    "datum": DATE,
    "telefoonnummer": PHONE,
    "emailadres": EMAIL,
    "bsn": BSN,
    "id": NUMBER,
    "leeftijd": AGE,
    "url": URL,
    "ziekenhuis": INSTITUTION,
    "instelling": INSTITUTION,
    "zorginstelling": INSTITUTION,
}

_PREFIX_WORDS = {"van", "de", "der", "den", "ter", "ten", "te", "in", "het", "'t", "el", "al"}
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'-]+"
_PREFIX = r"(?:(?:van|de|der|den|ter|ten|te|het|'t|el|al)\s+)*"
# A word that introduces a name of a person, school or landlord the system cannot know.
_INTRODUCERS = (
    r"buurman|buurvrouw|buren|verhuurder|huisbaas|verhuurster|werkgever|school|basisschool"
    r"|middelbare school|kinderopvang|opvang|crèche|creche|corporatie|woningcorporatie"
    r"|huisarts|dokter|juf|meester|vriend|vriendin|zoon|dochter|broer|zus|oom|tante|opa|oma"
    r"|neef|nicht|partner|ex|vader|moeder|schuldeiser|bewindvoerder|wijk|buurt|dorp|stad"
)
_INTRODUCED = re.compile(
    r"(?<!\w)(?i:"
    + _INTRODUCERS
    + r")\s+(?P<name>(?i:de\s+|het\s+|'t\s+)?"
    + _CAP
    + r"(?:\s+"
    + _PREFIX
    + _CAP
    + r")*)"
)
# A capitalised street name without a number ("aan de Dorpsstraat").
_STREET_WORD = re.compile(
    r"(?<!\w)[A-ZÀ-ÖØ-Þ][\w'-]{2,}(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg"
    r"|dijk|hof|park|plantsoen|wal|markt)(?!\w)"
)
# A month by name, written out or abbreviated ("mrt", "sept.").
_MONTH_NAME = (
    r"(?i:" + "|".join(_MONTHS) + r"|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec)(?:\.|(?!\w))"
)
# Any date: 12-03-1985, 12/3/85, 1985-03-12, 12 maart 1985, and a day and a month without a year
# ("3 maart", "op 12 jan.", "1e april"): a day of the year is enough to point to a birthday or an
# eviction someone can look up.
_DATE = re.compile(
    r"(?<!\d)(?:(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?!\d)"
    r"|\d{1,2}(?:e|ste|de)?\s+" + _MONTH_NAME + r"(?:\s+\d{4}(?!\d))?)"
)
# Capitalised words that follow an introducer without being a name ("de buurt De", "oom Januari").
_NOT_NAMES = {m.capitalize() for m in _MONTHS} | {
    "De", "Het", "Een", "Wij", "Ze", "Zij", "Hij", "Er", "Dit", "Dat", "Die", "Deze",
    "Toeslagen", "Belastingdienst", "Participatiewet", "Gemeente", "UWV", "SVB", "CAK", "CJIB",
    "DUO", "Nederland", "Wmo", "Jeugdwet", "Zvw", "Wlz",
}  # fmt: skip


@dataclass(frozen=True)
class KnownPersonalData:
    """What the system knows about the household (and the workers), to be absent from a text."""

    names: tuple[str, ...] = ()
    bsns: tuple[str, ...] = ()
    birth_dates: tuple[date, ...] = ()
    streets: tuple[str, ...] = ()
    house_numbers: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replacement:
    """What was replaced: its kind and where the placeholder now stands, never the original."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Result:
    text: str
    replacements: tuple[Replacement, ...] = field(default_factory=tuple)


# --- deduce, built once per process ------------------------------------------------------

_model = None
_lock = threading.Lock()


def _deduce_spans(text: str) -> list[tuple[int, int, str]]:
    """deduce's annotations as (start, end, kind). Built on first use: ~10 s, once."""
    global _model
    with _lock:
        if _model is None:
            import deduce

            _model = deduce.Deduce()
        doc = _model.deidentify(text)
    spans = []
    for a in doc.annotations:
        kind = _DEDUCE_KINDS.get(a.tag.split("-")[0].lower(), NAME)
        start, end = a.start_char, a.end_char
        chunk = text[start:end]
        if kind == NAME:
            # deduce sometimes runs a name on into the next words ("Piet de Vries aan de").
            trimmed = re.sub(r"(?:\s+[a-z][\w']*)+\s*$", "", chunk)
            end = start + len(trimmed.rstrip())
        elif kind == PLACE and any(ch.isdigit() for ch in chunk):
            kind = ADDRESS
        if end > start:
            spans.append((start, end, kind))
    return spans


def no_model(text: str) -> list[tuple[int, int, str]]:
    """The project's own checks alone (for tests of those checks, which need no deduce)."""
    return []


# --- the project's own checks ------------------------------------------------------------


def _digits_pattern(value: str) -> str:
    """A number as people type it: the digits with optional spaces, dots or dashes between."""
    digits = [d for d in value if d.isdigit()]
    return r"(?<!\d)" + r"[ .\-]?".join(digits) + r"(?!\d)" if digits else ""


def _date_patterns(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    seps = r"[-/. ]"
    nums = [
        rf"0?{d}{seps}0?{m}{seps}(?:{y}|{y % 100:02d})",
        rf"{y}{seps}0?{m}{seps}0?{d}",
        rf"0?{d}\s+(?i:{_MONTHS[m - 1]})\s+{y}",
        # The birthday without its year ("jarig op 12 maart").
        rf"0?{d}\s+(?i:{_MONTHS[m - 1]})(?!\w)",
    ]
    return [r"(?<!\d)(?:" + p + r")(?!\d)" for p in nums]


def _name_patterns(name: str) -> list[str]:
    """The whole name (with its prefixes) and each part of it that is no prefix."""
    parts = re.findall(r"[\w'-]+", name or "")
    patterns = []
    if len(parts) > 1:
        patterns.append(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)")
    for p in parts:
        if len(p) > 1 and p.casefold() not in _PREFIX_WORDS:
            patterns.append(r"(?<!\w)" + re.escape(p) + r"(?!\w)")
    return patterns


def _known_patterns(known: KnownPersonalData) -> list[tuple[re.Pattern, str]]:
    out: list[tuple[str, str]] = []
    for name in known.names:
        out += [(p, NAME) for p in _name_patterns(name)]
    for number in known.bsns:
        if p := _digits_pattern(number):
            out.append((p, BSN))
    for phone in known.phones:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if digits.startswith("31"):
            digits = "0" + digits[2:]
        if len(digits) >= 6:
            # 06-12345678 is also written +31 6 12345678.
            rest = r"[ .\-]?".join(digits[1:])
            out.append((r"(?<!\d)(?:0|\+31[ \-]?(?:\(0\))?)[ .\-]?" + rest + r"(?!\d)", PHONE))
    for day in known.birth_dates:
        out += [(p, DATE) for p in _date_patterns(day)]
    for street in known.streets:
        if street.strip():
            numbers = "|".join(re.escape(n) for n in known.house_numbers if n.strip())
            if numbers:
                out.append(
                    (
                        r"(?<!\w)" + re.escape(street.strip()) + r"\s+(?:" + numbers + r")(?!\w)",
                        ADDRESS,
                    )
                )
            out.append((r"(?<!\w)" + re.escape(street.strip()) + r"(?!\w)", ADDRESS))
    for code in known.postcodes:
        compact = code.replace(" ", "")
        if len(compact) == 6:
            out.append((r"(?<!\w)" + compact[:4] + r"\s?" + compact[4:] + r"(?!\w)", POSTCODE))
    for email in known.emails:
        if email.strip():
            out.append((re.escape(email.strip()), EMAIL))
    return [(re.compile(p, re.IGNORECASE), kind) for p, kind in out]


def _surname_only(text: str, start: int, end: int) -> int:
    """Where the surname of a titled name starts, so "mevrouw Jansen" keeps its "mevrouw"."""
    m = re.search(r"\s(" + _PREFIX + _CAP + r")$", text[start:end])
    return start + m.start(1) if m else start


def own_spans(text: str, known: KnownPersonalData) -> list[tuple[int, int, str]]:
    """What the project's own checks find: known data first, then the generic patterns."""
    spans = []
    for pattern, kind in _known_patterns(known):
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    for start, end, kind in personal_data.spans(text):
        ours = _CORE_KINDS[kind]
        if ours == NAME:
            start = _surname_only(text, start, end)
        spans.append((start, end, ours))
    for m in _INTRODUCED.finditer(text):
        name = m.group("name")
        # An abbreviation ("de BRP", "het UWV") names an institution, not a person or place.
        if name.split()[-1] not in _NOT_NAMES and not name.split()[-1].isupper():
            spans.append((m.start("name"), m.end("name"), NAME))
    spans += [(m.start(), m.end(), ADDRESS) for m in _STREET_WORD.finditer(text)]
    spans += [(m.start(), m.end(), DATE) for m in _DATE.finditer(text)]
    return spans


def _merge(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans become one, of the kind of the longest."""
    merged: list[list] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[3]:
                last[2], last[3] = kind, end - start
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, kind, end - start])
    return [(s, e, k) for s, e, k, _len in merged]


def _inside_placeholder(text: str) -> set[int]:
    return {i for m in PLACEHOLDER_RE.finditer(text) for i in range(m.start(), m.end())}


def deidentify(
    text: str,
    known: KnownPersonalData,
    *,
    model: Callable[[str], list[tuple[int, int, str]]] | None = None,
) -> Result:
    """`text` with everything personal replaced by a Dutch placeholder ("[naam]", "[adres]",
    ...), and where each placeholder now stands. `model` finds what the system does not know
    (default: deduce); the project's own checks always run. Placeholders already in the text
    (a worker editing a de-identified text) are left alone."""
    text = text or ""
    if not text.strip():
        return Result(text=text)
    model = _deduce_spans if model is None else model
    found = own_spans(text, known) + list(model(text))
    kept = _inside_placeholder(text)
    spans = [s for s in _merge(found) if not set(range(s[0], s[1])) <= kept]
    out, replacements, cursor = [], [], 0
    length = 0
    for start, end, kind in spans:
        # A span touching an existing placeholder keeps the placeholder whole.
        while start < end and start in kept:
            start += 1
        while end > start and (end - 1) in kept:
            end -= 1
        if start >= end or start < cursor:
            continue
        out.append(text[cursor:start])
        length += start - cursor
        placeholder = PLACEHOLDERS[kind]
        replacements.append(Replacement(length, length + len(placeholder), kind))
        out.append(placeholder)
        length += len(placeholder)
        cursor = end
    out.append(text[cursor:])
    return Result(text="".join(out), replacements=tuple(replacements))


def leftovers(text: str, known: KnownPersonalData) -> list[str]:
    """The kinds of personal data still in `text` by the project's own checks (deduce aside):
    known data of the household, and the generic patterns of `core.personal_data`."""
    text = PLACEHOLDER_RE.sub(" ", text or "")
    kinds = [kind for pattern, kind in _known_patterns(known) if pattern.search(text)]
    kinds += [_CORE_KINDS[kind] for _s, _e, kind in personal_data.spans(text)]
    return sorted(set(kinds))


def kind_words() -> dict[str, str]:
    return {
        NAME: _("a name"),
        ADDRESS: _("an address"),
        PLACE: _("a place"),
        POSTCODE: _("a postcode"),
        DATE: _("a date of birth"),
        PHONE: _("a phone number"),
        EMAIL: _("an e-mail address"),
        BSN: _("a BSN"),
        NUMBER: _("a number"),
        AGE: _("an age"),
        URL: _("a web address"),
        INSTITUTION: _("an institution"),
    }


def assert_clean(fields: dict[str, str], known: KnownPersonalData) -> None:
    """Refuse (ValidationError per field) when a text still holds personal data the system
    knows or the generic patterns find. Says what kind, never repeats the data."""
    errors, named = {}, kind_words()
    for name, text in fields.items():
        kinds = leftovers(text, known)
        if kinds:
            errors[name] = _("This text still holds personal data: %(what)s.") % {
                "what": ", ".join(str(named[k]) for k in kinds)
            }
    if errors:
        raise ValidationError(errors, code="personal_data")
