"""E-mail notifications on routing, decisions and escalation (console backend in development).

Sent after the transaction commits, so a refused or rolled-back change mails nobody. Subjects
carry the plan number and the outcome only; bodies an absolute link (``MAATWERK_BASE_URL``),
Dutch dates and, for the author, the decider's reason — which the author may read in the
trail anyway. No resident's data in a subject. Written in the interface's language
(``LANGUAGE_CODE``, Dutch), whatever language the person whose click sends them reads in: the
mail is for someone else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maatwerk.core.formatting import long_date

from . import selectors
from .models import DecisionStep


def _in_mail_language(notification: Callable[[DecisionStep], None]):
    """Write the mail in the interface's language, not in the sender's choice of the moment."""

    @wraps(notification)
    def write(step: DecisionStep) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            notification(step)

    return write


def link(name: str, plan_id: int) -> str:
    """The absolute address of a plan page, for e-mails read outside the application."""
    return settings.MAATWERK_BASE_URL + reverse(name, args=[plan_id])


def deciders(step: DecisionStep) -> list[str]:
    """E-mail addresses of the people the open step is routed to (not the plan's author)."""
    return sorted({u.email for u in selectors.step_deciders(step) if u.email})


def _send(messages: list[tuple[str, str, str, list[str]]]) -> None:
    messages = [m for m in messages if m[3]]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


@_in_mail_language
def routed(step: DecisionStep) -> None:
    """A plan waits for a decision: tell the deciders."""
    subject = _("Plan %(n)s waits for your decision") % {"n": step.plan_id}
    body = _("Decide before %(date)s: %(link)s") % {
        "date": long_date(step.deadline),
        "link": link("decisions:decide", step.plan_id),
    }
    _send([(subject, body, None, deciders(step))])


@_in_mail_language
def decided(step: DecisionStep) -> None:
    """Tell the author what was decided, when, at which level and why (and where to look)."""
    author = step.plan.author
    outcome = step.get_outcome_display()
    subject = _("Decision on plan %(n)s: %(outcome)s") % {"n": step.plan_id, "outcome": outcome}
    lines = [
        _("Plan %(n)s: %(outcome)s on %(date)s (%(level)s).")
        % {
            "n": step.plan_id,
            "outcome": outcome,
            "date": long_date(timezone.localdate(step.decided_at)),
            "level": step.level_label,
        }
    ]
    if step.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": step.reason})
    lines.append(_("The plan and its decision trail: %(link)s") % {
        "link": link("plans:detail", step.plan_id)
    })  # fmt: skip
    _send([(subject, "\n\n".join(lines), None, [author.email] if author.email else [])])


@_in_mail_language
def escalated_away(step: DecisionStep) -> None:
    """The plan left this level (its deadline passed, or someone escalated it): tell the
    deciders of this level, so nobody works on a decision that is no longer theirs."""
    subject = _("Plan %(n)s was escalated to the next level") % {"n": step.plan_id}
    # The decision link: it leads each decider where they may look (trail or inbox).
    body = _("It no longer waits for your decision: %(link)s") % {
        "link": link("decisions:decide", step.plan_id)
    }
    _send([(subject, body, None, deciders(step))])


@_in_mail_language
def withdrawn(step: DecisionStep) -> None:
    """The author withdrew the plan: its deciders need not decide any more."""
    subject = _("Plan %(n)s was withdrawn") % {"n": step.plan_id}
    # The decision link: it leads each decider where they may look (trail or inbox).
    body = _("It no longer waits for your decision: %(link)s") % {
        "link": link("decisions:decide", step.plan_id)
    }
    _send([(subject, body, None, deciders(step))])


def approach_handed_over(actor, decider, *, name: str, amount, link: str) -> None:
    """A collective approach's budget is above its proposer's mandate: tell the holders of the
    level that decides it, with the form filled in (`link`, relative), to start it themselves.
    The approach's name is general terms by rule (checked for personal data before)."""
    from maatwerk.core.formatting import money

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A collective approach waits for your decision on its budget")
        body = _(
            "%(who)s proposes the collective approach “%(name)s” with a budget of %(amount)s, "
            "more than their own mandate. Check it and start it under your mandate: %(link)s"
        ) % {
            "who": actor.get_full_name() or actor.username,
            "name": name,
            "amount": money(amount),
            "link": settings.MAATWERK_BASE_URL + link,
        }
    _send([(subject, body, None, list(decider.emails))])
