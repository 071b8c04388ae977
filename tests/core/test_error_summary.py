"""One error summary for every form (_error_summary.html): the plan form's summary of several
parts (its intro line and a link per field, issue 11) is the same box as every other form's."""

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="Naam")


def test_a_form_lists_its_fields_with_a_link_each():
    form = _Form(data={})
    html = render_to_string("_error_summary.html", {"form": form})
    assert 'id="error-summary"' in html and "data-error-summary" in html
    assert "Controleer het formulier" in html
    assert '<a href="#id_name">Naam</a>: Dit veld is verplicht.' in html


def test_the_plan_forms_links_and_intro_line_in_the_same_box():
    html = render_to_string(
        "_error_summary.html",
        {
            "links": [
                ("id_tailored-0-amount", "Maatwerkroute, regel 1 – Bedrag", "Niet negatief."),
                ("", "", "Kies ten minste één regel."),
            ],
            "intro": "Er is nog niets opgeslagen: verbeter de gemarkeerde velden.",
            "autofocus": True,
        },
    )
    assert html.count('class="om-error-summary"') == 1
    assert "Controleer het formulier" in html
    assert "Er is nog niets opgeslagen: verbeter de gemarkeerde velden." in html
    assert "Verbeter het volgende:" not in html  # the intro replaces the default line
    assert (
        '<li><a href="#id_tailored-0-amount">Maatwerkroute, regel 1 – Bedrag</a>: '
        "Niet negatief.</li>"
    ) in html
    assert "<li>Kies ten minste één regel.</li>" in html
    assert " autofocus>" in html


def test_nothing_without_errors():
    assert render_to_string("_error_summary.html", {"form": _Form()}).strip() == ""


def test_the_plan_form_includes_the_shared_summary():
    from pathlib import Path

    template = Path(__file__).resolve().parents[2] / "src/maatwerk/templates/plans/plan_edit.html"
    text = template.read_text()
    assert '{% include "_error_summary.html"' in text
    assert 'class="utrecht-alert utrecht-alert--error" role="alert" id="error-summary"' not in text
