"""Form fields shared by every app: numbers shown as a person types them, and the form renderer
that gives every select a "Kies …" placeholder."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from .numbers import NumberFormatError, parse_decimal


def plain_decimal(value: Decimal, places: int | None) -> Decimal:
    """`Decimal("1.0000")` → `Decimal("1")`, `Decimal("2.5000")` → `Decimal("2.5")`.

    Only zeros are dropped, never a digit that counts: a stored value with more places than the
    field takes keeps them, so the form says so instead of rounding silently.
    """
    if not value.is_finite():
        return value
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    plain = Decimal(text)
    if places is not None and -plain.as_tuple().exponent > places:
        return value
    return plain


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the Dutch way (`2,5`), shown back without trailing zeros.

    Stored values carry all their places (`1.0000` for a quantity); rendered as they are, a form
    opened on existing data would show `1,0000` and then refuse its own value for having more
    places than the field takes. Shown as `1`, saving unchanged gives back the same value.
    """

    money = False
    # Why a typed number is refused, with an example of how to type it (core.numbers).
    messages = {
        "invalid": _("Enter a number, for example 2,5 or 1.000."),
        "dot_decimal": _("Use a comma for decimals, for example 2,25."),
        "grouping": _("A dot only separates thousands, for example 1.000,5."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        """Read the Dutch way (core.numbers), never Django's `1.800` → 1,8."""
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_decimal(str(value))
        except NumberFormatError as error:
            raise ValidationError(self.messages[error.code], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = Decimal(str(value))
        if isinstance(value, Decimal):
            plain = plain_decimal(value, self.decimal_places)
            if self.money and plain.is_finite() and -plain.as_tuple().exponent == 1:
                plain = plain.quantize(Decimal("0.01"))
            return plain
        return value


class LocalMoneyField(LocalDecimalField):
    """Euros: with cents they read `12,50`, not `12,5`; a whole amount stays `6500`."""

    money = True
    messages = {
        "invalid": _("Enter an amount, for example 1.250,50 or 1250."),
        "dot_decimal": _("Use a comma for cents, for example 1.250,50."),
        "grouping": _("A dot only separates thousands, for example 1.250,50."),
    }


# --- the empty choice of a select ---------------------------------------------------------------

# What Django shows as the empty choice of a select unless a form names it ("---------"): the
# label of BLANK_CHOICE_DASH and ModelChoiceField's default empty_label.
DJANGO_EMPTY_LABEL = "---------"
CHOOSE_LABEL = _("Choose…")


def dutch_empty_choices(context: dict) -> None:
    """Give a select's empty choice the label "Kies …" where Django would show "---------".

    A label a form sets itself ("All life domains") stays.
    """
    widget = context.get("widget") if isinstance(context, dict) else None
    if not isinstance(widget, dict):
        return
    for _group, options, _index in widget.get("optgroups") or ():
        for option in options:
            if option.get("value") in ("", None) and option.get("label") == DJANGO_EMPTY_LABEL:
                option["label"] = CHOOSE_LABEL


class FormRenderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER) with the project's own defaults.

    The one place where every ModelChoiceField and choice field of every form (pages and admin)
    gets its "Kies …" placeholder, so no form can forget it.
    """

    def render(self, template_name, context, request=None):
        dutch_empty_choices(context)
        return super().render(template_name, context, request=request)
