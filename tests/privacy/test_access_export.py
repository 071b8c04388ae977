"""A resident's request for access (AVG art. 15, issue 17 point 3)."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.privacy import access
from maatwerk.privacy.models import DataSubjectRequest
from maatwerk.privacy.services import one_month_after

from ..factories import TeamFactory, user_with_role

BSN = "999000019"
OTHER_BSN = "999000020"  # eleven-test valid, not in the database

# Fields that, in a model, mean it describes a person.
PERSON_FIELDS = {
    "first_name",
    "last_name",
    "birth_date",
    "bsn_encrypted",
    "postcode",
    "phone",
    "email",
}
# Models with such fields that are not about residents: staff, outside organisations' contact
# points and partners, each with the reason it is no part of a resident's export.
NOT_ABOUT_RESIDENTS = {
    "accounts.user": "staff accounts",
    "cooperation.contactpoint": "a desk of an outside organisation",
    "cooperation.externalorganisation": "an outside organisation",
    "partners.partner": "a partner organisation",
}


def test_every_model_that_reaches_a_resident_is_exported_or_excluded_with_a_reason():
    reachable = set(access.paths())
    assert {"cases.casenote", "plans.plan", "followup.outcome", "partners.earlysignal"} <= reachable
    stale = set(access.EXCLUDED) - reachable
    assert not stale, f"EXCLUDED names models that reach no resident: {stale}"
    assert all(reason.strip() for reason in access.EXCLUDED.values())


def test_every_model_with_personal_fields_is_reachable_or_explained():
    reachable = set(access.paths())
    for model in apps.get_models():
        label = model._meta.label_lower
        names = {f.name for f in model._meta.concrete_fields}
        if names & PERSON_FIELDS and label not in reachable:
            assert label in NOT_ABOUT_RESIDENTS, (
                f"{label} holds personal fields {sorted(names & PERSON_FIELDS)} but no export "
                "reaches it: link it to a case or resident, or explain it here"
            )


def test_one_month_to_answer():
    assert one_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert one_month_after(date(2026, 12, 15)) == date(2027, 1, 15)


@pytest.fixture
def world(db):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    officer = user_with_role(Role.PRIVACY_OFFICER, team)
    case = case_services.create_household_with_case(
        actor=worker,
        team=team,
        residents=[
            {
                "first_name": "Sanne",
                "last_name": "Jansen",
                "birth_date": date(1985, 1, 2),
                "bsn": BSN,
            },
            {"first_name": "Kees", "last_name": "Jansen", "birth_date": date(1983, 5, 6)},
        ],
        title="Toeslag verrekend met schuld",
        goal="Weer rust in mijn hoofd.",
        first_step="Brief samen lezen.",
        life_domains=["income"],
        organisations=[],
    )
    case_services.add_note(actor=worker, case=case, text="Gesprek met Sanne over de brief.")
    return {"team": team, "worker": worker, "officer": officer, "case": case}


def test_the_officer_finds_the_person_by_bsn_and_downloads_everything(client, world):
    client.force_login(world["worker"])
    client.get(reverse("cases:detail", args=[world["case"].pk]))  # a read to report
    client.force_login(world["officer"])
    response = client.post(
        reverse("privacy:access_search"), {"bsn": BSN, "received_on": "1-11-2026"}
    )
    assert response.status_code == 302
    person = reverse("privacy:access_person", args=[response.url.rstrip("/").split("/")[-1]])
    assert response.url == person
    page = client.get(person).content.decode()
    assert "Sanne Jansen" in page and "******019" in page
    assert BSN not in page and BSN not in response.url

    data = json.loads(client.get(person + "inzage.json").content)
    tables = {s["table"]: s["rows"] for s in data["sections"]}
    assert [r["first_name"] for r in tables["cases.resident"]] == ["Sanne"]  # not Kees
    assert tables["cases.casenote"][0]["text"] == "Gesprek met Sanne over de brief."
    assert tables["cases.case"][0]["title"] == "Toeslag verrekend met schuld"
    assert tables["privacy.datasubjectrequest"][0]["kind"]["code"] == "access"
    text = json.dumps(data)
    assert BSN not in text and "bsn_hash" not in text and "bsn_encrypted" not in text
    assert data["views"] and data["views"][0]["role"] and "name" not in data["views"][0]
    assert data["retention"] and data["recipients"]

    pdf = client.get(person + "inzage.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(actor=world["officer"], action="export")
    assert exports.count() == 2 and all(BSN not in e.reason for e in exports)


def test_a_bsn_nobody_has_finds_nothing_and_a_bad_bsn_is_refused(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("privacy:access_search"), {"bsn": OTHER_BSN, "received_on": "1-11-2026"}
    )
    assert response.status_code == 200 and "geen bewoner met dit BSN" in response.content.decode()
    response = client.post(
        reverse("privacy:access_search"), {"bsn": "123456789", "received_on": "1-11-2026"}
    )
    assert "elfproef" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_rectification_and_restriction_are_recorded_on_the_person(client, world):
    resident = world["case"].household.residents.get(first_name="Sanne")
    client.force_login(world["officer"])
    url = reverse("privacy:access_person", args=[resident.pk])
    response = client.post(
        url,
        {"kind": "restriction", "received_on": "2-11-2026", "note": "Bezwaar tegen verwerking."},
    )
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get(kind="restriction")
    assert request.resident == resident and request.due_on == date(2026, 12, 2)
    assert "Bezwaar" not in AuditEvent.objects.get(object_type="privacy.datasubjectrequest").reason
    empty = client.post(url, {"kind": "", "received_on": "", "note": ""})
    assert empty.status_code == 200 and DataSubjectRequest.objects.count() == 1


def test_only_the_privacy_officer_of_the_organisation(client, world):
    resident = world["case"].household.residents.first()
    client.force_login(world["worker"])
    assert client.get(reverse("privacy:access_search")).status_code == 403
    other_officer = user_with_role(Role.PRIVACY_OFFICER, TeamFactory())
    client.force_login(other_officer)
    assert client.get(reverse("privacy:access_person", args=[resident.pk])).status_code == 404


def test_finding_the_person_twice_for_one_request_records_it_once(client, world):
    client.force_login(world["officer"])
    for _ in range(2):
        client.post(reverse("privacy:access_search"), {"bsn": BSN, "received_on": "1-11-2026"})
    assert DataSubjectRequest.objects.filter(kind="access").count() == 1
