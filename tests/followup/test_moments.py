"""Follow-up moments per organisation: the functional administrator sets the two offsets and
the grace days of their organisation (validated); scheduling, rescheduling and the escalation
to the team lead use them; without a row the deployment's settings hold."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.followup import rules, selectors, services
from maatwerk.followup.models import FollowUp, OrganisationSettings

from ..factories import TeamFactory, user_with_role
from .test_followup_services import approved, org  # noqa: F401


def _admin(world):
    return world["users"][Role.ADMIN]


def _org_id(world):
    return world["team"].organisation_id


@override_settings(MAATWERK_FOLLOWUP_OFFSETS=(6, 12), MAATWERK_FOLLOWUP_GRACE_DAYS=14)
def test_without_a_row_the_deployment_settings_hold(org):  # noqa: F811
    moments = selectors.moments_for(_org_id(org))
    assert (moments.offsets, moments.grace_days, moments.own) == ((6, 12), 14, False)


def test_the_administrator_sets_the_moments_and_approval_uses_them(org):  # noqa: F811
    services.set_moments(_admin(org), _org_id(org), first=3, second=9, grace_days=7)
    assert selectors.moments_for(_org_id(org)) == selectors.Moments((3, 9), 7, True)
    assert AuditEvent.objects.filter(
        object_type="followup.organisationsettings", reason="follow-up moments"
    ).exists()
    plan = approved(org)
    today = timezone.localdate()
    due = dict(FollowUp.objects.filter(plan=plan).values_list("moment", "due_on"))
    assert due == {
        "end_of_action": today,
        "plus_6": rules.add_months(today, 3),
        "plus_12": rules.add_months(today, 9),
    }
    # Changing them again updates the one row.
    services.set_moments(_admin(org), _org_id(org), first=6, second=18, grace_days=0)
    assert OrganisationSettings.objects.get().second_offset_months == 18


def test_rescheduling_uses_the_organisations_moments(org):  # noqa: F811
    plan = approved(org, days_ago=30)
    services.set_moments(_admin(org), _org_id(org), first=2, second=4, grace_days=14)
    day = timezone.localdate() - timedelta(days=10)
    services.mark_carried_out(org["worker"], plan, day)
    due = dict(FollowUp.objects.filter(plan=plan).values_list("moment", "due_on"))
    assert due["plus_6"] == rules.add_months(day, 2)
    assert due["plus_12"] == rules.add_months(day, 4)


def test_the_escalation_waits_the_organisations_grace_days(org):  # noqa: F811
    lead = org["users"][Role.TEAM_LEAD]
    plan = approved(org, days_ago=10)  # the end of the action was due ten days ago
    first = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.mark_carried_out(org["worker"], plan, first.due_on)  # carried out when approved
    services.set_moments(_admin(org), _org_id(org), first=6, second=12, grace_days=14)
    assert first not in selectors.overdue_for_lead(lead)
    services.set_moments(_admin(org), _org_id(org), first=6, second=12, grace_days=9)
    assert list(selectors.overdue_for_lead(lead)) == [first]
    services.set_moments(_admin(org), _org_id(org), first=6, second=12, grace_days=10)
    assert first not in selectors.overdue_for_lead(lead)  # ten days overdue is not more


def test_another_organisations_moments_do_not_apply(org):  # noqa: F811
    other = TeamFactory()
    other_admin = user_with_role(Role.ADMIN, other)
    services.set_moments(other_admin, other.organisation_id, first=1, second=2, grace_days=0)
    lead = org["users"][Role.TEAM_LEAD]
    plan = approved(org, days_ago=10)
    assert not selectors.overdue_for_lead(lead).filter(plan=plan).exists()
    assert selectors.moments_for(_org_id(org)).own is False
    with pytest.raises(PermissionDenied):  # nor may their administrator set ours
        services.set_moments(other_admin, _org_id(org), first=1, second=2, grace_days=0)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"first": 6, "second": 6}, "second"),
        ({"first": 12, "second": 6}, "second"),
        ({"first": 0, "second": 12}, "first"),
        ({"first": 6, "second": 61}, "second"),
        ({"first": 6.5, "second": 12}, "first"),
        ({"grace_days": -1}, "grace_days"),
        ({"grace_days": 366}, "grace_days"),
    ],
)
def test_the_moments_are_validated(org, values, field):  # noqa: F811
    values = {"first": 6, "second": 12, "grace_days": 14} | values
    with pytest.raises(ValidationError) as e:
        services.set_moments(_admin(org), _org_id(org), **values)
    assert list(e.value.message_dict) == [field]
    assert not OrganisationSettings.objects.exists()


def test_only_the_functional_administrator_sets_them(org):  # noqa: F811
    for role in (Role.WORKER, Role.TEAM_LEAD, Role.DIRECTOR):
        with pytest.raises(PermissionDenied):
            services.set_moments(org["users"][role], _org_id(org), first=3, second=6, grace_days=1)
    assert not OrganisationSettings.objects.exists()


def test_the_page_shows_errors_inline_and_saves(client, org):  # noqa: F811
    client.force_login(_admin(org))
    url = reverse("followup:moments")
    body = client.get(url).content.decode()
    assert 'id="moments-form"' in body and 'value="6"' in body
    response = client.post(url, {"first": "9", "second": "6", "grace_days": "14"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_second_error"' in body and 'value="9"' in body  # nothing lost
    response = client.post(url, {"first": "4", "second": "8", "grace_days": "21"})
    assert response.status_code == 302
    assert selectors.moments_for(_org_id(org)) == selectors.Moments((4, 8), 21, True)
    # The page says the values, in plain words (no "respijt").
    source = client.get(url).content.decode()
    source = source[source.index('id="moments-source"') :]
    source = source[: source.index("</p>")]
    assert "4 en 8 maanden" in source and "na 21 dagen ook naar de teamleider" in source
    assert "respijt" not in source
    # The administration's start links the page.
    admin_index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{url}"' in admin_index and "Wijzigen" in admin_index
    assert "Wijziging" not in admin_index
    client.force_login(org["worker"])
    assert client.get(url).status_code == 403


def test_the_moments_are_named_after_their_real_offset(client, org):  # noqa: F811
    """With moments at 3 and 9 months the names say so, on the plan page, the follow-up page
    and the worker's task list; moving the moments later renames the scheduled ones."""
    services.set_moments(_admin(org), _org_id(org), first=3, second=9, grace_days=7)
    plan = approved(org)
    labels = {f.moment: f.get_moment_display() for f in FollowUp.objects.filter(plan=plan)}
    assert labels == {
        "end_of_action": "aan het einde van de actie",
        "plus_6": "na 3 maanden",
        "plus_12": "na 9 maanden",
    }
    second = FollowUp.objects.get(plan=plan, moment="plus_12")
    client.force_login(org["worker"])
    page = client.get(reverse("followup:record", args=[second.pk])).content.decode()
    assert "na 9 maanden" in page.lower() and "twaalf" not in page.lower()
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Na 3 maanden" in plan_page and "Na zes maanden" not in plan_page
    # The default moments read in digits too (walk finding: "Na zes maanden" beside
    # "Na 3 maanden").
    services.set_moments(_admin(org), _org_id(org), first=6, second=12, grace_days=7)
    services.mark_carried_out(org["worker"], plan, timezone.localdate())
    second.refresh_from_db()
    assert second.get_moment_display() == "na 12 maanden"
    first = FollowUp.objects.get(plan=plan, moment="plus_6")
    assert first.get_moment_display() == "na 6 maanden"
    assert str(FollowUp.Moment.PLUS_6.label) == "na 6 maanden"
