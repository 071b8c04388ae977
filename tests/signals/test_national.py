"""The national picture (issue 14, point 6): the export under the outside rule (JSON with a
published schema and a checksum, CSV), the importer's refusals, and three organisations'
exports merged into national totals that are lower bounds."""

import copy
import csv
import io
import json
from datetime import UTC, datetime
from io import StringIO

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.core.small_numbers import Rule, outside_rule
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import export, national, report, selectors
from maatwerk.signals.models import NationalFigure, NationalImport

from ..factories import CaseFactory, TeamFactory, user_with_role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
A, B, E, J = "TOESLAG-VERREKEND", "KOSTENDELERSNORM", "ENERGIE-AFSLUITING", "JONGERENNORM"
# Households per rule in three organisations. Two or three small rules per organisation
# protect each other, so no secondary suppression hides the large ones.
ORGANISATIONS = {
    "Gemeente Een": {A: 12, B: 23, E: 2, J: 3},  # A 10, B 25 (rounded to 5)
    "Gemeente Twee": {A: 17, B: 10, E: 4, J: 1},  # A 15, B 10
    "Gemeente Drie": {A: 4, B: 15, E: 2, J: 3},  # A suppressed, B 15
}


def _organisation(name: str, counts: dict[str, int]):
    team = TeamFactory(name=f"Wijkteam {name}", organisation__name=name)
    worker = user_with_role(Role.WORKER, team)
    for code, n in counts.items():
        rule = BlockingRule.objects.get(code=code)
        for _ in range(n):
            case = CaseFactory(household__team=team)
            case_services.add_obstacle(
                actor=worker, case=case, blocking_rule=rule, effect="Vrije tekst"
            )
    return team.organisation


@pytest.fixture
def organisations(seeded_catalogues):
    return [_organisation(name, counts) for name, counts in ORGANISATIONS.items()]


def _period():
    return report.Period(timezone.localdate().year)


def _cell(data, code):
    return next(c for c in data["cells"] if c["rule_code"] == code)


def test_the_export_applies_the_outside_rule_and_matches_the_schema(organisations):
    data = export.payload(organisations[0], _period(), now=NOW)
    envelope = json.loads(export.to_json(data))
    jsonschema.validate(envelope, export.schema())
    assert envelope["sha256"] == export.checksum(export.canonical(data))
    assert _cell(data, A)["households"] == 10  # 12 rounded to 5
    assert _cell(data, B)["households"] == 25  # 23 rounded to 5
    for code in (E, J):
        small = _cell(data, code)
        assert small["suppressed"] is True
        assert small["households"] is None and small["plans"] is None
    assert data["suppressed_cells"] == 2
    assert data["rule"] == {"minimum": 10, "rounding": 5, "dominance_percent": 30}
    text = export.to_json(data).decode()
    assert "Vrije tekst" not in text  # no free text, no case


def test_the_csv_has_the_same_cells_with_empty_suppressed_figures(organisations):
    data = export.payload(organisations[0], _period(), now=NOW)
    rows = list(csv.DictReader(io.StringIO(export.to_csv(data).decode())))
    assert {r["rule_code"]: r["households"] for r in rows} == {A: "10", B: "25", E: "", J: ""}
    assert {r["suppressed"] for r in rows if r["rule_code"] in (E, J)} == {"true"}


def test_the_command_writes_json_csv_and_checksum_files(organisations, tmp_path):
    call_command(
        "export_signals", period=_period().key, organisation="Gemeente Een",
        output=str(tmp_path), stdout=StringIO(),
    )  # fmt: skip
    stem = f"signalen-gemeente-een-{_period().key}"
    for suffix in (".json", ".csv"):
        content = (tmp_path / f"{stem}{suffix}").read_bytes()
        digest, name = (tmp_path / f"{stem}{suffix}.sha256").read_text().split()
        assert (digest, name) == (export.checksum(content), f"{stem}{suffix}")


def _write(tmp_path, org, name=None):
    data = export.payload(org, _period(), now=NOW)
    path = tmp_path / (name or f"{org.pk}.json")
    path.write_bytes(export.to_json(data))
    return path


def test_three_organisations_merge_into_national_totals_that_are_lower_bounds(
    organisations, tmp_path
):
    files = [str(_write(tmp_path, org)) for org in organisations]
    call_command("aggregate_signals", *files, stdout=StringIO())
    merged, imports = selectors.national_report(_period().key)
    assert len(imports) == 3
    rows = {r.rule_code: r for r in merged.rows}
    assert (rows[A].households, rows[A].organisations, rows[A].suppressed) == (25, 2, 1)
    assert (rows[B].households, rows[B].organisations, rows[B].suppressed) == (50, 3, 0)
    # The small rules are suppressed everywhere: counted, never summed.
    assert (rows[E].households, rows[E].organisations, rows[E].suppressed) == (0, 0, 3)
    assert merged.suppressed == 2 + 2 + 3 and merged.cells == 12
    assert [r.rule_code for r in merged.rows][:2] == [B, A]  # by households


def test_reimporting_replaces_and_never_double_counts(organisations, tmp_path):
    path = _write(tmp_path, organisations[0])
    call_command("aggregate_signals", str(path), stdout=StringIO())
    out = StringIO()
    call_command("aggregate_signals", str(path), stdout=out)
    assert "replaces" in out.getvalue()
    assert NationalImport.objects.count() == 1
    assert NationalFigure.objects.filter(rule_code=A).get().households == 10


def _tampered(tmp_path, org, change, *, fix_checksum=True):
    data = export.payload(org, _period(), now=NOW)
    data = copy.deepcopy(data)
    change(data)
    envelope = {
        "payload": data,
        "sha256": export.checksum(export.canonical(data)) if fix_checksum else "0" * 64,
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(envelope))
    return path


def _refusal(path) -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("aggregate_signals", str(path), stdout=StringIO(), stderr=err)
    assert NationalImport.objects.count() == 0  # nothing of the file is stored
    return err.getvalue()


def test_a_cell_under_ten_households_is_refused(organisations, tmp_path):
    # 5 passes the schema's multiple of 5 but not its minimum; 5 in a rule of 15 (stricter
    # setting) is caught by the rule check.
    path = _tampered(tmp_path, organisations[0], lambda d: _cell(d, A).update(households=5))
    assert "households" in _refusal(path)
    payload = json.loads(path.read_text())["payload"]
    _cell(payload, A)["households"] = 10
    with pytest.raises(national.ExportRefused, match="fewer than 15"):
        national.check(export.to_json(payload), Rule("stricter", minimum=15, rounding=5))


def test_a_count_not_a_multiple_of_five_is_refused(organisations, tmp_path):
    path = _tampered(tmp_path, organisations[0], lambda d: _cell(d, B).update(households=23))
    assert "multiple of 5" in _refusal(path)


def test_euros_in_a_suppressed_cell_are_refused(organisations, tmp_path):
    def leak(d):
        _cell(d, E)["standard_eur"] = "1200.00"

    path = _tampered(tmp_path, organisations[0], leak)
    message = _refusal(path)
    assert "standard_eur" in message or "suppressed" in message
    # The rule check says it too, without the schema's help.
    data = export.payload(organisations[0], _period(), now=NOW)
    leak(data)
    envelope = {"payload": data, "sha256": export.checksum(export.canonical(data))}
    with pytest.raises(national.ExportRefused):
        national.check(json.dumps(envelope).encode(), outside_rule())


def test_a_count_of_plans_under_ten_households_is_refused(organisations, tmp_path):
    # Three plans rounded up to "5" in a shown cell: the old leak. The rule check refuses it.
    path = _tampered(tmp_path, organisations[0], lambda d: _cell(d, A).update(plans=5))
    assert "plans 5, fewer than 10" in _refusal(path)
    path = _tampered(tmp_path, organisations[0], lambda d: _cell(d, B).update(approved=5))
    assert "approved 5, fewer than 10" in _refusal(path)


def test_a_shown_cell_may_hide_its_plans_but_then_not_its_euros(organisations, tmp_path):
    # Fewer than 10 households with plans: the cell shows its households, plans null.
    data = export.payload(organisations[0], _period(), now=NOW)
    _cell(data, A).update(plans=None, approved=None)
    envelope = json.loads(export.to_json(data))
    jsonschema.validate(envelope, export.schema())
    assert national.check(export.to_json(data), outside_rule())["cells"]
    # Euros beside a hidden count of plans would rest on fewer than 10 households.
    _cell(data, A)["tailored_eur"] = "4000.00"
    with pytest.raises(national.ExportRefused, match="euros in a cell without plans"):
        national.check(export.to_json(data), outside_rule())


def test_a_wrong_checksum_is_refused(organisations, tmp_path):
    path = _tampered(tmp_path, organisations[0], lambda d: None, fix_checksum=False)
    assert "checksum" in _refusal(path)


def test_a_wrong_sidecar_checksum_is_refused(organisations, tmp_path):
    path = _write(tmp_path, organisations[0])
    (tmp_path / f"{path.name}.sha256").write_text(f"{'a' * 64}  {path.name}\n")
    assert ".sha256" in _refusal(path)


def test_a_wrong_count_of_suppressed_cells_and_a_broken_file_are_refused(organisations, tmp_path):
    path = _tampered(tmp_path, organisations[0], lambda d: d.update(suppressed_cells=0))
    assert "suppressed_cells" in _refusal(path)
    path.write_text("{not json")
    assert "not a JSON file" in _refusal(path)


def test_a_time_without_offset_is_refused(organisations, tmp_path):
    path = _tampered(
        tmp_path, organisations[0], lambda d: d.update(generated_at="2026-11-29T12:00:00")
    )
    assert "generated_at" in _refusal(path)


def test_one_bad_file_does_not_stop_the_good_ones(organisations, tmp_path):
    good = _write(tmp_path, organisations[1], "good.json")
    bad = _tampered(tmp_path, organisations[0], lambda d: None, fix_checksum=False)
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("aggregate_signals", str(bad), str(good), stdout=StringIO(), stderr=StringIO())
    assert list(NationalImport.objects.values_list("organisation", flat=True)) == ["Gemeente Twee"]


def test_the_download_is_for_policy_roles_and_audited(client, organisations):
    team = organisations[0].teams.first()
    analyst = user_with_role(Role.POLICY_ANALYST, team)
    client.force_login(analyst)
    url = reverse("signals:national_export_json")
    response = client.get(url, {"periode": _period().key})
    assert response.status_code == 200
    envelope = json.loads(response.content)
    jsonschema.validate(envelope, export.schema())
    assert envelope["payload"]["organisation"]["name"] == "Gemeente Een"
    assert response["Repr-Digest"].startswith("sha-256=:")
    assert AuditEvent.objects.filter(object_type="signals.national_export").count() == 1
    # Another organisation's figures are not theirs to export.
    other = organisations[1].pk
    assert client.get(url, {"periode": _period().key, "organisatie": other}).status_code == 404
    client.force_login(user_with_role(Role.TEAM_LEAD, team))
    assert client.get(url).status_code == 403


def test_the_schema_is_published_without_login(client):
    response = client.get(reverse("signals:export_schema"))
    assert response.status_code == 200
    assert json.loads(response.content)["title"].startswith("Open Maatwerk")


def test_the_national_page_says_totals_are_a_lower_bound(client, organisations, tmp_path):
    team = organisations[0].teams.first()
    client.force_login(user_with_role(Role.POLICY_ANALYST, team))
    # The old address redirects to the report's national scope (the same page).
    old = client.get(reverse("signals:national"), {"periode": "2026"})
    assert old.status_code == 302
    assert old["Location"] == reverse("signals:report") + "?bereik=landelijk&periode=2026"
    national = reverse("signals:report") + "?bereik=landelijk"
    empty = client.get(national)
    assert empty.status_code == 200 and 'id="no-national"' in empty.content.decode()
    assert 'id="report-scope"' in empty.content.decode()
    # Spoken to a manager: who reads the figures in, not a command (walk 14).
    assert "functioneel beheerder" in empty.content.decode()
    assert "manage.py" not in empty.content.decode()
    # Linked from the report before anything is imported.
    assert 'id="to-national"' in client.get(reverse("signals:report")).content.decode()
    files = [str(_write(tmp_path, org)) for org in organisations]
    call_command("aggregate_signals", *files, stdout=StringIO())
    page = client.get(national).content.decode()
    assert 'id="lower-bound"' in page and "7" in page
    # The scope switch: the own organisation's report and the national one, current marked.
    scope = page.split('id="report-scope"')[1].split("</nav>")[0]
    assert scope.count("<a ") == 2 and 'aria-current="page">Landelijk' in scope
    own = client.get(reverse("signals:report")).content.decode()
    assert 'aria-current="page">Eigen organisatie' in own.split('id="report-scope"')[1]
    # A team lead sees the own report without the switch and may not ask the national scope.
    lead = user_with_role(Role.TEAM_LEAD, team)
    client.force_login(lead)
    assert 'id="report-scope"' not in client.get(reverse("signals:report")).content.decode()
    assert client.get(national).status_code == 403
    client.force_login(user_with_role(Role.POLICY_ANALYST, team))
    assert client.get(reverse("signals:report")).content.decode().count('id="to-national"') == 1
