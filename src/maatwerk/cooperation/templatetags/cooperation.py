"""Requests to outside organisations where a plan or case page shows them:
``{% cooperation_requests request.user plan=plan %}`` or ``… case=case``, and the time spent
in hours and minutes (``{{ minutes|time_spent }}``)."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from maatwerk.cases import selectors as case_selectors
from maatwerk.cooperation import selectors

register = template.Library()


@register.filter
def time_spent(minutes) -> str:
    """95 → "1 u 35 min"; 40 → "40 min"; 120 → "2 u"."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": rest}


@register.filter
def dial(phone) -> str:
    """A phone number as a phone dials it (the tel: link): "+31 (0)55 538 53 85" is
    +31555385385 — the (0) is written for callers inside the country, never dialled after +31."""
    return re.sub(r"[^\d+]", "", re.sub(r"\(0\)", "", str(phone or "")))


@register.filter
def break_after_slash(name) -> str:
    """ "Belastingdienst/Toeslagen" may wrap after the slash on a narrow screen."""
    return mark_safe(conditional_escape(name).replace("/", "/<wbr>"))  # noqa: S308 - escaped


@register.inclusion_tag("cooperation/_requests.html")
def cooperation_requests(user, plan=None, case=None):
    """The requests of a plan (or of a whole case) the user may see, with the time spent.
    The page that includes it already audited reading the plan or case."""
    case = case if case is not None else plan.case
    if plan is None:  # the case page: the timeline reads the same rows
        rows = selectors.case_requests(user, case)
    else:
        rows = list(selectors.request_list(user, case=case, plan=plan))
    return {
        "rows": rows,
        "minutes": selectors.minutes_total(rows),
        "plan": plan,
        "case": case,
        "may_write": selectors.may_write_case(user, case),
    }


@register.inclusion_tag("cooperation/_answer_badge.html")
def request_status(coop, own_answer=False):
    """The request's state: once an escalation route answered, the escalation's answer
    ("escalated – agreed"); else the organisation's answer, overdue, or its status. With
    `own_answer`, the organisation's own answer only."""
    escalated = None if own_answer else coop.answered_referral()
    overdue = escalated is None and coop.is_overdue()
    return {"coop": coop, "escalated": escalated, "overdue": overdue}


@register.simple_tag
def cooperation_timeline(timeline, user, case):
    """The case timeline with what happened to its requests to outside organisations merged in
    (`{% cooperation_timeline timeline request.user case as timeline %}`)."""
    return case_selectors.merge_timeline(list(timeline), selectors.case_timeline(user, case))
