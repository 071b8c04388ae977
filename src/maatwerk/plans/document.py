"""The plan document as a PDF: WeasyPrint, tagged for accessibility (PDF/UA-1), in the
interface language, with the organisation's logo embedded (never fetched from a URL)."""

import base64
import logging

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def logo_data_uri(organisation) -> str:
    """The organisation's logo as a data: URI, or "" when it has none (the template then draws
    a neutral mark). An unreadable file is logged (without personal data) and left out."""
    logo = getattr(organisation, "logo", None)
    if not logo:
        return ""
    kind = LOGO_TYPES.get(logo.name.rsplit(".", 1)[-1].lower())
    if kind is None:
        return ""
    try:
        with logo.open("rb") as f:
            data = f.read()
    except OSError:
        logger.warning("organisation logo unreadable", extra={"organisation_id": organisation.pk})
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_pdf(context: dict, request) -> bytes:
    """The PDF of ``plans/document_pdf.html``: tagged (structure tree, reading order, alt
    texts) as PDF/UA-1 asks, with the document language from the page's ``lang``."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("plans/document_pdf.html", context, request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
