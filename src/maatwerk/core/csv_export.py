"""CSV for spreadsheets, without formula injection.

Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` (and, after trimming, a
tab or carriage return) as a formula: a team or payee named `=HYPERLINK(...)` would run when the
export is opened. Text cells that start so get a leading apostrophe, which spreadsheets show as
plain text (OWASP's advice). Numbers are written as numbers, so a negative amount stays a number.
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

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Sequence):
        return self._writer.writerow([inert(v) for v in row])

    def writerows(self, rows: Iterable[Sequence]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **kwargs) -> SafeWriter:
    return SafeWriter(file, **kwargs)
