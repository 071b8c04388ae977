import pytest
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.audit.models import AuditEvent


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = audit.record(actor=world["users"][Role.WORKER], action="view", obj=world["case_a"])
    event.reason = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_updates_on_postgresql(world):
    event = audit.record(actor=world["users"][Role.WORKER], action="view", obj=world["case_a"])
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_admin_cannot_edit_audit_events(world):
    admin_user = world["users"][Role.ADMIN]
    admin_user.is_superuser = True
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_case_view_is_audited_with_request_id(client, world):
    user = world["users"][Role.WORKER]
    client.force_login(user)
    response = client.get(
        reverse("cases:detail", args=[world["case_a"].pk]), HTTP_X_REQUEST_ID="req-12345678"
    )
    assert response["X-Request-ID"] == "req-12345678"
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert event.actor == user
    assert event.organisation == user.organisation
    assert event.request_id == "req-12345678"
    assert event.object_type == "cases.case"


def test_case_list_audits_every_case_shown(client, world):
    user = world["users"][Role.TEAM_LEAD]
    client.force_login(user)
    client.get(reverse("cases:list"))
    shown = AuditEvent.objects.filter(actor=user, action="view", object_type="cases.case")
    assert list(shown.values_list("object_id", flat=True)) == [str(world["case_a"].pk)]


def test_update_diff_records_old_and_new_and_masks_personal_fields(world):
    case = world["case_a"]
    changes = audit.diff(case, {"title": "Nieuw", "goal": "geheim doel"}, masked={"goal"})
    assert changes["title"] == {"old": "Huurachterstand", "new": "Nieuw"}
    assert changes["goal"] == {"old": "***", "new": "***"}


def test_privacy_officer_lists_and_filters_the_log(client, world):
    worker = world["users"][Role.WORKER]
    audit.record(actor=worker, action="view", obj=world["case_a"])
    audit.record(actor=worker, action="export", obj=world["case_a"], reason="pdf")
    client.force_login(world["users"][Role.PRIVACY_OFFICER])
    response = client.get(reverse("audit:list"), {"action": "export"})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [e.action for e in rows] == ["export"]
    assert response.context["page"].paginator.count == 1


def test_bad_audit_filter_is_a_message_not_an_error(client, world):
    client.force_login(world["users"][Role.PRIVACY_OFFICER])
    response = client.get(reverse("audit:list"), {"date_from": "not-a-date", "actor": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_request_log_carries_no_personal_data(client, world, caplog):
    client.force_login(world["users"][Role.WORKER])
    with caplog.at_level("DEBUG"):
        client.get(reverse("cases:detail", args=[world["case_a"].pk]))
        client.get(reverse("cases:list"), {"q": "Geheimnaam"})
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "Geheimnaam" not in text
    assert world["case_a"].household.reference not in text
