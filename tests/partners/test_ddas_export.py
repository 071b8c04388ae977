"""The monthly DDAS export and the report counts (issue 15, item 6)."""

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.core import json_export
from maatwerk.core.small_numbers import INSIDE
from maatwerk.partners import ddas, report, selectors, services
from maatwerk.partners.models import (
    ContactKind,
    EndResult,
    PartnerType,
    PartOfDay,
    PostcodeArea,
)

from .conftest import make_partner

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "ddas-vroegsignalering.md"
PROJECT = (
    Path(__file__).resolve().parents[2]
    / "src" / "maatwerk" / "partners" / "data" / "ddas-vroegsignalering.md"
)  # fmt: skip


def enumerations(text: str) -> dict[str, list[str]]:
    """`- **EnumX**: `a`; `b`` lines of the DDAS facts file, in their order."""
    found = {}
    for match in re.finditer(r"^- \*\*(Enum\w+)\*\*: (.+)$", text, re.MULTILINE):
        found[match.group(1)] = re.findall(r"`([^`]+)`", match.group(2))
    return found


def test_the_schema_enumerations_equal_the_ddas_file():
    listed = enumerations(PROJECT.read_text(encoding="utf-8"))
    assert set(listed) == {
        "EnumSignaalpartner", "EnumContactsoort", "EnumEindresultaat", "EnumDagdeel",
        "EnumSignaalstatus",
    }  # fmt: skip
    defs = json_export.load_schema(ddas.SCHEMA_PATH)["$defs"]
    for name, values in listed.items():
        assert defs[name]["enum"] == values, name


def test_the_projects_copy_of_the_ddas_file_is_the_shared_one():
    if not SHARED.exists():
        pytest.skip(f"shared data file not present at {SHARED}: the project's copy is tested")
    assert enumerations(SHARED.read_text(encoding="utf-8")) == enumerations(
        PROJECT.read_text(encoding="utf-8")
    )


def test_the_models_speak_the_schemas_enumerations():
    defs = json_export.load_schema(ddas.SCHEMA_PATH)["$defs"]
    assert set(PartnerType.values) == set(defs["EnumSignaalpartner"]["enum"])
    assert set(EndResult.values) == set(defs["EnumEindresultaat"]["enum"])
    assert set(ContactKind.values) == set(defs["EnumContactsoort"]["enum"])
    assert set(PartOfDay.values) == set(defs["EnumDagdeel"]["enum"])
    shown = {v for v in ddas.DDAS_STATUS.values() if v is not None}
    assert shown == set(defs["EnumSignaalstatus"]["enum"])


def test_parse_month():
    assert ddas.parse_month("2026-10") == date(2026, 10, 1)
    for bad in ("2026-13", "2026-1", "26-10", "", None, "1999-01", "2026-10-01"):
        assert ddas.parse_month(bad) is None


# --- data through the services -----------------------------------------------------------------

OCTOBER = datetime(2026, 10, 15, 10, 0, tzinfo=timezone.get_fixed_timezone(60))


def _signal(n, **values):
    return {
        "partner_signal_id": f"S-{n}", "kind": "vroeg", "amount": 700 + n,
        "signal_date": date(2026, 10, 14), "arrears_since": date(2026, 8, 1),
        "postcode": "8881AB", "house_number": n, "birth_date": date(1980, 1, 1),
        "rent": {"reminder_date": date(2026, 9, 1), "personal_contact_sought": True,
                 "pointed_to_debt_help": True, "no_objection": True},
        **values,
    }  # fmt: skip


@pytest.fixture
def october(world):
    """Four rent signals and an energy signal in October, one picked up into a case with a
    contact attempt, one closed as unjustified, and a department's warm handover."""
    org = world["team_a"].organisation
    PostcodeArea.objects.create(organisation=org, team=world["team_a"], start=8800, end=8899)
    rent = make_partner(world)
    energy = make_partner(world, name="Energie Wad", type=PartnerType.ENERGY)
    worker = world["users"][Role.WORKER]
    with mock.patch("django.utils.timezone.now", return_value=OCTOBER):
        got = services.receive(partner=rent, signals=[_signal(i) for i in range(1, 5)])
        services.receive(partner=energy, signals=[_signal(9, rent=None, crisis=True)])
        handover = services.record_handover(
            actor=worker, team=world["team_a"], department_name="Werk en Inkomen",
            postcode="8881AB", house_number=3, birth_date=date(1990, 2, 2),
        )  # fmt: skip
    picked, unjust = got[0].signal, got[1].signal
    services.record_contact_attempt(
        actor=worker, signal=picked, kind="Telefoon", reached=True,
        date=timezone.localdate(), part_of_day="Ochtend",
    )  # fmt: skip
    services.link_case(actor=worker, signal=picked, case=world["case_a"])
    services.record_result(actor=worker, signal=unjust, result=EndResult.UNJUSTIFIED)
    return {"org": org, "picked": picked, "unjust": unjust, "handover": handover}


@pytest.mark.django_db
def test_the_export_holds_the_months_creditor_signals_and_validates(october):
    data = ddas.payload(october["org"], date(2026, 10, 1), now=timezone.now())
    envelope = json.loads(ddas.to_json(data))
    assert json_export.first_error(envelope, ddas.SCHEMA_PATH) is None
    assert envelope["sha256"] == json_export.checksum(json_export.canonical(envelope["payload"]))
    ids = {s["ID"] for s in data["vroegsignalen"]}
    assert len(ids) == 5 and str(october["handover"].public_id) not in ids
    by_id = {s["ID"]: s for s in data["vroegsignalen"]}
    picked = by_id[str(october["picked"].public_id)]
    assert picked["status"] is None and picked["bedrag"] == 701
    assert picked["signaalpartner"] == {"type": "Huur"}
    assert by_id[str(october["unjust"].public_id)]["status"] == "Niet opgepakt: onterecht signaal"
    assert (
        sorted(s["signaalpartner"]["type"] for s in data["vroegsignalen"])
        == ["Energie"] + ["Huur"] * 4
    )
    zaak = next(
        z for z in data["vroegsignaalzaken"]
        if z["vroegsignalen"] == [{"ID": str(october["picked"].public_id)}]
    )  # fmt: skip
    assert zaak["datumOpgepakt"] == timezone.localdate().isoformat()
    assert zaak["contactpogingen"][0]["soort"] == "Telefoon"
    assert zaak["contactpogingen"][0]["bereikt"] is True
    # Nothing about the person.
    text = json.dumps(data)
    assert "8881" not in text and "1980-01-01" not in text
    # Another month is empty.
    assert ddas.payload(october["org"], date(2026, 9, 1), now=timezone.now())["vroegsignalen"] == []


@pytest.mark.django_db
def test_an_export_that_breaks_the_schema_is_refused(october):
    data = ddas.payload(october["org"], date(2026, 10, 1), now=timezone.now())
    data["vroegsignalen"][0]["signaalpartner"]["type"] = "Afdeling"
    with pytest.raises(json_export.InvalidExport, match="signaalpartner"):
        ddas.to_json(data)
    with pytest.raises(json_export.InvalidExport):
        ddas.to_csv(data)


@pytest.mark.django_db
def test_the_command_writes_json_csv_and_checksums_audited(october, tmp_path):
    out = io.StringIO()
    call_command("export_ddas", "--month", "2026-10", "--output", str(tmp_path), stdout=out)
    assert "5 signalen" in out.getvalue()
    [json_file] = tmp_path.glob("*.json")
    [csv_file] = tmp_path.glob("*.csv")
    for path in (json_file, csv_file):
        side = path.with_name(path.name + ".sha256").read_text()
        assert side == json_export.sidecar(path.read_bytes(), path.name)
    envelope = json.loads(json_file.read_text())
    assert json_export.first_error(envelope, ddas.SCHEMA_PATH) is None
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text())))
    assert len(rows) == 5 and {r["signaalpartner.type"] for r in rows} == {"Huur", "Energie"}
    assert AuditEvent.objects.filter(
        object_type="partners.ddas_export", action="export", object_id=str(october["org"].pk)
    ).exists()
    with pytest.raises(Exception, match="month"):
        call_command("export_ddas", "--month", "2026-13", "--output", str(tmp_path))


@pytest.mark.django_db
def test_the_manager_downloads_a_month_audited_others_may_not(october, client, world):
    manager = world["users"][Role.MANAGER]
    client.force_login(manager)
    page = client.get("/vroegsignalen/ddas/?maand=2026-10")
    assert page.status_code == 200 and "5 signalen" in page.content.decode()
    org = october["org"].pk
    response = client.get(f"/vroegsignalen/ddas/json/?maand=2026-10&organisatie={org}")
    assert response.status_code == 200
    envelope = json.loads(response.content)
    assert len(envelope["payload"]["vroegsignalen"]) == 5
    assert response["Repr-Digest"].startswith("sha-256=:")
    response = client.get(f"/vroegsignalen/ddas/csv/?maand=2026-10&organisatie={org}")
    assert response.status_code == 200 and response.content.decode().count("\n") == 6
    assert AuditEvent.objects.filter(actor=manager, object_type="partners.ddas_export").count() == 2
    assert client.get("/vroegsignalen/ddas/json/?maand=2026-10&organisatie=0").status_code == 404
    client.force_login(world["users"][Role.WORKER])
    assert client.get("/vroegsignalen/ddas/").status_code == 403
    download = f"/vroegsignalen/ddas/json/?maand=2026-10&organisatie={org}"
    assert client.get(download).status_code == 403


# --- the counts on the signal report -----------------------------------------------------------


@pytest.mark.django_db
def test_the_report_counts_per_partner_type_and_result_for_managers(october, client, world):
    rows = selectors.report_rows([october["org"].pk], date(2026, 10, 1), date(2027, 1, 1))
    counted = {(kind, result): n for kind, result, n in rows}
    assert counted == {
        ("Huur", report.NOT_YET): 2,
        ("Huur", report.PICKED_UP_OPEN): 1,
        ("Huur", EndResult.UNJUSTIFIED): 1,
        ("Energie", report.NOT_YET): 1,
    }  # the handover is no creditor signal
    client.force_login(world["users"][Role.MANAGER])
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 29)):
        page = client.get("/signalen/rapport/?periode=2026-K4").content.decode()
    assert 'id="early-signals-table"' in page and "&lt; 5" in page
    client.force_login(world["users"][Role.TEAM_LEAD])
    page = client.get("/signalen/rapport/?periode=2026-K4").content.decode()
    assert 'id="early-signals-table"' not in page  # for managers


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Huur", "Energie", "Water"]),
        st.sampled_from([report.NOT_YET, report.PICKED_UP_OPEN, EndResult.UNJUSTIFIED.value]),
        st.integers(1, 30),
    ),
    max_size=9,
)


@given(rows_strategy)
def test_no_shown_count_is_small_and_totals_add_up(rows):
    counts = report.build(rows, INSIDE)
    for group in counts.groups:
        for line in group.lines:
            assert line.count is None or line.count >= INSIDE.minimum
            assert line.count is not None or line.small or not line.small  # hidden: a reason
        if group.total is not None and all(line.count is not None for line in group.lines):
            assert group.total == sum(line.count for line in group.lines)
    if counts.total is not None:
        assert counts.total == sum(n for _k, _r, n in rows)
        assert counts.total >= INSIDE.minimum or counts.total == 0
