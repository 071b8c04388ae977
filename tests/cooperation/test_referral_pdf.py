"""The referral document as a PDF (issue 12, point 3), read as the route reads it: its text
layer through poppler's pdftotext. It holds only what the route needs; the test lists its
fields and finds no BSN, no birth date, no name of a resident and no household reference."""

import io
import re
import shutil
import subprocess

import pypdf
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from maatwerk.accounts.models import User
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import referral_document, selectors, services
from maatwerk.cooperation.models import Referral, ReferralRoute
from maatwerk.plans.models import Plan

from ..once import rolled_back_after
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
    "De drie toetsen (waardendriehoek)",
    "Wettelijke grondslag",
    "Het doel en de instemming van de bewoner",
    "Doel",
    "Instemming van de bewoner met het plan",
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
    "Toestemming om gegevens te delen voor dit verzoek",
    "Gegeven op",
    "Waarvoor",
]


def _pdftotext(path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        print("pdftotext not found: install Debian's poppler-utils (.ci/run does).")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run([exe, str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The escalated request and its referral PDF, rendered once for the module."""
    with rolled_back_after(django_db_blocker):
        worker, _lead, plan, request = stuck_household()
        referral = services.escalate(
            worker, request, route=ReferralRoute.NATIONAL_DESK, reason=REASON
        )
        client = Client()
        client.force_login(worker)
        response = client.get(reverse("cooperation:referral_pdf", args=[referral.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        path = tmp_path_factory.mktemp("referral") / "doorverwijzing.pdf"
        path.write_bytes(response.content)
        text = _pdftotext(path)
        yield {
            "pdf": response.content,
            "text": text,
            "flat": " ".join(text.split()),
            "pks": (referral.pk, plan.pk, worker.pk),
        }


@pytest.fixture
def referral_pdf(rendered, client, db):
    referral_pk, plan_pk, worker_pk = rendered["pks"]
    worker = User.objects.get(pk=worker_pk)
    client.force_login(worker)
    return {
        **{key: rendered[key] for key in ("pdf", "text", "flat")},
        "referral": Referral.objects.get(pk=referral_pk),
        "plan": Plan.objects.get(pk=plan_pk),
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


def test_a_label_and_its_amount_stay_on_one_page(referral_pdf, tmp_path):
    """Whatever goes before it, "Maatwerkroute" and its amount are never parted by a page
    break: the reason for escalating grows a line at a time, pushing the figures down, and
    around the point where the label moves to the next page the amount moves with it."""
    referral, worker = referral_pdf["referral"], referral_pdf["worker"]
    request = RequestFactory().get("/")
    request.user = worker
    document = selectors.referral_document(worker, referral)

    def page_of_label(extra: int) -> int:
        document.referral.question = REASON + "\nEen regel meer." * extra
        path = tmp_path / f"r{extra}.pdf"
        with translation.override("nl"):
            path.write_bytes(referral_document.render_pdf(document, request))
        pages = _pdftotext(path).split("\f")
        label = next(i for i, page in enumerate(pages) if "Maatwerkroute" in page)
        lines = [line.strip() for line in pages[label].splitlines() if line.strip()]
        after = lines[lines.index("Maatwerkroute") + 1 :]
        assert after and after[0].startswith("€"), (extra, lines[-3:])
        return label

    low, high = 0, 90  # the label moves one page on between these
    first = page_of_label(low)
    assert page_of_label(high) > first, "test the test: the figures never moved on"
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if page_of_label(middle) == first else (low, middle)
    for extra in (high - 2, high + 1, high + 2):  # around the break, a line at a time
        page_of_label(extra)
