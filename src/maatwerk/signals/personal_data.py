"""Personal data that must not reach a signal: policy makers read a signal's title, summary,
notes and contributions, and never a case. A pure check on plain text (no database): the
household's names are passed in by the caller, who knows the case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from maatwerk.cases import bsn

# Nine digits, possibly typed with spaces, dots or dashes between groups (123 456 782).
_NINE_DIGITS = re.compile(r"(?<!\d)(?:\d[ .\-]?){8}\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch phone numbers: 06-12345678, +31 6 1234 5678, 020-1234567.
_PHONE = re.compile(r"(?<!\d)(?:\+31[ \-]?|0)(?:[ \-]?\d){9}(?!\d)")
_POSTCODE = re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b")

BSN, EMAIL, PHONE, POSTCODE, NAME = "bsn", "email", "phone", "postcode", "name"


def found(text: str, names: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data in `text`, in a fixed order, each once: a number that passes
    the BSN eleven-test, an e-mail address, a phone number, a postcode, or one of `names`
    (the household's first and last names; matched as whole words, case-insensitive)."""
    text = text or ""
    kinds = []
    if any(bsn.is_valid(bsn.normalise(m.group())) for m in _NINE_DIGITS.finditer(text)):
        kinds.append(BSN)
    if _EMAIL.search(text):
        kinds.append(EMAIL)
    if _PHONE.search(text):
        kinds.append(PHONE)
    if _POSTCODE.search(text):
        kinds.append(POSTCODE)
    words = {w.casefold() for w in re.findall(r"\w+", text)}
    for name in names:
        parts = [p.casefold() for p in re.findall(r"\w+", name or "") if len(p) > 1]
        # A last name of several words ("van der Berg") counts by its last, longest word.
        if parts and max(parts, key=len) in words:
            kinds.append(NAME)
            break
    return kinds
