"""The referral document as a PDF, made the way the plan document is (``plans.document``):
WeasyPrint, tagged for accessibility (PDF/UA-1), in the interface language, with the
organisation's logo embedded. What it holds is ``selectors.referral_document``."""

from django.template.loader import render_to_string
from django.utils import timezone

from maatwerk.plans.document import logo_data_uri

from .selectors import ReferralDocument


def context(document: ReferralDocument) -> dict:
    organisation = document.request.case.team.organisation
    return {
        "doc": document,
        "referral": document.referral,
        "organisation": organisation,
        "logo": logo_data_uri(organisation),
        "printed_on": timezone.localdate(),
    }


def render_pdf(document: ReferralDocument, request) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("cooperation/referral_pdf.html", context(document), request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
