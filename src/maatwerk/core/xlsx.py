"""Excel (.xlsx) exports the way people expect them, written with XlsxWriter.

Every xlsx export builds its sheets here, so each one gets the same: a bold header row that stays
in view when scrolling (frozen), a filter on every column, column widths that fit the content,
money as real numbers in a euro format (`€ 6.500,00` in Dutch Excel), dates as real dates.

Text is always written as a text cell, never as a formula: a team or payee named
`=HYPERLINK(...)` stays text (see also `core.csv_export`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone

from . import formatting

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT = "text"
INTEGER = "integer"
NUMBER = "number"
MONEY = "money"
DATE = "date"
DATETIME = "datetime"

# Excel stores the format with US separators and shows it in the reader's locale: a Dutch Excel
# shows `€ 6.500,00` and `€ -1.250,00`. 413 is the locale id of nl-NL.
MONEY_FORMAT = "[$€-413] #,##0.00;[$€-413] -#,##0.00"
NUMBER_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"

MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_NAME_FORBIDDEN.sub("-", str(name)).strip("'")[:31] or "Sheet1"


def _shown(value, kind: str) -> str:
    """Roughly what a cell shows, to fit the column's width to it."""
    if value is None:
        return ""
    if kind == MONEY:
        return formatting.money(value)
    if kind == DATE:
        return "00-00-0000"
    if kind == DATETIME:
        return "00-00-0000 00:00"
    return str(value)


def _local(value: datetime) -> datetime:
    """Excel knows no time zones: an aware time as the wall clock time here, without its zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _write_sheet(book, formats: dict, sheet: Sheet) -> None:
    ws = book.add_worksheet(sheet_name(sheet.name))
    columns = list(sheet.columns)
    widths = [len(str(c.header)) + 3 for c in columns]  # room for the filter's arrow
    for c, column in enumerate(columns):
        ws.write_string(0, c, str(column.header), formats["header"])
    r = 0
    for r, row in enumerate(sheet.rows, start=1):
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            widths[c] = max(widths[c], len(_shown(value, column.kind)) + 1)
            if value is None or value == "":
                continue
            if column.kind == MONEY:
                ws.write_number(r, c, float(Decimal(value)), formats[MONEY])
            elif column.kind in (INTEGER, NUMBER):
                ws.write_number(r, c, float(value), formats[column.kind])
            elif column.kind == DATETIME:
                ws.write_datetime(r, c, _local(value), formats[DATETIME])
            elif column.kind == DATE:
                day = _local(value).date() if isinstance(value, datetime) else value
                if not isinstance(day, date):
                    raise TypeError(f"column {column.header!r} holds a date, not {value!r}")
                ws.write_datetime(r, c, datetime(day.year, day.month, day.day), formats[DATE])
            else:
                ws.write_string(r, c, str(value))
    for c, width in enumerate(widths):
        ws.set_column(c, c, min(max(width, MIN_WIDTH), MAX_WIDTH))
    ws.freeze_panes(1, 0)
    if columns:
        ws.autofilter(0, 0, r, len(columns) - 1)


def workbook(*sheets: Sheet) -> bytes:
    """The bytes of an .xlsx file with one worksheet per `Sheet`."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    formats = {
        "header": book.add_format({"bold": True, "bottom": 1}),
        MONEY: book.add_format({"num_format": MONEY_FORMAT}),
        NUMBER: book.add_format({"num_format": NUMBER_FORMAT}),
        INTEGER: book.add_format({"num_format": INTEGER_FORMAT}),
        DATE: book.add_format({"num_format": DATE_FORMAT}),
        DATETIME: book.add_format({"num_format": DATETIME_FORMAT}),
    }
    for sheet in sheets:
        _write_sheet(book, formats, sheet)
    book.close()
    return buffer.getvalue()
