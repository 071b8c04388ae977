"""The end of the action: the worker marks the day the tailored action was carried out (not in
the future, not before the approval); the follow-ups not yet recorded move to it and the +6/+12
months after it. Without a marking the last payment in force stands in; the marking wins."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup import rules, services
from maatwerk.followup.models import ActionCarriedOut, FollowUp

from .test_followup_services import approved, org  # noqa: F401


def _due(plan):
    return dict(FollowUp.objects.filter(plan=plan).values_list("moment", "due_on"))


def test_marking_reschedules_the_moments_not_yet_recorded(org):  # noqa: F811
    plan = approved(org, days_ago=100)
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.record(org["worker"], first, measured="not_measured", reason="no_contact")
    first_due = FollowUp.objects.get(pk=first.pk).due_on
    day = timezone.localdate() - timedelta(days=30)
    services.mark_carried_out(org["worker"], plan, day)
    assert _due(plan) == {
        "end_of_action": first_due,  # recorded: stays as it was
        "plus_6": rules.add_months(day, 6),
        "plus_12": rules.add_months(day, 12),
    }
    assert AuditEvent.objects.filter(reason="carried out", action="create").count() == 1
    assert (
        AuditEvent.objects.filter(object_type="followup.followup", reason="rescheduled").count()
        == 2
    )
    # Marking again corrects the day.
    services.mark_carried_out(org["worker"], plan, day + timedelta(days=1))
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day + timedelta(days=1)
    assert _due(plan)["plus_6"] == rules.add_months(day + timedelta(days=1), 6)


@pytest.mark.parametrize(
    ("offset", "field"), [(1, "carried_out_on"), (-200, "carried_out_on")], ids=["future", "early"]
)
def test_a_day_in_the_future_or_before_approval_is_refused(org, offset, field):  # noqa: F811
    plan = approved(org, days_ago=100)
    before = _due(plan)
    with pytest.raises(ValidationError) as e:
        services.mark_carried_out(
            org["worker"], plan, timezone.localdate() + timedelta(days=offset)
        )
    assert field in e.value.message_dict
    assert _due(plan) == before and not ActionCarriedOut.objects.exists()


def test_only_writers_of_the_case_mark_it(org):  # noqa: F811
    plan = approved(org)
    with pytest.raises(PermissionDenied):
        services.mark_carried_out(org["users"][Role.MANAGER], plan, timezone.localdate())
    assert not ActionCarriedOut.objects.exists()


def test_the_last_payment_stands_in_until_the_marking_wins(org):  # noqa: F811
    plan = approved(org, days_ago=100)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    today = timezone.localdate()
    assert _due(plan)["end_of_action"] == today - timedelta(days=100)
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("500"))
    assert _due(plan) == {
        "end_of_action": today,
        "plus_6": rules.add_months(today, 6),
        "plus_12": rules.add_months(today, 12),
    }
    marked = today - timedelta(days=50)
    services.mark_carried_out(org["worker"], plan, marked)
    assert _due(plan)["end_of_action"] == marked
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("100"))
    assert _due(plan)["end_of_action"] == marked  # the marking wins over a later payment


def test_the_plan_page_form_marks_it(client, org, settings):  # noqa: F811
    settings.REQUIRE_2FA = False
    plan = approved(org, days_ago=100)
    client.force_login(org["worker"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="carried-out-form"' in page
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    url = reverse("followup:carried_out", args=[first.pk])
    day = timezone.localdate() - timedelta(days=10)
    response = client.post(url, {"carried_out_on": day.strftime("%d-%m-%Y")})
    assert response.status_code == 302
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="carried-out"' in page
    bad = client.post(url, {"carried_out_on": "01-01-2999"}, follow=True).content.decode()
    assert ActionCarriedOut.objects.get(plan=plan).carried_out_on == day
    assert "toekomst" in bad or "future" in bad


@pytest.mark.parametrize("typed", [("1", "1", "2999"), ("31", "2", "2026"), ("", "3", "")])
def test_a_refused_day_shows_its_error_at_the_field_and_keeps_what_was_typed(
    client,
    org,  # noqa: F811
    settings,
    typed,
):
    """The walk's finding: the error came in a banner at the top of the page and the typed day
    was lost. Now the plan page shows the form again with the typed parts, the error next to
    the field and the summary (which takes the focus) inside the form; no banner."""
    settings.REQUIRE_2FA = False
    plan = approved(org, days_ago=100)
    client.force_login(org["worker"])
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    url = reverse("followup:carried_out", args=[first.pk])
    day, month, year = typed
    response = client.post(
        url,
        {"carried_out_on_day": day, "carried_out_on_month": month, "carried_out_on_year": year},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#error-summary")
    page = client.get(response["Location"]).content.decode()
    form = page[page.index('id="carried-out-form"') :]
    form = form[: form.index("</form>")]
    assert 'id="id_carried_out_on_error"' in form and "data-error-summary" in form
    assert f'name="carried_out_on_month" value="{month}"' in form
    if year:
        assert f'name="carried_out_on_year" value="{year}"' in form
    assert "data-messages" not in page  # no banner at the top
    assert not ActionCarriedOut.objects.filter(plan=plan).exists()
    # Shown once: a fresh visit shows the empty form again.
    again = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="id_carried_out_on_error"' not in again
