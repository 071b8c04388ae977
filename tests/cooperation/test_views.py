"""The request pages: reads audited, writes through the services, refusals shown on the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import services
from maatwerk.cooperation.models import Contact, CooperationRequest, ExternalOrganisation
from maatwerk.demo.plans import complete_plan


@pytest.fixture
def client_for(client, settings):
    settings.REQUIRE_2FA = False

    def login(user):
        client.force_login(user)
        return client

    return login


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_request_page_is_audited_as_a_read(client_for, worker, coop):
    response = client_for(worker).get(reverse("cooperation:detail", args=[coop.pk]))
    assert response.status_code == 200
    assert "Belastingdienst/Toeslagen" in response.content.decode()
    event = AuditEvent.objects.filter(actor=worker, action="view").latest("id")
    assert (event.object_type, event.object_id) == ("cooperation.cooperationrequest", str(coop.pk))


def test_another_team_gets_404(client_for, other_worker, coop):
    response = client_for(other_worker).get(reverse("cooperation:detail", args=[coop.pk]))
    assert response.status_code == 404


def test_new_request_on_a_plan_with_consent_and_sent(client_for, worker, world, toeslagen):
    plan = complete_plan(worker, world["case_a"], "100")
    today = timezone.localdate()
    data = {
        "organisation": toeslagen.pk,
        "question": "Stop de verrekening.",
        "consent_scope": "Naam en beschikking",
        "send": "on",
        **_date("consent_on", today),
    }
    response = client_for(worker).post(reverse("cooperation:new_for_plan", args=[plan.pk]), data)
    coop = CooperationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:detail", args=[coop.pk])
    assert (coop.plan, coop.status, coop.sent_on) == (plan, "sent", today)
    assert coop.due_on == today + timedelta(days=14)


def test_sending_without_consent_shows_the_refusal(client_for, worker, world, toeslagen):
    data = {"organisation": toeslagen.pk, "question": "Stop de verrekening.", "send": "on"}
    url = reverse("cooperation:new_for_case", args=[world["case_a"].pk])
    response = client_for(worker).post(url, data)
    assert response.status_code == 200
    assert "toestemming" in response.content.decode().lower()
    assert not CooperationRequest.objects.exists()


def test_quick_contact_line_from_the_request_page(client_for, worker, coop):
    url = reverse("cooperation:add_contact", args=[coop.pk])
    today = timezone.localdate()
    data = {"channel": "phone", "minutes": "20", "note": "Wachtrij", **_date("occurred_on", today)}
    response = client_for(worker).post(url, data)
    assert response.status_code == 302
    assert Contact.objects.get().minutes == 20
    response = client_for(worker).post(url, {**data, "minutes": "0"})
    assert response.status_code == 200
    assert Contact.objects.count() == 1


def test_answer_refused_without_reason_changes_nothing(client_for, worker, coop):
    services.send_request(worker, coop)
    url = reverse("cooperation:answer", args=[coop.pk])
    data = {"answer": "refused", **_date("answered_on", timezone.localdate())}
    response = client_for(worker).post(url, data)
    assert response.status_code == 200
    assert "reden" in response.content.decode()
    coop.refresh_from_db()
    assert coop.status == "sent"


def test_manager_reads_but_does_not_write(client_for, world, coop):
    client = client_for(world["users"][Role.MANAGER])
    assert client.get(reverse("cooperation:detail", args=[coop.pk])).status_code == 200
    data = {"channel": "phone", "minutes": "20"}
    response = client.post(reverse("cooperation:add_contact", args=[coop.pk]), data)
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_plan_and_case_pages_show_requests_and_time_spent(client_for, worker, world, toeslagen):
    plan = complete_plan(worker, world["case_a"], "100")
    coop = services.create_request(
        worker, case=world["case_a"], plan=plan, organisation=toeslagen, question="Stop"
    )
    services.add_contact(worker, coop, channel="phone", minutes=50)
    services.add_contact(worker, coop, channel="phone", minutes=25)
    client = client_for(worker)
    for url in (
        reverse("plans:detail", args=[plan.pk]),
        reverse("cases:detail", args=[world["case_a"].pk]),
    ):
        body = client.get(url).content.decode()
        assert "Belastingdienst/Toeslagen" in body
        assert "1 u 15 min" in body


def test_overdue_request_on_the_start_page(client_for, worker, world, toeslagen):
    sent_on = timezone.localdate() - timedelta(days=20)
    coop = services.create_request(
        worker,
        case=world["case_a"],
        organisation=toeslagen,
        question="Stop",
        consent_on=sent_on,
        consent_scope="Naam",
        send=True,
        sent_on=sent_on,
    )
    body = client_for(worker).get(reverse("home")).content.decode()
    assert "Geen antwoord van Belastingdienst/Toeslagen" in body
    assert reverse("cooperation:detail", args=[coop.pk]) in body


def test_worker_suggests_and_admin_accepts(client_for, worker, admin_user, client):
    response = client_for(worker).post(
        reverse("cooperation:suggest"),
        {
            "team": worker.memberships.get().team_id,
            "name": "Budgetmaatje",
            "organisation_type": "debt_assistance",
        },
    )
    assert response.status_code == 302
    suggestion = ExternalOrganisation.objects.get(name="Budgetmaatje")
    client.logout()
    admin = client_for(admin_user)
    assert "Budgetmaatje" in admin.get(reverse("cooperation:suggestions")).content.decode()
    admin.post(reverse("cooperation:decide_suggestion", args=[suggestion.pk]), {"accept": "yes"})
    suggestion.refresh_from_db()
    assert suggestion.status == "active"


def test_directory_lists_accepted_organisations(client_for, worker, toeslagen):
    body = client_for(worker).get(reverse("cooperation:directory")).content.decode()
    assert "Belastingdienst/Toeslagen" in body
    assert "BelastingTelefoon" in body
