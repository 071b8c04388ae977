"""The plan document as a PDF (issue 11, point 5), looked at as a reader would: rendered to
pixels with poppler's pdftoppm, its text layer read with pdftotext, its structure checked.

The chart used to print as one black filled wedge (WeasyPrint ignores the page's CSS inside an
SVG, and a polyline without fill="none" is filled black). Here the chart's area must hold both
route colours as lines, with few dark pixels."""

import io
import re
import shutil
import subprocess
from decimal import Decimal as D

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from maatwerk.accounts.models import User
from maatwerk.accounts.roles import Role
from maatwerk.costs import charts
from maatwerk.decisions import services
from maatwerk.decisions.models import Budget
from maatwerk.plans import document
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans import views as plan_views
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..once import rolled_back_after
from ..plan_helpers import configure_mandates, submitted_plan

REASON = "Past binnen het maatwerkbudget en voorkomt een jaar bijstand."
HEADINGS = (
    "Samenvatting",
    "Wettelijke grond",
    "De stem van de bewoner",
    "Opgetelde kosten van beide routes",
    "Besluit",
    "Besluitvorming",
)

# A 1×1 PNG (a blue pixel), small enough to read in a test.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63505a7f0000028201434c6d2d6e0000000049454e44ae426082"
)


def _poppler(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        print(f"{name} not found: install Debian's poppler-utils (.ci/run does).")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The approved plan and its PDF, rendered once for the module (WeasyPrint takes seconds)."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back_after(django_db_blocker, MEDIA_ROOT=media):
        team = TeamFactory(name="Wijkteam Noord")
        team.organisation.logo.save("logo.png", ContentFile(PNG))
        configure_mandates(team.organisation)
        worker = user_with_role(Role.WORKER, team, first_name="Sanne", last_name="de Vries")
        lead = user_with_role(Role.TEAM_LEAD, team, first_name="Pieter", last_name="Bakker")
        Budget.objects.create(
            organisation=team.organisation,
            team=team,
            year=timezone.localdate().year,
            amount=D("25000"),
        )
        plan = submitted_plan(CaseFactory(household__team=team), worker, "2000")
        services.approve(lead, plan, reason=REASON)
        client = Client()
        client.force_login(worker)
        response = client.get(reverse("plans:document_pdf", args=[plan.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        path = media / "plan.pdf"
        path.write_bytes(response.content)
        yield {"path": path, "pdf": response.content, "media": media, "pks": (plan.pk, worker.pk)}


@pytest.fixture
def approved_pdf(rendered, client, db, settings):
    settings.MEDIA_ROOT = rendered["media"]
    plan_pk, worker_pk = rendered["pks"]
    plan = Plan.objects.get(pk=plan_pk)
    worker = User.objects.get(pk=worker_pk)
    client.force_login(worker)
    return {
        "path": rendered["path"],
        "pdf": rendered["pdf"],
        "plan": plan,
        "org": plan.case.household.team.organisation,
        "worker": worker,
    }


def _text(path, *args) -> str:
    return subprocess.run(
        [_poppler("pdftotext"), *args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _chart_box(path):
    """(page, x, y, w, h) in points of the chart: from its heading down to its legend."""
    layout = _text(path, "-bbox")
    page = 0
    heading = legend = None
    for line in layout.splitlines():
        if line.strip().startswith("<page "):
            page += 1
        m = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', line)
        if not m:
            continue
        word = m.group(3)
        if word == "Opgetelde" and heading is None:
            heading = (page, float(m.group(2)))
        elif word.startswith("Horizontaal") and heading and page == heading[0]:
            legend = float(m.group(1))
    assert heading and legend, "chart heading and legend not found in the text layer"
    # The plot lies between the heading's bottom and the legend's top; the page's content
    # runs from 16 mm to 194 mm across (45 pt … 550 pt).
    y = heading[1] + 4
    return heading[0], 45, int(y), 505, int(legend - y - 20)


def _pixels(path, page, x, y, w, h):
    """RGB pixels of that box at 72 dpi (1 px = 1 pt), read from pdftoppm's PPM."""
    ppm = subprocess.run(
        [
            *(_poppler("pdftoppm"), "-r", "72", "-f", str(page), "-l", str(page)),
            *("-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), str(path)),
        ],
        check=True,
        capture_output=True,
    ).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    width, height = int(m.group(1)), int(m.group(2))
    data = ppm[m.end() :]
    return [tuple(data[i : i + 3]) for i in range(0, width * height * 3, 3)]


def _near(pixel, colour: str, tolerance=60) -> bool:
    target = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return sum(abs(a - b) for a, b in zip(pixel, target, strict=True)) <= tolerance


def test_the_chart_prints_as_two_lines_not_a_filled_shape(approved_pdf):
    page, x, y, w, h = _chart_box(approved_pdf["path"])
    pixels = _pixels(approved_pdf["path"], page, x, y, w, h)
    dark = sum(1 for p in pixels if sum(p) < 3 * 80) / len(pixels)
    red = sum(1 for p in pixels if _near(p, charts.STANDARD_COLOUR))
    blue = sum(1 for p in pixels if _near(p, charts.TAILORED_COLOUR))
    colours = {p for p in pixels if max(p) - min(p) > 60}  # not grey
    print(f"chart box {w}×{h} pt: dark {dark:.3f}, red {red} px, blue {blue} px")
    assert dark < 0.02, f"{dark:.1%} of the chart is dark: a filled shape?"
    assert red > 100 and blue > 100, "both routes must show as coloured lines"
    assert len(colours) > 1


def test_the_text_layer_has_the_headings_and_the_decision_not_the_engine_checks(approved_pdf):
    text = " ".join(_text(approved_pdf["path"]).split())
    for heading in HEADINGS:
        assert heading in text, heading
    org = approved_pdf["org"].name
    assert org in text
    assert "Pieter Bakker" in text and "Teamleider" in text and REASON in text
    assert "mag zelfstandig tot € 2.500,00 toekennen" in text
    assert re.search(r"Pagina 1 van \d", text)
    # The regelbank's editorial marks stay out; the engine version only in the colophon.
    assert "nog te controleren" not in text
    before_colophon, _, colophon = text.partition("De berekening is vastgelegd")
    assert "rekenkern" in colophon and "engine-" not in before_colophon


def test_the_pdf_is_tagged_with_a_language_and_embeds_the_logo(approved_pdf):
    reader = pypdf.PdfReader(io.BytesIO(approved_pdf["pdf"]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    assert str(root["/Lang"]).startswith("nl")
    assert bool(root["/MarkInfo"]["/Marked"])
    images = [img for page in reader.pages for img in page.images]
    assert images, "the organisation's logo is missing"


def test_without_a_logo_the_document_shows_a_neutral_mark(client, approved_pdf):
    approved_pdf["org"].logo = ""
    approved_pdf["org"].save()
    html = client.get(reverse("plans:document", args=[approved_pdf["plan"].pk])).content.decode()
    assert 'class="om-doc-header__logo"' in html and "Logo van" in html
    assert "data:image/png" not in html


# --- issue 11, the new user's findings on the plan document (task h2) --------------------------


def _flat(path) -> str:
    return " ".join(_text(path).split())


def test_a_label_is_not_left_alone_at_the_bottom_of_a_page(approved_pdf, tmp_path):
    """ "Doel:" stood alone at the bottom of page 1, its quote on page 2. Here the resident's
    section starts a page below a filler that puts the label on the page's last line: the
    label (and the section's heading) must move to the next page with the text."""
    plan = approved_pdf["plan"]
    request = RequestFactory().get("/")
    request.user = approved_pdf["worker"]
    detail = plan_selectors.plan_detail(request.user, plan.pk)
    with translation.override("nl"):
        context = plan_views._document_context(request, detail)
        html = document.render_to_string("plans/document_pdf.html", context, request)
    at = html.index('<section aria-labelledby="doc-voice">')

    def render(filler_pt: float):
        from weasyprint import HTML

        filler = f'<div style="break-before: page; height: {filler_pt:.1f}pt"></div>'
        out = tmp_path / f"keep-{filler_pt:.0f}.pdf"
        out.write_bytes(HTML(string=html[:at] + filler + html[at:]).write_pdf())
        return out

    def where(path, word):
        """(page, yMax) of the first `word` in the text layer."""
        page = 0
        for line in _text(path, "-bbox").splitlines():
            if line.strip().startswith("<page "):
                page += 1
            m = re.search(r'yMax="([\d.]+)">([^<]+)</word>', line)
            if m and m.group(2) == word:
                return page, float(m.group(1))
        raise AssertionError(f"{word!r} not in the text layer")

    _, y = where(render(0), "Doel:")
    # The page's content ends 20 mm above the bottom of A4 (842 pt): the filler puts the
    # label's line 6 pt above that, where the quote below it cannot follow.
    bottom = 842 - 20 / 25.4 * 72
    shifted = render(bottom - 6 - y)
    label_page, _ = where(shifted, "Doel:")
    goal_page, _ = where(shifted, plan.case.goal.split()[0])
    heading_page, _ = where(shifted, "stem")
    assert label_page == goal_page, f"'Doel:' on page {label_page}, its text on page {goal_page}"
    assert heading_page == label_page, "the section's heading is left behind"


def test_every_source_prints_its_address(approved_pdf):
    """ "(bron)" was a link a printed page cannot follow: the document prints the address."""
    text = _flat(approved_pdf["path"])
    assert "(bron)" not in text
    for chosen in approved_pdf["plan"].plan_provisions.all():
        provision = chosen.provision
        assert provision.source_url, "the seeded provision has a source address"
        # pdftotext may break a long address over lines: compare without the spaces.
        assert f"(bron:{provision.source_url})" in text.replace(" ", "")


def test_the_line_tables_show_every_figure_in_the_plan_forms_words(client, approved_pdf):
    """Cost type, start, chance and reliability were missing for an accountant."""
    html = client.get(reverse("plans:document", args=[approved_pdf["plan"].pk])).content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    for header in (
        "Wat voor kosten", "Wie betaalt", "Bedrag", "Aantal", "Begint na (maanden)",
        "Hoeveel maanden", "Kans dat het gebeurt (%)", "Betrouwbaarheid",
    ):  # fmt: skip
        assert header in headers, header
    # The standard route's catalogue line and the tailored route's own amount.
    assert "Geld dat van de ene naar de andere gaat" in html  # the allowance: a transfer
    assert "Geld van de overheid" in html  # the tailored route's fiscal cost
    assert "C · indicatief" in html  # an amount of one's own
    assert re.search(r"[AB] · (officieel|onderzoek)", html)  # the catalogue's price
    assert "100 %" in html  # the chance
    # The PDF has them too (its narrow columns wrap text, so only words that do not wrap).
    text = _flat(approved_pdf["path"])
    assert "indicatief" in text and "100 %" in text and "Betrouw" in text


def test_the_document_speaks_plain_dutch(approved_pdf):
    """No Waardendriehoek, doormodderen/doorbreken, Trede or a law's abbreviation on its own:
    the plain words, with the technical one only in a small explanation."""
    text = _flat(approved_pdf["path"])
    assert "De drie toetsen" in text and "aardendriehoek" not in text
    assert "Zonder maatwerk" in text and "Met maatwerk" in text
    explanation = re.search(r"Zonder maatwerk: wat er gebeurt.*?tellen als C\.", text)
    assert explanation, "the small explanation of the routes is missing"
    rest = text.replace(explanation.group(0), "")
    assert "doormodderen" not in rest and "doorbreken" not in rest
    assert "Trede" not in text and "Functie" in text
    for chosen in approved_pdf["plan"].plan_provisions.all():
        law = chosen.provision.law
        assert law.name in text
        assert text.count(law.code) == text.count(f"({law.code})"), "an abbreviation on its own"


def test_one_name_for_the_legal_section_everywhere(client, approved_pdf):
    """ "Wettelijke grond", "Rechtmatigheid" and "Juridische grondslag" were one section."""
    text = _flat(approved_pdf["path"])
    plan = approved_pdf["plan"]
    pages = [
        text,
        client.get(reverse("plans:detail", args=[plan.pk])).content.decode(),
        client.get(reverse("plans:document", args=[plan.pk])).content.decode(),
    ]
    for page in pages:
        assert "Wettelijke grond" in page
        assert "Rechtmatigheid" not in page and "Juridische grondslag" not in page
