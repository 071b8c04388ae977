"""send_followup_reminders: one mail per due follow-up, never twice, none for recorded ones."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from maatwerk.followup import services
from maatwerk.followup.models import FollowUp

from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import approved

org = lifecycle.org


def _run(*args) -> str:
    out = StringIO()
    call_command("send_followup_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_due_follow_up_is_reminded_once(org):
    plan = approved(org)
    # The end of the action waits for the action: no reminder until it is marked (or paid).
    assert _run() == "Sent 0 follow-up and check-in reminder(s).\n"
    services.mark_carried_out(org["worker"], plan, timezone.localdate())
    assert _run() == "Sent 1 follow-up and check-in reminder(s).\n"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org["worker"].email]
    assert message.subject == f"Vervolgmoment van plan {plan.pk} is aan de beurt"
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    assert f"/vervolg/{due.pk}/" in message.body
    assert plan.case.household.reference not in message.subject + message.body
    # Again, and again: nothing more.
    assert _run() == "Sent 0 follow-up and check-in reminder(s).\n"
    assert len(mail.outbox) == 1
    assert FollowUp.objects.filter(plan=plan, reminded_at__isnull=False).count() == 1


def test_later_moments_come_on_their_day_and_recorded_ones_never(org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.record(org["worker"], due, measured="not_measured", reason="moved")
    assert _run() == "Sent 0 follow-up and check-in reminder(s).\n"
    later = FollowUp.objects.get(plan=plan, moment="plus_6")
    assert _run("--today", str(later.due_on - timedelta(days=1))).startswith("Sent 0")
    assert _run("--today", str(later.due_on)).startswith("Sent 1")
    assert _run("--today", str(later.due_on)).startswith("Sent 0")
    assert [m.subject for m in mail.outbox] == [f"Vervolgmoment van plan {plan.pk} is aan de beurt"]


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError):
        _run("--today", "morgen")
    assert timezone.localdate()  # nothing sent, nothing changed
    assert not mail.outbox
