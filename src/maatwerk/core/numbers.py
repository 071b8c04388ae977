"""Numbers typed the Dutch way: `1.800` is eighteen hundred, `1.250,50` has fifty cents.

One reading for every amount and decimal a person types in a form (the API takes JSON numbers
and is not read here). A comma is the decimal mark; a dot or space only groups thousands. A dot
that cannot be a thousands grouping (`1.80`, `1.8`) is refused, never read as a decimal mark:
`1.80` might mean €1,80 or €180 and a wrong guess would store a different amount silently.
"""

import re
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"[0-9]+")
_CENTS_DASH = re.compile(r",-{1,2}$")  # "12,-" is how a whole amount is often written


class NumberFormatError(ValueError):
    """The text is not a Dutch number; `code` says why, for the message shown.

    - `invalid`: not a number at all (letters, two commas, nothing).
    - `dot_decimal`: a dot where the comma belongs (`1.80`, `2.5`).
    - `grouping`: a dot or space in the wrong place next to a comma (`1.25,50`).
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _whole_part(text: str, *, has_comma: bool) -> str:
    """The digits before the comma with the thousands separators taken out."""
    separators = {c for c in text if c in ". "}
    if not separators:
        if not _DIGITS.fullmatch(text):
            raise NumberFormatError("invalid")
        return text
    if len(separators) > 1:  # "1.250 000": one kind of grouping only
        raise NumberFormatError("grouping")
    groups = text.split(separators.pop())
    if not all(_DIGITS.fullmatch(g) for g in groups):
        raise NumberFormatError("invalid")
    first, rest = groups[0], groups[1:]
    valid = 1 <= len(first) <= 3 and not first.startswith("0") and all(len(g) == 3 for g in rest)
    if not valid:
        # Without a comma the dot was most likely meant as the decimal mark (English style).
        raise NumberFormatError("grouping" if has_comma or " " in text else "dot_decimal")
    return "".join(groups)


def parse_decimal(text: str) -> Decimal:
    """`"1.800"` → 1800, `"1.800,50"` → 1800.50, `"1800,50"` → 1800.50, `"€ 12,-"` → 12.

    A leading `€` and sign are allowed, the sign before or after the `€` (`-€ 750,00`, as
    `core.formatting.money` shows it, and `€ -750,00`); the caller checks ranges and places.
    Raises `NumberFormatError` for anything that is not one unambiguous Dutch number.
    """
    s = str(text).strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = False
    if s[:1] in "+-" and s[1:].lstrip().startswith("€"):  # "-€ 750,00", as money() shows it
        negative = s.startswith("-")
        s = s[1:].strip()
    if s.startswith("€"):
        s = s[1:].strip()
    if s[:1] in "+-":
        if negative:
            raise NumberFormatError("invalid")  # "-€ -750": two signs
        negative = s.startswith("-")
        s = s[1:].strip()
    s = _CENTS_DASH.sub("", s)
    if not s or s.count(",") > 1:
        raise NumberFormatError("invalid")
    whole, comma, fraction = s.partition(",")
    if comma and not _DIGITS.fullmatch(fraction):
        raise NumberFormatError("invalid")
    digits = _whole_part(whole, has_comma=bool(comma)) if whole else "0"
    if not comma and not whole:
        raise NumberFormatError("invalid")
    try:
        value = Decimal(f"{'-' if negative else ''}{digits}{'.' + fraction if comma else ''}")
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        raise NumberFormatError("invalid") from None
    return value


PERCENT = Decimal(100)
FRACTION_PLACES = Decimal("0.0001")  # a fraction is stored with four places (2,25 % = 0.0225)


def percent_to_fraction(percent: Decimal) -> Decimal:
    """`2.25` (per cent, as a person types it) → `0.0225` (as the engine and models take it).

    The one conversion from per cent to fraction; `fraction_to_percent` is its inverse.
    """
    return (Decimal(percent) / PERCENT).quantize(FRACTION_PLACES)


def fraction_to_percent(fraction: Decimal) -> Decimal:
    """`0.0225` → `2.25`: a stored fraction shown to a person as per cent."""
    return Decimal(fraction) * PERCENT
