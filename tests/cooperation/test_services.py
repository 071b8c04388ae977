"""The rules of requests to outside organisations, enforced in the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cooperation import selectors, services
from maatwerk.cooperation.models import (
    DEFAULT_ANSWER_DAYS,
    Contact,
    CooperationRequest,
    DirectoryStatus,
    ExternalOrganisation,
)
from maatwerk.cooperation.services import CooperationError
from maatwerk.core.choices import OrganisationType

from ..factories import CaseFactory, TeamFactory

TODAY = timezone.localdate


def _events(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def test_create_request_records_an_audit_event_without_the_question(coop, worker):
    event = _events(coop, "create").get()
    assert event.actor == worker
    assert "verrekening" not in str(event.changes)
    assert coop.status == CooperationRequest.Status.DRAFT


def test_consent_is_required_before_sending(world, worker, toeslagen):
    coop = services.create_request(
        worker, case=world["case_a"], organisation=toeslagen, question="Stop de verrekening."
    )
    with pytest.raises(CooperationError) as refused:
        services.send_request(worker, coop)
    assert refused.value.code == "cooperation.no_consent"
    coop.refresh_from_db()
    assert coop.status == "draft" and coop.sent_on is None
    services.record_consent(worker, coop, consent_on=TODAY(), consent_scope="Naam, BSN")
    sent = services.send_request(worker, coop)
    assert sent.status == "sent"


def test_consent_needs_its_scope(world, worker, toeslagen):
    with pytest.raises(CooperationError) as refused:
        services.create_request(
            worker,
            case=world["case_a"],
            organisation=toeslagen,
            question="Stop de verrekening.",
            consent_on=TODAY(),
        )
    assert "consent_scope" in refused.value.error_dict
    assert not CooperationRequest.objects.exists()


def test_sending_defaults_to_today_and_fourteen_days(coop, worker):
    sent = services.send_request(worker, coop)
    assert sent.sent_on == TODAY()
    assert sent.due_on == TODAY() + timedelta(days=DEFAULT_ANSWER_DAYS)
    assert _events(sent, "update").filter(reason="sent").exists()


def test_due_date_before_sending_is_refused(coop, worker):
    with pytest.raises(CooperationError) as refused:
        services.send_request(worker, coop, sent_on=TODAY(), due_on=TODAY() - timedelta(days=1))
    assert refused.value.code == "cooperation.due_on"


def test_cannot_be_sent_before_consent(coop, worker):
    with pytest.raises(CooperationError):
        services.send_request(worker, coop, sent_on=TODAY() - timedelta(days=3))


def test_overdue_is_computed_from_the_due_date(world, worker, toeslagen):
    sent_on = TODAY() - timedelta(days=20)
    coop = services.create_request(
        worker,
        case=world["case_a"],
        organisation=toeslagen,
        question="Stop de verrekening.",
        consent_on=sent_on,
        consent_scope="Naam",
        send=True,
        sent_on=sent_on,
    )
    assert coop.due_on == sent_on + timedelta(days=14)
    assert coop.is_overdue()
    assert coop.days_overdue() == 6
    assert not coop.is_overdue(today=coop.due_on)
    assert list(selectors.overdue_requests(worker)) == [coop]
    services.record_answer(worker, coop, answer="agreed")
    coop.refresh_from_db()
    assert not coop.is_overdue()
    assert list(selectors.overdue_requests(worker)) == []


@pytest.mark.parametrize("answer", ["partly", "refused"])
def test_partly_and_refused_need_the_reason(coop, worker, answer):
    services.send_request(worker, coop)
    with pytest.raises(CooperationError) as refused:
        services.record_answer(worker, coop, answer=answer)
    assert refused.value.code == "cooperation.reason"
    answered = services.record_answer(worker, coop, answer=answer, reason="Geen grondslag.")
    assert answered.answer == answer and answered.status == "answered"


@pytest.mark.parametrize("answer", ["agreed", "none"])
def test_agreed_and_none_need_no_reason(coop, worker, answer):
    services.send_request(worker, coop)
    answered = services.record_answer(worker, coop, answer=answer)
    assert answered.answer == answer
    event = _events(answered, "update").get(reason="answer")
    assert event.changes["answer"] == {"old": "", "new": answer}


def test_an_unknown_answer_is_refused(coop, worker):
    services.send_request(worker, coop)
    with pytest.raises(CooperationError):
        services.record_answer(worker, coop, answer="maybe")


def test_no_answer_to_a_draft_and_no_second_answer(coop, worker):
    with pytest.raises(CooperationError) as refused:
        services.record_answer(worker, coop, answer="agreed")
    assert refused.value.code == "cooperation.not_sent"
    services.send_request(worker, coop)
    services.record_answer(worker, coop, answer="agreed")
    with pytest.raises(CooperationError):
        services.record_answer(worker, coop, answer="refused", reason="Toch niet.")


@pytest.mark.parametrize("minutes", [0, -5, 1441, "10", True])
def test_minutes_must_be_a_positive_count(coop, worker, minutes):
    with pytest.raises(CooperationError) as refused:
        services.add_contact(worker, coop, channel="phone", minutes=minutes)
    assert refused.value.code == "cooperation.minutes"
    assert not Contact.objects.exists()


def test_contacts_add_up_and_are_audited(coop, worker, world):
    services.add_contact(worker, coop, channel="phone", minutes=25, note="Wachtrij")
    contact = services.add_contact(worker, coop, channel="email", minutes=10)
    assert _events(contact, "create").get().changes["minutes"] == {"old": None, "new": 10}
    rows = list(selectors.request_list(worker, case=world["case_a"]))
    assert rows[0].minutes_spent == 35
    assert selectors.minutes_total(rows) == 35


def test_an_unknown_channel_is_refused(coop, worker):
    with pytest.raises(CooperationError):
        services.add_contact(worker, coop, channel="pigeon", minutes=5)


def test_only_the_case_team_writes(coop, world, other_worker):
    for role in (Role.MANAGER, Role.POLICY_ANALYST):
        with pytest.raises(PermissionDenied):
            services.add_contact(world["users"][role], coop, channel="phone", minutes=5)
    with pytest.raises(PermissionDenied):
        services.send_request(other_worker, coop)
    with pytest.raises(PermissionDenied):
        services.create_request(
            other_worker,
            case=world["case_a"],
            organisation=coop.organisation,
            question="Iets",
        )
    assert not Contact.objects.exists()


def test_a_plan_of_another_case_is_refused(world, worker, toeslagen):
    from maatwerk.demo.plans import complete_plan

    other_case = CaseFactory(household__team=world["team_a"])
    plan = complete_plan(worker, other_case, "100")
    with pytest.raises(CooperationError) as refused:
        services.create_request(
            worker, case=world["case_a"], organisation=toeslagen, question="Iets", plan=plan
        )
    assert refused.value.code == "cooperation.plan"


def test_database_refuses_a_sent_request_without_consent(coop):
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperationRequest.objects.filter(pk=coop.pk).update(
            status="sent", sent_on=TODAY(), due_on=TODAY(), consent_on=None, consent_scope=""
        )


def test_database_refuses_zero_minutes(coop, worker):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            request=coop, channel="phone", minutes=0, occurred_on=TODAY(), created_by=worker
        )


def test_withdraw_and_no_contacts_after(coop, worker):
    services.withdraw_request(worker, coop)
    with pytest.raises(CooperationError):
        services.add_contact(worker, coop, channel="phone", minutes=5)


# --- the directory ----------------------------------------------------------------------------


def test_a_suggestion_is_usable_by_its_team_at_once_and_by_others_after_acceptance(
    world, worker, admin_user
):
    suggestion = services.suggest_organisation(
        worker,
        team=world["team_a"],
        name="Stichting Budgetmaatje",
        organisation_type=OrganisationType.DEBT_ASSISTANCE,
    )
    assert suggestion.status == DirectoryStatus.SUGGESTED
    other_team = TeamFactory(organisation=world["team_a"].organisation)
    assert selectors.is_usable(suggestion, world["team_a"].pk)
    assert not selectors.is_usable(suggestion, other_team.pk)
    services.create_request(
        worker, case=world["case_a"], organisation=suggestion, question="Budgetcoaching"
    )
    services.decide_suggestion(admin_user, suggestion, accept=True)
    assert selectors.is_usable(suggestion, other_team.pk)
    assert _events(suggestion, "update").get().reason == "suggestion accepted"


def test_a_rejected_suggestion_is_no_longer_usable(world, worker, admin_user):
    suggestion = services.suggest_organisation(
        worker, team=world["team_a"], name="Iets Onbekends", organisation_type="other"
    )
    services.decide_suggestion(admin_user, suggestion, accept=False, note="Bestaat al als UWV.")
    assert not selectors.is_usable(suggestion, world["team_a"].pk)
    with pytest.raises(CooperationError):
        services.create_request(
            worker, case=world["case_a"], organisation=suggestion, question="Iets"
        )


def test_only_the_administrator_decides_and_keeps_the_directory(world, worker):
    suggestion = services.suggest_organisation(
        worker, team=world["team_a"], name="Iets", organisation_type="other"
    )
    with pytest.raises(PermissionDenied):
        services.decide_suggestion(worker, suggestion, accept=True)
    with pytest.raises(PermissionDenied):
        services.save_organisation(worker, name="UWV", organisation_type="uwv")


def test_a_worker_suggests_only_for_their_own_team(world, worker):
    with pytest.raises(PermissionDenied):
        services.suggest_organisation(
            worker, team=world["team_b"], name="Iets", organisation_type="other"
        )


def test_duplicate_names_are_refused(toeslagen, world, worker, admin_user):
    with pytest.raises(CooperationError) as refused:
        services.suggest_organisation(
            worker,
            team=world["team_a"],
            name="belastingdienst/toeslagen",
            organisation_type="tax_allowances",
        )
    assert refused.value.code == "cooperation.duplicate"
    with pytest.raises(CooperationError):
        services.save_organisation(admin_user, name="Belastingdienst/Toeslagen ")


def test_administrator_adds_organisations_and_contact_points_with_audit(admin_user):
    org = services.save_organisation(
        admin_user, name="SVB", organisation_type="svb", category="cooperation"
    )
    point = services.save_contact_point(
        admin_user, org, department="Klantcontact", channel="phone", address="Zie website"
    )
    assert _events(org, "create").exists() and _events(point, "create").exists()
    services.save_organisation(admin_user, org, website="https://www.svb.nl")
    assert _events(org, "update").get().changes["website"]["new"] == "https://www.svb.nl"
    with pytest.raises(ValidationError):
        services.save_contact_point(admin_user, org, department=" ", channel="phone")


def test_escalation_routes_take_no_requests(world, worker, admin_user):
    loket = services.save_organisation(
        admin_user, name="Landelijk Maatwerkloket", organisation_type="other", category="escalation"
    )
    assert not selectors.is_usable(loket, world["team_a"].pk)
    assert ExternalOrganisation.objects.filter(pk=loket.pk).exists()
