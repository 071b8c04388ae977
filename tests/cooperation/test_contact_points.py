"""Contact points (issue 12, point 1): a phone number, and the functional administrator edits
a contact point or takes it out of the directory; never deleted, so the requests that went to
it keep it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import ContactPoint

pytestmark = pytest.mark.django_db


def _events(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


@pytest.fixture
def point(admin_user, toeslagen):
    return services.save_contact_point(
        admin_user, toeslagen, department="Klantcontact", channel="phone", phone="0800 0543"
    )


@pytest.mark.parametrize("phone", ["0800 0543", "+31 (0)20 123-45-67", ""])
def test_a_phone_number_of_digits_spaces_plus_dashes_and_parentheses(admin_user, point, phone):
    services.save_contact_point(admin_user, point.organisation, point, phone=phone)
    point.refresh_from_db()
    assert point.phone == phone


@pytest.mark.parametrize("phone", ["bel 0800", "0800/0543", "0" * 31])
def test_anything_else_is_no_phone_number(admin_user, point, phone):
    with pytest.raises(ValidationError) as error:
        services.save_contact_point(admin_user, point.organisation, point, phone=phone)
    assert "phone" in error.value.message_dict


def test_the_administrator_edits_a_contact_point_with_an_audit_event(admin_user, point):
    services.save_contact_point(admin_user, point.organisation, point, phone="030 123 45 67")
    change = _events(point, "update").get().changes["phone"]
    assert change == {"old": "0800 0543", "new": "030 123 45 67"}


def test_taking_a_point_out_keeps_it_on_the_requests_that_named_it(
    admin_user, worker, world, point
):
    coop = services.create_request(
        worker,
        case=world["case_a"],
        organisation=point.organisation,
        contact_point=point,
        question="Stop de verrekening.",
    )
    services.deactivate_contact_point(admin_user, point)
    assert ContactPoint.objects.filter(pk=point.pk, active=False).exists()  # not deleted
    coop.refresh_from_db()
    assert coop.contact_point_id == point.pk
    assert point not in selectors.contact_points_for([point.organisation_id])
    event = _events(point, "update").get()
    assert event.changes == {"active": {"old": True, "new": False}}
    services.deactivate_contact_point(admin_user, point)  # twice: one event
    assert _events(point, "update").count() == 1


def test_only_the_administrator_changes_contact_points(worker, point):
    with pytest.raises(PermissionDenied):
        services.deactivate_contact_point(worker, point)
    with pytest.raises(PermissionDenied):
        services.save_contact_point(worker, point.organisation, point, phone="1")


def test_the_organisation_page_shows_the_phone_and_the_edit_link(client, admin_user, point):
    client.force_login(admin_user)
    url = reverse("cooperation:organisation", args=[point.organisation_id])
    html = client.get(url).content.decode()
    assert 'href="tel:08000543"' in html and ">0800 0543<" in html
    edit = reverse("cooperation:edit_contact_point", args=[point.pk])
    assert edit in html
    page = client.get(edit).content.decode()
    assert 'value="0800 0543"' in page and "geschiedenis intact" in page
    response = client.post(
        edit, {"department": "Klantcontact", "channel": "phone", "phone": "bel mij"}
    )
    assert response.status_code == 200 and "alleen cijfers" in response.content.decode()
    response = client.post(reverse("cooperation:deactivate_contact_point", args=[point.pk]))
    assert response.status_code == 302
    assert "Klantcontact" not in client.get(url).content.decode()
    assert client.get(edit).status_code == 404  # out of the directory: no longer edited


def test_the_api_shows_the_phone(client, worker, point):
    client.force_login(worker)
    response = client.get(reverse("outside-organisation-detail", args=[point.organisation_id]))
    points = {p["department"]: p for p in response.json()["contact_points"]}
    assert points["Klantcontact"]["phone"] == "0800 0543"
