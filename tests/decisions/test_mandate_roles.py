"""A mandate names one of the ladder's real roles (a choice, not free text), or a named body of
the ladder; the admin offers the roles by their Dutch names (issue 11 cleanups)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions import selectors
from maatwerk.decisions.models import MandateSetting

from ..factories import TeamFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    team = TeamFactory()
    admin = user_with_role(Role.ADMIN, team)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="decisions"))
    client.force_login(admin)
    client.organisation = team.organisation
    return client


def test_the_admin_offers_the_roles_as_a_choice_and_refuses_free_text(admin_client):
    url = reverse("admin:decisions_mandatesetting_add")
    page = admin_client.get(url).content.decode()
    assert '<select name="role"' in page
    for label in ("Sociaal werker", "Teamleider", "Directeur sociaal domein"):
        assert f">{label}</option>" in page
    assert 'value="policy_analyst"' not in page
    organisation = admin_client.organisation.pk
    response = admin_client.post(url, {"organisation": organisation, "role": "teamleider"})
    assert response.status_code == 200  # "teamleider" is no role: the form says so
    assert not MandateSetting.objects.exists()
    response = admin_client.post(url, {"organisation": organisation, "role": "team_lead"})
    assert response.status_code == 302
    assert MandateSetting.objects.get().role == Role.TEAM_LEAD


def test_a_body_keeps_its_mandate_by_name(admin_client):
    organisation = admin_client.organisation
    MandateSetting.objects.create(organisation=organisation, body="Doorbraaktafel", amount=None)
    MandateSetting.objects.create(organisation=organisation, role=Role.MANAGER, amount=10)
    mandates = selectors.config_for(organisation).mandates
    assert set(mandates) == {"Doorbraaktafel", "manager"}
    assert mandates["manager"].amount == Decimal("10")


def test_the_migration_moves_a_bodys_name_out_of_the_role_field(admin_client):
    migration = importlib.import_module("maatwerk.decisions.migrations.0008_mandate_role_choices")
    organisation = admin_client.organisation
    old = MandateSetting.objects.create(organisation=organisation, role="Doorbraaktafel")
    kept = MandateSetting.objects.create(organisation=organisation, role=Role.DIRECTOR)
    migration.bodies_out_of_role(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.role, old.body) == ("", "Doorbraaktafel")
    assert (kept.role, kept.body) == (Role.DIRECTOR, "")
