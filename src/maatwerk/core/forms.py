"""Form fields shared by every app: numbers shown as a person types them."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .numbers import NumberFormatError, fraction_to_percent, parse_decimal, percent_to_fraction


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


class PercentField(LocalDecimalField):
    """A percentage typed by a person (`2,25`), a fraction in `cleaned_data` (`0.0225`).

    The form's only percent ↔ fraction conversion (core.numbers): initial values are fractions
    as stored, shown as per cent; limits (`min_value`, `max_value`) and messages are in per cent
    as the person types them.
    """

    def prepare_value(self, value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            value = fraction_to_percent(Decimal(str(value)))
        return super().prepare_value(value)

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else percent_to_fraction(percent)

    def has_changed(self, initial, data):
        if isinstance(initial, (int, float, Decimal)) and not isinstance(initial, bool):
            initial = fraction_to_percent(Decimal(str(initial)))
        return super().has_changed(initial, data)
