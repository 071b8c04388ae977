"""Privacy of early signals (issue 15, item 7): no BSN in logs, URLs or audit texts, and the
destruction of signals never picked up after the retention period (frozen clock)."""

import io
import json
import logging
import re
from datetime import date, datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import bsn as bsn_lib
from maatwerk.core import destruction
from maatwerk.partners import ddas, selectors, services
from maatwerk.partners.models import EarlySignal, EndResult, PartnerType, PostcodeArea, Status

from .conftest import BSN, bearer, make_partner, rent_signal

URL = "/api/v1/vroegsignalen"


@pytest.mark.django_db
def test_no_bsn_in_logs_audit_texts_or_urls(world, client, caplog, capsys):
    partner = make_partner(world, name="Zorgverzekeraar", type=PartnerType.HEALTH, holds_bsn=True)
    api = bearer(partner, world)
    body = rent_signal(7)
    body.pop("huurvoorwaarden")
    body["persoon"] = {"bsn": BSN}
    lead = world["users"][Role.TEAM_LEAD]
    urls = []
    with caplog.at_level(logging.DEBUG):
        response = api.post(URL, body, format="json")
        assert response.status_code == 201
        public_id = response.json()["id"]
        urls += [URL, response["Location"] if response.has_header("Location") else ""]
        urls.append(f"{URL}/{public_id}")
        assert api.get(f"{URL}/{public_id}").status_code == 200
        client.force_login(lead)
        for url in ("/vroegsignalen/", f"/vroegsignalen/{public_id}/"):
            page = client.get(url)
            assert page.status_code == 200
            urls += [url, *re.findall(r'(?:href|action)="([^"]*)"', page.content.decode())]
            assert BSN not in page.content.decode()  # shown masked only
        opened = client.post(
            f"/vroegsignalen/{public_id}/",
            {"action": "open", "open-first_name": "Sam", "open-last_name": "Jansen",
             "open-title": "Zorgpremie"},
        )  # fmt: skip
        urls.append(opened["Location"])
        page = client.get(opened["Location"])
        urls += re.findall(r'(?:href|action)="([^"]*)"', page.content.decode())
        call_command("destroy_expired_signals", "--dry-run", stdout=io.StringIO())
    out = capsys.readouterr()
    logged = caplog.text + out.out + out.err
    assert BSN not in logged
    audit_texts = [
        json.dumps({"reason": e.reason, "changes": e.changes, "object_id": e.object_id})
        for e in AuditEvent.objects.all()
    ]
    assert len(audit_texts) > 3
    assert not [t for t in audit_texts if BSN in t]
    assert not [u for u in urls if BSN in u]
    # It was there to be found: stored encrypted, with the case's resident.
    signal = EarlySignal.objects.get(public_id=public_id)
    assert bsn_lib.decrypt(signal.bsn_encrypted) == BSN


# --- destruction -------------------------------------------------------------------------------

TZ = timezone.get_fixed_timezone(60)
ARRIVED = datetime(2026, 3, 31, 9, 0, tzinfo=TZ)


def _signal(n, **values):
    return {
        "partner_signal_id": f"D-{n}", "kind": "vroeg", "amount": 500 + n,
        "signal_date": date(2026, 3, 30), "postcode": "8881AB", "house_number": n,
        "birth_date": date(1970, 1, n), "phone": "0612345678", "email": f"p{n}@example.nl",
        "rent": {"reminder_date": date(2026, 3, 1), "personal_contact_sought": True,
                 "pointed_to_debt_help": True, "no_objection": True},
        **values,
    }  # fmt: skip


@pytest.fixture
def march(world):
    """Signals of 31 March 2026: one picked up into a case, one closed as unjustified, one
    never touched, and one of another month that is still young."""
    org = world["team_a"].organisation
    PostcodeArea.objects.create(organisation=org, team=world["team_a"], start=8800, end=8899)
    partner = make_partner(world)
    worker = world["users"][Role.WORKER]
    with mock.patch("django.utils.timezone.now", return_value=ARRIVED):
        got = services.receive(partner=partner, signals=[_signal(i) for i in (1, 2, 3)])
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 9, 1, tzinfo=TZ)):
        young = services.receive(partner=partner, signals=[_signal(4)])[0].signal
    picked, unjust, untouched = (o.signal for o in got)
    services.link_case(actor=worker, signal=picked, case=world["case_a"])
    services.record_result(actor=worker, signal=unjust, result=EndResult.UNJUSTIFIED)
    return {"org": org, "picked": picked, "unjust": unjust, "untouched": untouched,
            "young": young}  # fmt: skip


def _person(signal):
    signal.refresh_from_db()
    return (signal.bsn_encrypted, signal.person_key, signal.postcode, signal.house_number,
            signal.birth_date, signal.phone, signal.email)  # fmt: skip


EMPTY = ("", "", "", None, None, "", "")


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert destruction.months_before(datetime(2026, 9, 30, 9, tzinfo=TZ), 6) == datetime(
        2026, 3, 30, 9, tzinfo=TZ
    )
    assert destruction.months_before(datetime(2026, 8, 31, tzinfo=TZ), 6).date() == date(
        2026, 2, 28
    )
    assert destruction.months_before(datetime(2026, 1, 15, tzinfo=TZ), 1).date() == date(
        2025, 12, 15
    )


@pytest.mark.django_db
def test_signals_never_picked_up_lose_their_person_data_after_six_months(march, settings):
    assert settings.MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS == 6
    first = date(2026, 3, 1)
    export_before = ddas.payload(march["org"], first, now=ARRIVED)
    rows_before = sorted(selectors.report_rows([march["org"].pk], first, date(2026, 4, 1)))

    # One day before the six months are up: nothing.
    day_before = datetime(2026, 9, 30, 8, 0, tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=day_before):
        out = io.StringIO()
        call_command("destroy_expired_signals", stdout=out)
    assert "vernietigd: 0" in out.getvalue()
    assert _person(march["untouched"]) != EMPTY

    # Past them: a dry run counts and changes nothing ...
    after = datetime(2026, 10, 1, 9, 0, tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=after):
        out = io.StringIO()
        call_command("destroy_expired_signals", "--dry-run", stdout=out)
        assert "te vernietigen: 2" in out.getvalue() and "proefdraai" in out.getvalue()
        assert _person(march["untouched"]) != EMPTY
        assert not AuditEvent.objects.filter(action="delete").exists()
        # ... and the run destroys the untouched and the unjustified signal, not the picked
        # up one nor the young one.
        out = io.StringIO()
        call_command("destroy_expired_signals", stdout=out)
    assert "vernietigd: 2" in out.getvalue()
    for key in ("untouched", "unjust"):
        assert _person(march[key]) == EMPTY
        assert march[key].destroyed_at == after
    assert _person(march["picked"]) != EMPTY and march["picked"].destroyed_at is None
    assert _person(march["young"]) != EMPTY
    # The tombstones count as before.
    assert ddas.payload(march["org"], first, now=ARRIVED) == export_before
    assert sorted(selectors.report_rows([march["org"].pk], first, date(2026, 4, 1))) == rows_before
    assert march["unjust"].status == Status.UNJUSTIFIED
    assert march["unjust"].end_result == EndResult.UNJUSTIFIED
    # Audited: the action and the count, never the data.
    [event] = AuditEvent.objects.filter(action="delete", object_type="partners.earlysignal")
    assert event.changes["destroyed"] == 2 and event.organisation_id == march["org"].pk
    assert "8881" not in json.dumps(event.changes) + event.reason
    # Out of the queue: a tombstone is nobody's to triage.
    worker = march["picked"].case.assigned_workers.get()
    assert selectors.triage_signals(worker).filter(pk=march["young"].pk).exists()
    assert not selectors.triage_signals(worker).filter(pk=march["untouched"].pk).exists()
    # Idempotent: a second run finds nothing and audits nothing more.
    with mock.patch("django.utils.timezone.now", return_value=after):
        out = io.StringIO()
        call_command("destroy_expired_signals", stdout=out)
    assert "vernietigd: 0" in out.getvalue()
    assert AuditEvent.objects.filter(action="delete").count() == 1


@pytest.mark.django_db
def test_the_retention_period_is_a_setting(march, settings):
    settings.MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS = 12
    after = datetime(2026, 10, 1, 9, 0, tzinfo=TZ)
    assert services.destroy_expired_signals(now=after, dry_run=True) == {}
    later = datetime(2027, 4, 1, 9, 0, tzinfo=TZ)
    assert services.destroy_expired_signals(now=later, dry_run=True) == {march["org"].pk: 2}
