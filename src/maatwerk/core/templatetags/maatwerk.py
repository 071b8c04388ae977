from decimal import Decimal

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _lazy

from maatwerk.core import formatting
from maatwerk.core.numbers import fraction_to_percent

register = template.Library()


# Audit object types that name no model (a page or an export): their Dutch names (walk 14: the
# audit page showed "signals.report" and the like).
AUDIT_OBJECT_NAMES = {
    "signals.report": _lazy("signal report"),
    "signals.national_export": _lazy("national export of the signal figures"),
    "partners.ddas_export": _lazy("monthly export of early signals (DDAS)"),
    "privacy.unusual_reads": _lazy("overview of unusual reads"),
    "privacy.processing_register": _lazy("processing register"),
    "privacy.access_search": _lazy("search for a data subject's access request"),
}


def _model(label):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@register.filter
def object_type_label(label):
    """An audit event's object type ("cases.case") as the model's own name ("casus").

    The stored label stays the key (filters and exports use it); people read the name.
    """
    model = _model(label)
    if model is not None:
        return model._meta.verbose_name
    return AUDIT_OBJECT_NAMES.get(label, label)


@register.filter
def change_labels(changes, label=""):
    """The changed fields of an audit event, by their Dutch names where they are fields of
    the event's model ("blocking_rule" reads "belemmerende regel"), else as stored."""
    model = _model(label)
    names = []
    for key in changes or ():
        try:
            field = model._meta.get_field(key) if model else None
        except FieldDoesNotExist:  # a key the service chose
            field = None
        # A reverse relation ("lines" of a plan) is a field without a verbose name.
        names.append(str(getattr(field, "verbose_name", key)))
    return ", ".join(names)


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def long_date(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    if (get_language() or "nl").startswith("nl"):
        return formatting.long_date(value)
    return value.strftime("%-d %B %Y")


@register.filter
def decimal_nl(value):
    """A plain number in the interface language's notation (1,85 in Dutch)."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, use_l10n=True)


@register.filter
def percent_nl(fraction):
    """A fraction as a percentage: 0.0225 → 2,25 %."""
    if fraction is None or fraction == "":
        return ""
    percent = fraction_to_percent(Decimal(fraction)).normalize()
    return f"{formats.number_format(percent, use_l10n=True)} %"


@register.simple_tag
def small_count(value, small, minimum, mark=""):
    """The one rendering of a count under a small-number rule: the figure when shown; "< 5"
    (the rule's minimum) when it is hidden because too few households or signals are behind
    it; else the mark of a figure hidden so that another hidden one cannot be worked out —
    inside the organisation "·" with that explanation as its title, on the public page the
    word passed as ``mark``."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    if value is not None:
        return formats.localize(value, use_l10n=True)
    if small:
        return format_html("&lt; {}", minimum)
    if mark:
        return format_html('<span class="om-hidden-mark">{}</span>', mark)
    return format_html(
        '<span title="{}">·</span>',
        _("hidden so that another hidden figure cannot be worked out"),
    )


@register.filter
def rule_name(name):
    """A rule's name kept whole word by word: "(belasting)schuld" never breaks mid-word, by
    hyphenation or by the `overflow-wrap: anywhere` of narrow table cells (`om-rule-name`;
    walk 14 at 320 px). The text itself is unchanged, so it reads and searches the same."""
    return format_html('<span class="om-rule-name">{}</span>', name)
