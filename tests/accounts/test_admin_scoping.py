"""A functional administrator's admin pages show and change their own organisation only."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions.models import Budget, MandateSetting

from ..factories import TeamFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(client):
    team_a, team_b = TeamFactory(), TeamFactory()
    admin_a = user_with_role(Role.ADMIN, team_a)
    admin_a.user_permissions.set(Permission.objects.filter(content_type__app_label="decisions"))
    MandateSetting.objects.create(organisation=team_a.organisation, role="worker", amount=500)
    other = MandateSetting.objects.create(
        organisation=team_b.organisation, role="worker", amount=Decimal("777.00")
    )
    Budget.objects.create(organisation=team_b.organisation, team=team_b, year=2026, amount=9)
    client.force_login(admin_a)
    return {"a": team_a, "b": team_b, "other": other}


def test_lists_show_only_the_own_organisation(client, admins):
    page = client.get(reverse("admin:decisions_mandatesetting_changelist")).content.decode()
    assert str(admins["a"].organisation) in page
    assert "777" not in page
    budgets = client.get(reverse("admin:decisions_budget_changelist")).content.decode()
    assert str(admins["b"]) not in budgets


def test_another_organisations_setting_cannot_be_opened_or_changed(client, admins):
    other = admins["other"]
    url = reverse("admin:decisions_mandatesetting_change", args=[other.pk])
    assert client.get(url).status_code in (302, 404)
    client.post(url, {"organisation": other.organisation_id, "role": "worker", "amount": "1"})
    other.refresh_from_db()
    assert other.amount == Decimal("777.00")


def test_new_settings_can_only_name_the_own_organisation(client, admins):
    url = reverse("admin:decisions_mandatesetting_add")
    response = client.post(
        url, {"organisation": admins["b"].organisation_id, "role": "manager", "amount": "5"}
    )
    assert response.status_code == 200  # the form refuses the other organisation
    assert not MandateSetting.objects.filter(role="manager").exists()


def test_plan_details_are_not_in_the_admin(client, admins):
    for name in ("decision", "consultation", "peervote"):
        with pytest.raises(NoReverseMatch):  # not registered at all
            reverse(f"admin:decisions_{name}_changelist")


def test_users_of_another_organisation_are_invisible_and_superuser_cannot_be_granted(client):
    team_a, team_b = TeamFactory(), TeamFactory()
    admin_a = user_with_role(Role.ADMIN, team_a)
    admin_a.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    stranger = user_with_role(Role.WORKER, team_b, username="vreemde.werker")
    client.force_login(admin_a)
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "vreemde.werker" not in users
    url = reverse("admin:accounts_user_change", args=[stranger.pk])
    assert client.get(url).status_code in (302, 404)
    own = client.get(reverse("admin:accounts_user_change", args=[admin_a.pk])).content.decode()
    assert 'name="is_superuser"' not in own
    teams = client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert str(team_b) not in teams
