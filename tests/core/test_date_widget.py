"""The shared date widget (core.forms.DateInput/DateField): day, month and year as three boxes
with Dutch labels, and a message that says what is wrong with an impossible date."""

from datetime import date

import pytest
from django import forms
from django.utils import translation

from maatwerk.core.forms import DateField, DateInput


class When(forms.Form):
    when = DateField(label="Wanneer")
    born = DateField(label="Geboren", required=False, widget=DateInput(autocomplete="bday"))


def _errors(data):
    with translation.override("nl"):
        form = When(data)
        assert not form.is_valid()
        return [str(e) for e in form.errors["when"]]


def test_three_parts_make_a_date():
    form = When({"when_day": "9", "when_month": "3", "when_year": "1992"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(1992, 3, 9)
    assert form.cleaned_data["born"] is None


def test_one_iso_value_is_still_read():
    form = When({"when": "2026-11-28"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2025"), "Deze datum bestaat niet: februari 2025 heeft 28 dagen."),
        (("31", "4", "2026"), "Deze datum bestaat niet: april 2026 heeft 30 dagen."),
        (("9", "13", "1992"), "Een maand is een getal van 1 tot en met 12."),
        (("0", "3", "1992"), "Een dag is een getal van 1 tot en met 31."),
        (("9", "3", "92"), "Vul het jaar in met vier cijfers, bijvoorbeeld 1992."),
        (("9", "mrt", "1992"), "Gebruik alleen cijfers, bijvoorbeeld 9 3 1992."),
        (("9", "", ""), "Vul ook de maand en jaar in."),
        (("", "3", "1992"), "Vul ook de dag in."),
        (("", "", ""), "Dit veld is verplicht."),
    ],
)
def test_an_impossible_date_says_what_is_wrong(parts, message):
    day, month, year = parts
    assert _errors({"when_day": day, "when_month": month, "when_year": year}) == [message]


def test_29_february_only_in_a_leap_year():
    assert When({"when_day": "29", "when_month": "2", "when_year": "2028"}).is_valid()
    assert _errors({"when_day": "29", "when_month": "2", "when_year": "2027"}) == [
        "Deze datum bestaat niet: februari 2027 heeft 28 dagen."
    ]


def test_renders_three_labelled_numeric_boxes_in_a_fieldset():
    with translation.override("nl"):
        form = When(initial={"when": date(2026, 11, 28)})
        html = str(form["when"])
        assert form["when"].use_fieldset
    for n, (label, value) in enumerate((("Dag", "28"), ("Maand", "11"), ("Jaar", "2026"))):
        assert f'<label for="id_when_{n}">{label}</label>' in html
        assert f'id="id_when_{n}"' in html
        assert f'value="{value}"' in html
    assert html.count('inputmode="numeric"') == 3
    assert 'type="date"' not in html
    assert 'name="when_day"' in html and 'name="when_year"' in html
    born = str(When()["born"])
    assert 'autocomplete="bday-day"' in born and 'autocomplete="bday-year"' in born


def test_typed_parts_come_back_after_an_error():
    form = When({"when_day": "31", "when_month": "2", "when_year": "2025"})
    assert not form.is_valid()
    html = str(form["when"])
    assert 'value="31"' in html and 'value="2"' in html and 'value="2025"' in html


def test_bounds_do_not_reach_the_text_boxes():
    from maatwerk.core import dates

    form = When()
    dates.bound(form.fields["when"], dates.EVENT_DATE)
    html = str(form["when"])
    assert "min=" not in html and "max=" not in html
    too_late = When({"when_day": "1", "when_month": "1", "when_year": "2999"})
    dates.bound(too_late.fields["when"], dates.EVENT_DATE)
    assert not too_late.is_valid()


def test_every_date_field_of_the_forms_uses_the_shared_widget():
    """A new form with a browser date picker fails here."""
    from maatwerk.audit.forms import AuditFilterForm
    from maatwerk.cases.forms import NoteForm, ResidentForm
    from maatwerk.costs.forms import PriceForm
    from maatwerk.decisions.forms import ConsultationForm
    from maatwerk.plans.forms import InvolvementForm, SolutionForm

    seen = 0
    for form_class in (
        AuditFilterForm, NoteForm, ResidentForm, PriceForm, ConsultationForm, InvolvementForm,
        SolutionForm,
    ):  # fmt: skip
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField):
                seen += 1
                assert isinstance(field, DateField), f"{form_class.__name__}.{name}"
                assert isinstance(field.widget, DateInput), f"{form_class.__name__}.{name}"
    assert seen == 8
