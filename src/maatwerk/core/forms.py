"""Form fields shared by every app: numbers shown as a person types them, and the form renderer
that gives every select a "Kies …" placeholder."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
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


class DateInput(forms.MultiWidget):
    """A date as three fields, day, month and year, as Dutch government forms ask for it.

    No browser date picker (it shows mm/dd/yyyy in an English browser and is hard to use by
    keyboard and screen reader): three short text boxes with numeric keyboards, each with its own
    label (Dag, Maand, Jaar), inside the field's fieldset (``use_fieldset``). A single value
    under the field's own name (``2026-11-28``, as scripts and older clients send) is read too.
    """

    template_name = "core/widgets/date.html"
    use_fieldset = True
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None, autocomplete: str = ""):
        self.autocomplete = autocomplete  # "bday" for a birth date: bday-day, bday-month, …
        widgets = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": size,
                    "size": size,
                    "class": f"om-date__input om-date__input--{part}",
                    **({"autocomplete": f"{autocomplete}-{part}"} if autocomplete else {}),
                }
            )
            for part, _label, size in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                return self.decompress(date.fromisoformat(value))
            except ValueError:
                return [None, None, None]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)  # one ISO value: 2026-11-28
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        # min/max (core.dates.bound) mean nothing to a text box: the field's rule says it.
        attrs = {k: v for k, v in (attrs or {}).items() if k not in ("min", "max")}
        self.attrs = {k: v for k, v in self.attrs.items() if k not in ("min", "max")}
        context = super().get_context(name, value, attrs)
        context["widget"]["parts"] = [
            (sub, label, part)
            for sub, (part, label, _size) in zip(
                context["widget"]["subwidgets"], self.PARTS, strict=True
            )
        ]
        return context


class DateField(forms.DateField):
    """A date typed as day, month and year (DateInput), with a message that says what is wrong:
    a part missing, letters, a month 13, a 31st of a month that has 30 days, a two-digit year."""

    widget = DateInput
    default_error_messages = {
        "incomplete": _("Enter a day, a month and a year, for example 9 3 1992."),
        "missing": _("Also enter the %(parts)s."),
        "digits": _("Use digits only, for example 9 3 1992."),
        "month": _("A month is a number from 1 to 12."),
        "day": _("A day is a number from 1 to 31."),
        "year": _("Enter the year in four digits, for example 1992."),
        "no_such_day": _("This date does not exist: %(month)s %(year)s has %(days)s days."),
    }
    PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return self._from_parts([str(v or "").strip() for v in value])
        return super().to_python(value)

    def _from_parts(self, parts: list[str]) -> date | None:
        if not any(parts):
            return None
        names = ("day", "month", "year")
        missing = [self.PART_NAMES[n] for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise ValidationError(
                self.error_messages["missing"],
                code="incomplete",
                params={"parts": _(" and ").join(str(m) for m in missing)},
            )
        if not all(p.isdigit() for p in parts):
            raise ValidationError(self.error_messages["digits"], code="invalid")
        day, month, year = (int(p) for p in parts)
        if not 1 <= month <= 12:
            raise ValidationError(self.error_messages["month"], code="invalid")
        if not 1 <= day <= 31:
            raise ValidationError(self.error_messages["day"], code="invalid")
        if len(parts[2]) != 4:
            raise ValidationError(self.error_messages["year"], code="invalid")
        try:
            return date(year, month, day)
        except ValueError:
            from calendar import monthrange

            from django.utils.dateformat import format as date_format

            raise ValidationError(
                self.error_messages["no_such_day"],
                code="invalid",
                params={
                    "month": date_format(date(year, month, 1), "F"),
                    "year": year,
                    "days": monthrange(year, month)[1],
                },
            ) from None

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        if isinstance(initial, str):
            try:
                initial = date.fromisoformat(initial)
            except ValueError:
                return True
        return initial != data


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
