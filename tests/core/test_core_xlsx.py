"""core.xlsx: every export gets a frozen bold header, fitted widths, a filter, real euros and dates.

openpyxl is not installed in this project, so the tests read the file's XML parts themselves
(an .xlsx is a zip of XML), which is also what every spreadsheet program reads.
"""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal as D
from xml.etree import ElementTree as ET

import pytest

from maatwerk.core import xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _xml(data):
    return ET.fromstring(data)  # noqa: S314 - the file the code under test just wrote


class Book:
    """The parts of an .xlsx that the tests look at."""

    def __init__(self, content: bytes, sheet: int = 1):
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            self.sheet_xml = z.read(f"xl/worksheets/sheet{sheet}.xml").decode()
            self.sheet = _xml(self.sheet_xml)
            styles = _xml(z.read("xl/styles.xml"))
            self.workbook = _xml(z.read("xl/workbook.xml"))
            names = z.namelist()
            strings = (
                _xml(z.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else None
            )
        self.strings = (
            ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in strings]
            if strings is not None
            else []
        )
        custom = {
            int(f.get("numFmtId")): f.get("formatCode")
            for f in styles.findall("m:numFmts/m:numFmt", NS)
        }
        fonts = styles.findall("m:fonts/m:font", NS)
        self.xfs = []
        for xf in styles.findall("m:cellXfs/m:xf", NS):
            font = fonts[int(xf.get("fontId", 0))]
            self.xfs.append(
                {
                    "format": custom.get(int(xf.get("numFmtId", 0)), xf.get("numFmtId")),
                    "bold": font.find("m:b", NS) is not None,
                }
            )

    def cell(self, ref: str) -> dict:
        c = self.sheet.find(f".//m:c[@r='{ref}']", NS)
        assert c is not None, f"no cell {ref}"
        v = c.find("m:v", NS)
        kind = c.get("t", "n")
        value = v.text if v is not None else None
        if kind == "s":
            value = self.strings[int(value)]
        return {
            "type": kind,
            "value": value,
            "formula": c.find("m:f", NS) is not None,
            **self.xfs[int(c.get("s", 0))],
        }

    def widths(self) -> dict[int, float]:
        return {
            int(col.get("min")): float(col.get("width"))
            for col in self.sheet.findall("m:cols/m:col", NS)
        }

    def pane(self):
        return self.sheet.find("m:sheetViews/m:sheetView/m:pane", NS)

    def autofilter(self) -> str | None:
        f = self.sheet.find("m:autoFilter", NS)
        return None if f is None else f.get("ref")


COLUMNS = [
    xlsx.Column("Team"),
    xlsx.Column("Jaar", xlsx.INTEGER),
    xlsx.Column("Budget", xlsx.MONEY),
    xlsx.Column("Besloten op", xlsx.DATE),
    xlsx.Column("Vastgelegd", xlsx.DATETIME),
]
ROWS = [
    ["Wijkteam Noord met een heel lange naam", 2026, D("6500.00"), date(2026, 11, 23), None],
    [
        '=HYPERLINK("http://x")',
        2026,
        D("-1250.50"),
        None,
        datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    ],
]


@pytest.fixture
def book(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    return Book(xlsx.workbook(xlsx.Sheet("Budgetten 2026", COLUMNS, ROWS)))


def test_the_header_row_is_bold_and_frozen_with_a_filter_over_the_data(book):
    a1 = book.cell("A1")
    assert (a1["type"], a1["value"], a1["bold"]) == ("s", "Team", True)
    assert all(book.cell(f"{c}1")["bold"] for c in "ABCDE")
    assert not book.cell("A2")["bold"]
    pane = book.pane()
    assert pane.get("state") == "frozen" and pane.get("ySplit") == "1"
    assert pane.get("topLeftCell") == "A2" and pane.get("xSplit") is None
    assert book.autofilter() == "A1:E3"


def test_money_is_a_number_in_a_euro_format(book):
    for ref, value in (("C2", 6500), ("C3", -1250.5)):
        cell = book.cell(ref)
        assert cell["type"] == "n" and float(cell["value"]) == value
        assert "€" in cell["format"] and "#,##0.00" in cell["format"]
    assert book.cell("B2")["value"] == "2026" and "€" not in str(book.cell("B2")["format"])


def test_dates_are_dates_and_times_are_local_wall_clock_times(book):
    day = book.cell("D2")
    assert day["type"] == "n" and day["format"] == "dd-mm-yyyy"
    assert float(day["value"]) == (date(2026, 11, 23) - date(1899, 12, 30)).days  # Excel's day 0
    moment = book.cell("E3")
    assert moment["format"] == "dd-mm-yyyy hh:mm"
    # 09:30 UTC is 10:30 in Amsterdam in November: 10.5 / 24 of a day after midnight.
    serial = (date(2026, 11, 23) - date(1899, 12, 30)).days
    assert float(moment["value"]) == pytest.approx(serial + 10.5 / 24)
    assert "D3" not in book.sheet_xml and "E2" not in book.sheet_xml  # empty stays empty


def test_column_widths_fit_the_longest_value_and_stay_within_bounds(book):
    widths = book.widths()
    assert set(widths) == {1, 2, 3, 4, 5}
    assert widths[1] >= len("Wijkteam Noord met een heel lange naam")
    assert widths[3] >= len("€ -1.250,50")
    # The file stores a width plus Excel's cell padding (8 → 8.71).
    assert widths[2] == pytest.approx(xlsx.MIN_WIDTH, abs=1)  # "Jaar" and 2026 are short
    long = Book(xlsx.workbook(xlsx.Sheet("x", [xlsx.Column("T")], [["x" * 500]])))
    assert long.widths()[1] == pytest.approx(xlsx.MAX_WIDTH, abs=1)


def test_text_that_looks_like_a_formula_stays_text(book):
    cell = book.cell("A3")
    assert cell["type"] == "s" and not cell["formula"]
    assert cell["value"].startswith("=HYPERLINK(")
    assert "<f>" not in book.sheet_xml and "<f " not in book.sheet_xml


def test_sheet_names_are_made_acceptable_to_excel():
    assert xlsx.sheet_name("Budget 2026/2027: [concept]") == "Budget 2026-2027- -concept-"
    assert len(xlsx.sheet_name("x" * 40)) == 31
    content = xlsx.workbook(xlsx.Sheet("a/b", [xlsx.Column("T")], []))
    sheet = Book(content).workbook.find("m:sheets/m:sheet", NS)
    assert sheet.get("name") == "a-b"


def test_several_sheets_and_an_empty_sheet():
    content = xlsx.workbook(
        xlsx.Sheet("Een", [xlsx.Column("A")], [["x"]]),
        xlsx.Sheet("Twee", [xlsx.Column("Bedrag", xlsx.MONEY)], []),
    )
    second = Book(content, sheet=2)
    assert second.cell("A1")["value"] == "Bedrag" and second.pane().get("state") == "frozen"
    assert second.autofilter() == "A1"


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        xlsx.workbook(xlsx.Sheet("x", [xlsx.Column("A"), xlsx.Column("B")], [["only one"]]))
