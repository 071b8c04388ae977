"""Closing rules: a plan closed by hand cancels its scheduled follow-ups (they leave the task
list and get no reminder); a case closes, through the cases service, when all its plans are
closed and one of them was approved."""

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Case, CaseNote
from maatwerk.decisions import services as decisions
from maatwerk.followup import selectors, services
from maatwerk.followup.models import FollowUp
from maatwerk.plans import services as plan_services
from maatwerk.plans.models import Plan

from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import approved, org  # noqa: F401


def test_closing_a_plan_by_hand_cancels_its_scheduled_follow_ups(org):  # noqa: F811
    plan = approved(org, days_ago=400)
    first = FollowUp.objects.filter(plan=plan).order_by("due_on").first()
    services.record(org["worker"], first, measured="not_measured", reason="moved")
    assert selectors.due_for(org["worker"]).filter(plan=plan).count() == 2
    plan_services.close(org["worker"], plan, "De bewoner is verhuisd.")
    statuses = dict(FollowUp.objects.filter(plan=plan).values_list("moment", "status"))
    assert statuses == {"end_of_action": "recorded", "plus_6": "cancelled", "plus_12": "cancelled"}
    assert not selectors.due_for(org["worker"]).filter(plan=plan).exists()
    assert not selectors.overdue_for_lead(org["users"][Role.TEAM_LEAD]).filter(plan=plan).exists()
    assert services.send_reminders() == 0
    assert (
        AuditEvent.objects.filter(object_type="followup.followup", reason="cancelled").count() == 2
    )


def test_the_case_closes_when_its_last_plan_closes(org):  # noqa: F811
    plan = approved(org, days_ago=400)
    case = plan.case
    other = lifecycle.submitted(org)
    for followup in FollowUp.objects.filter(plan=plan):
        services.record(org["worker"], followup, measured="not_measured", reason="no_contact")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN  # another plan is still submitted
    decisions.reject(org["users"][Role.TEAM_LEAD], other, lifecycle.REASON)
    plan_services.close(org["worker"], Plan.objects.get(pk=other.pk), "Afgewezen.")
    case.refresh_from_db()
    assert (case.status, case.close_reason) == (Case.Status.CLOSED, Case.CloseReason.OTHER)
    assert CaseNote.objects.filter(case=case, kind=CaseNote.Kind.EVENT).exists()
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), reason="closed"
    ).exists()


def test_a_case_with_only_rejected_plans_stays_open(org):  # noqa: F811
    plan = lifecycle.submitted(org)
    decisions.reject(org["users"][Role.TEAM_LEAD], plan, lifecycle.REASON)
    plan_services.close(org["worker"], Plan.objects.get(pk=plan.pk), "Afgewezen.")
    assert Case.objects.get(pk=plan.case_id).status == Case.Status.OPEN
