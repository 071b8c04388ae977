"""CSV for spreadsheets, without formula injection.

Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` (and, after trimming, a
tab or carriage return) as a formula: a team or payee named `=HYPERLINK(...)` would run when the
export is opened. Text cells that start so get a leading apostrophe, which spreadsheets show as
plain text (OWASP's advice). Numbers are written as numbers, so a negative amount stays a number.

Dutch Excel reads a `;`-separated file with a decimal comma: `25000.00` would become 2.500.000
or text. With `decimal_comma=True` amounts are written `25000,00` (our own digits, never text a
person typed, so they need no guard).
"""

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """`value` as a spreadsheet will not execute it; numbers and None pass unchanged."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """`csv.writer` whose every cell goes through `inert`. Use it for every CSV export."""

    def __init__(self, file, *, decimal_comma: bool = False, **kwargs):
        self._writer = csv.writer(file, **kwargs)
        self._decimal_comma = decimal_comma

    def _cell(self, value):
        if self._decimal_comma and isinstance(value, Decimal) and value.is_finite():
            return f"{value:f}".replace(".", ",")
        return inert(value)

    def writerow(self, row: Sequence):
        return self._writer.writerow([self._cell(v) for v in row])

    def writerows(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, *, decimal_comma: bool = False, **kwargs) -> SafeWriter:
    return SafeWriter(file, decimal_comma=decimal_comma, **kwargs)
