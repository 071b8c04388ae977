"""The referral document as a PDF (issue 12, point 3), read as the route reads it: its text
layer through poppler's pdftotext. It holds only what the route needs; the test lists its
fields and finds no BSN, no birth date, no name of a resident and no household reference."""

import io
import re
import shutil
import subprocess

import pypdf
import pytest
from django.urls import reverse

from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import services
from maatwerk.cooperation.models import ReferralRoute

from .referral_helpers import (
    BSN_MAIN,
    BSN_PARTNER,
    CONSENT_SCOPE,
    GOAL,
    MAIN_NAME,
    PARTNER_NAME,
    QUESTION,
    stuck_household,
)

pytestmark = pytest.mark.django_db

REASON = "Toeslagen antwoordt niet binnen de termijn; de verrekening loopt door."

# Every heading and label of the document, in reading order: the route gets these and no more.
FIELDS = [
    "De doorverwijzing",
    "Van",
    "Contactpersoon",
    "Aan",
    "Verstuurd op",
    "Waarom escaleren",
    "Het knelpunt",
    "Toegepast door",
    "Wat het met dit huishouden doet",
    "De oplossing in het plan",
    "Gevraagd bedrag",
    "De drie hoeken",
    "Wettelijke grondslag",
    "Het doel en de instemming van de bewoner",
    "Doel",
    "Instemming",
    "Uitkomst van de kosten-batenvergelijking",
    "Standaardroute",
    "Maatwerkroute",
    "Netto opbrengst",
    "Terugverdiend",
    "Looptijd",
    "Het verzoek en het verloop",
    "Organisatie",
    "Wat is gevraagd",
    "Verstuurd op",
    "Antwoord uiterlijk op",
    "Antwoord",
    "Contacten",
    "Toestemming van de bewoner",
]


def _pdftotext(path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        print("pdftotext not found: install Debian's poppler-utils (.ci/run does).")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run([exe, str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def referral_pdf(client, tmp_path):
    worker, _lead, plan, request = stuck_household()
    referral = services.escalate(worker, request, route=ReferralRoute.NATIONAL_DESK, reason=REASON)
    client.force_login(worker)
    response = client.get(reverse("cooperation:referral_pdf", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "doorverwijzing.pdf"
    path.write_bytes(response.content)
    text = _pdftotext(path)
    return {
        "pdf": response.content,
        "text": text,
        "flat": " ".join(text.split()),
        "referral": referral,
        "plan": plan,
        "worker": worker,
    }


def test_the_document_holds_the_fields_the_route_needs_in_order(referral_pdf):
    flat = referral_pdf["flat"]
    position = 0
    for label in FIELDS:
        found = flat.find(label, position)
        assert found >= 0, f"{label!r} missing (or out of order) in: {flat[position:][:300]}"
        position = found + len(label)
    for value in (REASON, QUESTION, CONSENT_SCOPE, "Sanne de Vries", "Wijkteam Noord"):
        assert " ".join(value.split()) in flat, value
    assert " ".join(GOAL.split()) in flat
    assert (
        "Gebeld" not in flat
    )  # contact notes stay in the application: only date, channel, minutes
    assert "55" in flat  # the two calls' minutes (20 + 35)


def test_no_bsn_no_birth_date_no_names_no_household_reference(referral_pdf):
    flat = referral_pdf["flat"]
    digits = re.sub(r"\D", "", flat)
    for bsn in (BSN_MAIN, BSN_PARTNER):
        assert bsn not in digits, "a BSN is in the referral document"
    for name in (*MAIN_NAME, *PARTNER_NAME):
        assert name not in flat, f"the name {name!r} is in the referral document"
    for birth in ("1988", "1985"):
        assert birth not in flat, "a birth year is in the referral document"
    reference = referral_pdf["plan"].case.household.reference
    assert reference not in flat
    assert not re.search(r"\b[A-Z]\.\s?[A-Z]\.", flat), "initials are in the referral document"
    assert "BSN" not in flat.replace("burgerservicenummer", "")


def test_the_pdf_is_tagged_with_a_language(referral_pdf):
    reader = pypdf.PdfReader(io.BytesIO(referral_pdf["pdf"]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    assert str(root["/Lang"]).startswith("nl")
    assert bool(root["/MarkInfo"]["/Marked"])


def test_every_download_is_audited(client, referral_pdf):
    referral = referral_pdf["referral"]
    client.get(reverse("cooperation:referral_pdf", args=[referral.pk]))
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="cooperation.referral", object_id=referral.pk
    )
    assert events.count() == 2 and {e.actor for e in events} == {referral_pdf["worker"]}
