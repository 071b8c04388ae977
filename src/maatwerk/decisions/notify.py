"""E-mail notifications on routing, decisions and escalation (console backend in development).

Sent after the transaction commits, so a refused or rolled-back change mails nobody. Mails carry
the plan number and a link path only: no personal data.
"""

from __future__ import annotations

from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .models import Decision


def deciders(step: Decision) -> list[str]:
    """E-mail addresses of the people the open step is routed to (not the plan's author)."""
    return sorted({u.email for u in selectors.step_deciders(step) if u.email})


def _send(messages: list[tuple[str, str, str, list[str]]]) -> None:
    messages = [m for m in messages if m[3]]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def routed(step: Decision) -> None:
    """A plan waits for a decision: tell the deciders."""
    subject = _("Plan %(n)s waits for your decision") % {"n": step.plan_id}
    body = _("Decide before %(date)s: %(path)s") % {
        "date": step.deadline.isoformat(),
        "path": reverse("decisions:decide", args=[step.plan_id]),
    }
    _send([(subject, body, None, deciders(step))])


def decided(step: Decision) -> None:
    """Tell the author what was decided (and, on escalation, the next deciders)."""
    author = step.plan.author
    subject = _("Decision on plan %(n)s: %(outcome)s") % {
        "n": step.plan_id,
        "outcome": step.get_outcome_display(),
    }
    body = reverse("plans:detail", args=[step.plan_id])
    _send([(subject, body, None, [author.email] if author.email else [])])


def escalated_away(step: Decision) -> None:
    """The plan left this level (its deadline passed, or someone escalated it): tell the
    deciders of this level, so nobody works on a decision that is no longer theirs."""
    subject = _("Plan %(n)s was escalated to the next level") % {"n": step.plan_id}
    body = _("It no longer waits for your decision: %(path)s") % {
        "path": reverse("decisions:trail", args=[step.plan_id])
    }
    _send([(subject, body, None, deciders(step))])


def withdrawn(step: Decision) -> None:
    """The author withdrew the plan: its deciders need not decide any more."""
    subject = _("Plan %(n)s was withdrawn") % {"n": step.plan_id}
    body = _("It no longer waits for your decision: %(path)s") % {
        "path": reverse("decisions:trail", args=[step.plan_id])
    }
    _send([(subject, body, None, deciders(step))])
