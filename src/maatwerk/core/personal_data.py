"""Personal data that must not reach a text read outside the case: policy makers read a
signal's texts and a collective approach's name and activities (the name also on the public
page), and never a case. A pure check on plain text (no database): the names to look for are
passed in by the caller, who knows which households matter.

Here in `core` so that both `signals` and `decisions` use it (neither may import the other)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Nine digits, possibly typed with spaces, dots or dashes between groups (123 456 782).
_NINE_DIGITS = re.compile(r"(?<!\d)(?:\d[ .\-]?){8}\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch phone numbers: 06-12345678, +31 6 1234 5678, 020-1234567.
_PHONE = re.compile(r"(?<!\d)(?:\+31[ \-]?|0)(?:[ \-]?\d){9}(?!\d)")
_POSTCODE = re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b")

# A street with a house number: a word ending in a Dutch street suffix ("Dorpsstraat 12",
# "Stationsweg 4a", "Oudegracht 12-2"). The word must be longer than the suffix alone (so "weg 3"
# in "valt weg 3 maanden" is no street); a number followed by a unit ("tijdpad 3 maanden") or a
# year ("Gerechtshof 2023") is no house number — see `_is_house_number`.
_STREET_SUFFIXES = (
    "straat|laan|weg|plein|gracht|kade|singel|hof|dreef|pad|steeg|dijk|markt|park|plantsoen"
    "|baan|wal|haven|kanaal|boulevard|polder"
)
_STREET = re.compile(
    r"\b\w+?\w(?:" + _STREET_SUFFIXES + r")\s+(?P<number>\d{1,4})(?:\s?[a-zA-Z](?!\w)|-\d{1,4})?"
    r"(?!\d)(?P<after>[ \t]*\w*)",
    re.IGNORECASE,
)
_UNITS = (
    "maand", "maanden", "week", "weken", "jaar", "jaren", "dag", "dagen", "keer", "uur", "uren",
    "huishouden", "huishoudens", "gezin", "gezinnen", "euro", "procent", "cent", "signalen",
    "casussen", "mensen", "personen", "inwoners", "x",
)  # fmt: skip
# A title followed by a surname, possibly with a prefix: "mevrouw Jansen", "mevr. de Vries",
# "dhr. van der Berg", "de heer Bakker", "familie El Amrani". The surname starts with a capital
# (so "de familie kreeg" or "meneer belde" is no name).
_TITLE = r"(?:mevrouw|mevr\.?|mw\.?|meneer|mijnheer|mnr\.?|dhr\.?|de\s+heer|familie|fam\.)"
_PREFIX = r"(?:(?:van|de|der|den|ter|ten|te|in|het|'t|el|al)\s+)*"
_TITLED_NAME = re.compile(r"(?<!\w)(?i:" + _TITLE + r")\s+(?i:" + _PREFIX + r")[A-ZÀ-ÖØ-Þ][\w'-]+")

BSN, EMAIL, PHONE, POSTCODE, NAME = "bsn", "email", "phone", "postcode", "name"
ADDRESS, PERSON = "address", "person"


def normalise_number(value: str) -> str:
    """Strip spaces, dots and dashes people type; keep everything else as typed."""
    return "".join(ch for ch in (value or "") if ch not in " .-\t")


def passes_eleven_test(value: str) -> bool:
    """The BSN eleven-test (elfproef): 9 digits, weighted sum 9..2 and -1 divisible by 11,
    not all zero."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(d) for d in value]
    if not any(digits):
        return False
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _is_house_number(match: re.Match) -> bool:
    """A street match is an address unless its number reads as a year or an amount."""
    number = match.group("number")
    if len(number) == 4 and number[:2] in ("19", "20"):
        return False
    return match.group("after").strip().casefold() not in _UNITS


def has_address(text: str) -> bool:
    """A street name followed by a house number ("Dorpsstraat 12")."""
    return any(_is_house_number(m) for m in _STREET.finditer(text or ""))


def has_titled_name(text: str) -> bool:
    """A title followed by a surname ("mevrouw Jansen", "de heer de Vries", "familie Bakker")."""
    return bool(_TITLED_NAME.search(text or ""))


def words(text: str) -> set[str]:
    """The words of `text`, case-folded: what a name is matched against."""
    return {w.casefold() for w in re.findall(r"\w+", text or "")}


def found(text: str, names: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data in `text`, in a fixed order, each once: a number that passes
    the BSN eleven-test, an e-mail address, a phone number, a postcode, a street with a house
    number, a title with a surname, or one of `names` (matched as whole words,
    case-insensitive)."""
    text = text or ""
    kinds = []
    if any(passes_eleven_test(normalise_number(m.group())) for m in _NINE_DIGITS.finditer(text)):
        kinds.append(BSN)
    if _EMAIL.search(text):
        kinds.append(EMAIL)
    if _PHONE.search(text):
        kinds.append(PHONE)
    if _POSTCODE.search(text):
        kinds.append(POSTCODE)
    if has_address(text):
        kinds.append(ADDRESS)
    if has_titled_name(text):
        kinds.append(PERSON)
    in_text = words(text)
    for name in names:
        parts = [p.casefold() for p in re.findall(r"\w+", name or "") if len(p) > 1]
        # A last name of several words ("van der Berg") counts by its last, longest word.
        if parts and max(parts, key=len) in in_text:
            kinds.append(NAME)
            break
    return kinds


def kind_words() -> dict[str, str]:
    """Each kind in words, to name what was found (never the text found itself)."""
    return {
        BSN: _("a BSN"),
        EMAIL: _("an e-mail address"),
        PHONE: _("a phone number"),
        POSTCODE: _("a postcode"),
        ADDRESS: _("an address (street and house number)"),
        PERSON: _("a name (title and surname)"),
        NAME: _("a name of the household"),
    }


def joined(words: list[str]) -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c" (walk 14: the refusal read
    "een adres …, een naam …", as if the second were a comment on the first)."""
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def refuse(
    fields: dict[str, str], names: Iterable[str], message: str, name_word: str | None = None
) -> None:
    """Raise a ValidationError on every field whose text holds personal data. `message` has a
    `%(what)s` for the kinds found, in words (the data itself is never repeated); `name_word`
    replaces the words for a name when the names are not one household's."""
    names = list(names)
    errors, named = {}, kind_words()
    if name_word:
        named[NAME] = name_word
    for field, text in fields.items():
        kinds = found(text, names)
        if kinds:
            errors[field] = message % {"what": joined([named[k] for k in kinds])}
    if errors:
        raise ValidationError(errors, code="personal_data")


def spans(text: str) -> list[tuple[int, int, str]]:
    """Where `found` sees personal data without a list of names: (start, end, kind) for each
    BSN-valid nine-digit number, e-mail address, phone number, postcode, street with house
    number and title with surname. For whoever must replace what it finds (the library's
    de-identification), so detecting and replacing share one set of patterns."""
    text = text or ""
    out = [
        (m.start(), m.end(), BSN)
        for m in _NINE_DIGITS.finditer(text)
        if passes_eleven_test(normalise_number(m.group()))
    ]
    out += [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    out += [(m.start(), m.end(), PHONE) for m in _PHONE.finditer(text)]
    out += [(m.start(), m.end(), POSTCODE) for m in _POSTCODE.finditer(text)]
    out += [
        (m.start(), m.start("after"), ADDRESS)
        for m in _STREET.finditer(text)
        if _is_house_number(m)
    ]
    out += [(m.start(), m.end(), PERSON) for m in _TITLED_NAME.finditer(text)]
    return sorted(out)
