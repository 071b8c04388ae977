"""Nobody grants themselves a role; roles with personal data need a second person; every role
change is an audit event (issue 9, point 2).

The attack of the issue: the functional administrator adds a case role to their own account
through the membership inline of the user admin, then reads residents' personal data.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from maatwerk.accounts import services
from maatwerk.accounts.models import Membership, RoleGrantRequest
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent

from ..factories import TeamFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(team):
    admin = user_with_role(Role.ADMIN, team, username="beheerder")
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return {
        "team": team,
        "organisation": team.organisation,
        "admin": admin,
        "director": user_with_role(Role.DIRECTOR, team, username="directeur"),
        "privacy": user_with_role(Role.PRIVACY_OFFICER, team, username="fg"),
        "newcomer": UserFactory(organisation=team.organisation, username="nieuwkomer"),
    }


def _change_data(user, rows=(), existing=()):
    """The user change form as the admin page posts it, with new role rows added."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "organisation": user.organisation_id or "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(existing) + len(rows)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    # The read-only inline of the user's pending role requests posts its management form too.
    pending = list(
        RoleGrantRequest.objects.filter(user=user, status=RoleGrantRequest.Status.REQUESTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    data |= {
        "role_requests-TOTAL_FORMS": str(len(pending)),
        "role_requests-INITIAL_FORMS": str(len(pending)),
        "role_requests-MIN_NUM_FORMS": "0",
        "role_requests-MAX_NUM_FORMS": "1000",
    }
    for i, pk in enumerate(pending):
        data[f"role_requests-{i}-id"] = str(pk)
        data[f"role_requests-{i}-user"] = str(user.pk)
    if user.is_staff:
        data["is_staff"] = "on"
    for i, (membership, delete) in enumerate(existing):
        data[f"memberships-{i}-id"] = str(membership.pk)
        data[f"memberships-{i}-user"] = str(user.pk)
        if delete:
            data[f"memberships-{i}-DELETE"] = "on"
    for j, (role, team) in enumerate(rows, start=len(existing)):
        data[f"memberships-{j}-user"] = str(user.pk)
        data[f"memberships-{j}-organisation"] = str(user.organisation_id)
        data[f"memberships-{j}-team"] = str(team.pk) if team else ""
        data[f"memberships-{j}-role"] = role
    return data


def _post_user(client, actor, user, **kwargs):
    client.force_login(actor)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    existing = [(m, False) for m in Membership.objects.filter(user=user).order_by("pk")]
    return client.post(url, _change_data(user, existing=kwargs.pop("existing", existing), **kwargs))


def test_admin_cannot_grant_himself_a_case_role_in_the_admin(client, org):
    admin, team = org["admin"], org["team"]
    response = _post_user(client, admin, admin, rows=[(Role.WORKER, team)])
    assert response.status_code == 200  # the form comes back with the message
    assert "Niemand kan zichzelf een rol geven" in response.content.decode()
    assert not Membership.objects.filter(user=admin, role=Role.WORKER).exists()
    assert not RoleGrantRequest.objects.exists()
    # ... and he still cannot read a case list.
    assert client.get(reverse("cases:list")).status_code == 403


def test_admin_cannot_grant_himself_a_harmless_role_either(client, org):
    admin = org["admin"]
    _post_user(client, admin, admin, rows=[(Role.POLICY_ANALYST, None)])
    assert not Membership.objects.filter(user=admin, role=Role.POLICY_ANALYST).exists()


def test_a_case_role_for_someone_else_becomes_a_request_not_a_membership(client, org):
    admin, newcomer, team = org["admin"], org["newcomer"], org["team"]
    response = _post_user(client, admin, newcomer, rows=[(Role.WORKER, team)])
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    grant_request = RoleGrantRequest.objects.get(user=newcomer)
    assert (grant_request.role, grant_request.team, grant_request.requested_by) == (
        Role.WORKER,
        team,
        admin,
    )
    assert grant_request.status == RoleGrantRequest.Status.REQUESTED
    event = AuditEvent.objects.get(object_type="accounts.rolegrantrequest", action="create")
    assert event.actor == admin
    assert event.changes == {
        "user": newcomer.pk,
        "organisation": org["organisation"].pk,
        "team": team.pk,
        "role": "worker",
    }


def test_a_role_without_personal_data_is_granted_at_once_and_audited(client, org):
    admin, newcomer = org["admin"], org["newcomer"]
    _post_user(client, admin, newcomer, rows=[(Role.POLICY_ANALYST, None)])
    membership = Membership.objects.get(user=newcomer, role=Role.POLICY_ANALYST)
    event = AuditEvent.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
    assert (event.actor, event.action, event.reason) == (admin, "create", "role granted")


def test_revoking_in_the_admin_is_audited(client, org):
    admin, worker = org["admin"], user_with_role(Role.WORKER, org["team"])
    membership = worker.memberships.get()
    _post_user(client, admin, worker, existing=[(membership, True)])
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(object_type="accounts.membership", action="delete")
    assert event.object_id == str(membership.pk)
    assert event.changes["role"] == "worker"


def test_services_refuse_self_grant_and_direct_grant_of_personal_data_roles(org):
    admin, newcomer, team = org["admin"], org["newcomer"], org["team"]
    organisation = org["organisation"]
    for role, t in [(Role.WORKER, team), (Role.POLICY_ANALYST, None)]:
        with pytest.raises(services.RoleChangeRefused):
            services.grant_role(admin, user=admin, organisation=organisation, role=role, team=t)
        with pytest.raises(services.RoleChangeRefused):
            services.request_role(admin, user=admin, organisation=organisation, role=role, team=t)
    for role in (Role.DIRECTOR, Role.PRIVACY_OFFICER, Role.ADMIN):
        with pytest.raises(services.RoleChangeRefused):
            services.grant_role(admin, user=newcomer, organisation=organisation, role=role)
    other = TeamFactory()
    with pytest.raises(services.RoleChangeRefused):  # not his organisation
        services.request_role(
            admin, user=newcomer, organisation=other.organisation, role=Role.WORKER, team=other
        )
    assert not Membership.objects.filter(user__in=[admin, newcomer]).exclude(role="admin").exists()


def _request(org, role=Role.WORKER, user=None):
    return services.request_role(
        org["admin"],
        user=user or org["newcomer"],
        organisation=org["organisation"],
        role=role,
        team=org["team"] if role == Role.WORKER else None,
    )


PAGE = "accounts:role_requests"


def test_director_approves_on_the_page_and_the_membership_exists(client, org):
    grant_request = _request(org)
    client.force_login(org["director"])
    page = client.get(reverse(PAGE)).content.decode()
    assert "nieuwkomer" in page
    response = client.post(
        reverse(PAGE), {"request_id": grant_request.pk, "decision": "approve", "reason": ""}
    )
    assert response.status_code == 302
    grant_request.refresh_from_db()
    assert grant_request.status == RoleGrantRequest.Status.APPROVED
    assert grant_request.decided_by == org["director"]
    assert Membership.objects.filter(
        user=org["newcomer"], role=Role.WORKER, team=org["team"]
    ).exists()
    reasons = set(AuditEvent.objects.filter(actor=org["director"]).values_list("reason", flat=True))
    assert {"role request approved", "role granted on approval"} <= reasons


def test_privacy_officer_refuses_only_with_a_reason(client, org):
    grant_request = _request(org)
    client.force_login(org["privacy"])
    response = client.post(reverse(PAGE), {"request_id": grant_request.pk, "decision": "refuse"})
    assert response.status_code == 200
    assert "Geef aan waarom u weigert" in response.content.decode()
    grant_request.refresh_from_db()
    assert grant_request.status == RoleGrantRequest.Status.REQUESTED

    client.post(
        reverse(PAGE),
        {"request_id": grant_request.pk, "decision": "refuse", "reason": "Werkt niet in dit team"},
    )
    grant_request.refresh_from_db()
    assert (grant_request.status, grant_request.reason) == ("refused", "Werkt niet in dit team")
    assert not Membership.objects.filter(user=org["newcomer"]).exists()
    event = AuditEvent.objects.get(object_type="accounts.rolegrantrequest", action="update")
    assert "Werkt niet" not in str(event.changes)  # free text stays out of the audit log


def test_the_requester_cannot_approve_their_own_request(client, org):
    # An administrator who is also director still needs a colleague.
    Membership.objects.create(
        user=org["admin"], organisation=org["organisation"], role=Role.DIRECTOR
    )
    grant_request = _request(org)
    client.force_login(org["admin"])
    assert "nieuwkomer" not in client.get(reverse(PAGE)).content.decode()
    response = client.post(reverse(PAGE), {"request_id": grant_request.pk, "decision": "approve"})
    assert response.status_code == 200
    assert "dat doet een collega" in response.content.decode()
    grant_request.refresh_from_db()
    assert grant_request.status == RoleGrantRequest.Status.REQUESTED
    assert not Membership.objects.filter(user=org["newcomer"]).exists()


def test_the_person_concerned_cannot_approve_their_own_grant(org):
    grant_request = _request(org, role=Role.DIRECTOR, user=org["privacy"])
    with pytest.raises(services.RoleChangeRefused):
        services.approve_role_request(org["privacy"], grant_request.pk)
    services.approve_role_request(org["director"], grant_request.pk)
    assert org["privacy"].memberships.filter(role=Role.DIRECTOR).exists()


def test_another_organisations_director_cannot_decide(client, org):
    grant_request = _request(org)
    stranger = user_with_role(Role.DIRECTOR, TeamFactory())
    client.force_login(stranger)
    assert "nieuwkomer" not in client.get(reverse(PAGE)).content.decode()
    client.post(reverse(PAGE), {"request_id": grant_request.pk, "decision": "approve"})
    grant_request.refresh_from_db()
    assert grant_request.status == RoleGrantRequest.Status.REQUESTED


def test_a_decided_request_cannot_be_decided_again(org):
    grant_request = _request(org)
    services.refuse_role_request(org["director"], grant_request.pk, "Nee")
    with pytest.raises(services.RoleChangeRefused):
        services.approve_role_request(org["privacy"], grant_request.pk)
    assert not Membership.objects.filter(user=org["newcomer"]).exists()


@pytest.mark.parametrize("bad", ["x", "-1", "99999999999999999999999", ""])
def test_bad_request_ids_get_a_message_not_a_500(client, org, bad):
    client.force_login(org["director"])
    response = client.post(reverse(PAGE), {"request_id": bad, "decision": "approve"})
    assert response.status_code == 200


def test_a_new_user_with_a_case_role_from_the_add_form_waits_for_approval(client, org):
    client.force_login(org["admin"])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuwe.collega",
            "usable_password": "true",
            "password1": "een-lang-en-sterk-wachtwoord-2026",
            "password2": "een-lang-en-sterk-wachtwoord-2026",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organisation": str(org["organisation"].pk),
            "memberships-0-team": str(org["team"].pk),
            "memberships-0-role": Role.TEAM_LEAD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Membership.objects.filter(user__username="nieuwe.collega").exists()
    assert RoleGrantRequest.objects.filter(
        user__username="nieuwe.collega", role=Role.TEAM_LEAD, status="requested"
    ).exists()


def test_a_platform_operator_sets_up_the_first_approvers_directly_but_audited(org):
    operator = UserFactory(is_superuser=True, is_staff=True)
    membership = services.grant_role(
        operator, user=org["newcomer"], organisation=org["organisation"], role=Role.DIRECTOR
    )
    event = AuditEvent.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
    assert (event.actor, event.reason) == (operator, "role granted")
    with pytest.raises(services.RoleChangeRefused):
        services.grant_role(
            operator, user=operator, organisation=org["organisation"], role=Role.DIRECTOR
        )


# --- walkthrough: a waiting role request is visible where people look -------------------------


@pytest.mark.parametrize("approver", ["privacy", "director"])
def test_an_open_role_request_is_on_the_approvers_task_list(client, org, approver):
    """Was: the start page said "Er wacht nu niets op u" while a role request waited."""
    _request(org)
    client.force_login(org[approver])
    body = client.get("/").content.decode()
    assert "Nothing waits" not in body and "Er wacht nu niets op u" not in body
    assert "Rolaanvraag goedkeuren of weigeren" in body
    assert reverse(PAGE) in body
    assert "nieuwkomer" not in body.split('id="tasks-heading"')[1].split("</section>")[0]


def test_the_requester_sees_no_task_for_their_own_request(client, org):
    _request(org)
    client.force_login(org["admin"])
    assert "Rolaanvraag goedkeuren of weigeren" not in client.get("/").content.decode()


def test_the_user_admin_page_shows_pending_requests_and_dutch_role_headers(client, org):
    _request(org)
    client.force_login(org["admin"])
    url = reverse("admin:accounts_user_change", args=[org["newcomer"].pk])
    body = client.get(url).content.decode()
    assert "Rolaanvragen die wachten op goedkeuring" in body
    assert "Sociaal werker" in body.split("Rolaanvragen die wachten")[1]
    assert ">organisation<" not in body.lower().replace(" ", "")
    assert "Organisatie" in body.split("memberships-group")[1]
    # No edit/add icons next to the role rows' selects: they made the table too wide.
    assert "change-related" not in body.split("memberships-group")[1].split("role_requests")[0]
