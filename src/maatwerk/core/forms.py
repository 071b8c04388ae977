"""Form fields shared by every app: numbers shown as a person types them."""

from decimal import Decimal

from django import forms


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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

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
