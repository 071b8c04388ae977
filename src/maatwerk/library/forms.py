from django import forms
from django.utils.translation import gettext_lazy as _


class ExampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    story = forms.CharField(
        label=_("The story"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What blocked, what the team did and what it brought. Names, addresses, dates and "
            "numbers are replaced before anyone else reads it."
        ),
    )
    lessons = forms.CharField(
        label=_("What we learn from it"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Also when it did not work: what would you do differently? Name no worker."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it goes back"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (JSON)"),
        help_text=_("A file exported from the library of another deployment."),
    )
