"""The library's lifecycle through its services: who may do what, what is copied, what is
audited, and who sees what."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.library import selectors, services
from maatwerk.library.models import Example

from ..plans.test_plan_lifecycle import submitted
from .world import approved_plan, other_org_worker, other_team_worker

STORY = "Mevrouw El Amrani (Fatima) kreeg de kinderopvang betaald. Bel 06-12345678."


def proposed(org, plan=None):
    plan = plan or approved_plan(org)
    example = services.propose_example(plan, org["worker"], "Opvang voor Fatima", STORY, "")
    return services.submit_example(example, org["worker"])


def test_propose_copies_the_facts_and_de_identifies(org):
    plan = approved_plan(org)
    example = services.propose_example(plan, org["worker"], "Opvang voor Fatima", STORY, "Les.")
    assert example.status == Example.Status.DRAFT
    assert example.title == "Opvang voor [naam]"
    assert "Amrani" not in example.story and "Fatima" not in example.story
    assert "[telefoonnummer]" in example.story
    assert example.blocking_rule.code == plan.obstacles.get().blocking_rule.code
    assert example.provisions.count() == plan.plan_provisions.count() > 0
    assert example.decision_level == Role.TEAM_LEAD
    assert example.standard_total % 100 == 0 and example.tailored_total % 100 == 0
    assert example.tailored_total > 0
    assert example.source_plan == plan
    assert AuditEvent.objects.filter(object_type="library.example", reason="example drafted")


def test_round_to_hundred():
    assert services.round_to_hundred("1249.99") == D(1200)
    assert services.round_to_hundred("1250.00") == D(1300)
    assert services.round_to_hundred(None) is None


def test_an_undecided_plan_cannot_be_proposed(org):
    plan = submitted(org)
    with pytest.raises(PermissionDenied):
        services.propose_example(plan, org["worker"], "Titel", "Verhaal", "")


def test_a_worker_of_another_team_cannot_propose(org):
    plan = approved_plan(org)
    with pytest.raises(PermissionDenied):
        services.propose_example(plan, other_team_worker(org), "Titel", "Verhaal", "")


def test_review_by_a_second_person_only(org):
    example = proposed(org)
    with pytest.raises(PermissionDenied):
        services.approve_example(example, org["worker"])  # the proposer
    with pytest.raises(PermissionDenied):
        services.approve_example(example, org["users"][Role.MANAGER])
    services.approve_example(example, org["users"][Role.PRIVACY_OFFICER])
    example.refresh_from_db()
    assert example.status == Example.Status.APPROVED
    assert AuditEvent.objects.filter(object_id=str(example.pk), reason="example approved")


def test_return_needs_a_reason_and_the_worker_resubmits(org):
    example = proposed(org)
    lead = org["users"][Role.TEAM_LEAD]
    with pytest.raises(ValidationError):
        services.return_example(example, lead, "  ")
    services.return_example(example, lead, "Noem de school niet.")
    example.refresh_from_db()
    assert example.status == Example.Status.RETURNED
    services.edit_example(example, org["worker"], example.title, example.story + " Fatima!", "")
    example.refresh_from_db()
    assert "Fatima" not in example.story
    services.submit_example(example, org["worker"])
    services.approve_example(example, lead)
    assert Example.objects.get(pk=example.pk).status == Example.Status.APPROVED
    reasons = set(
        AuditEvent.objects.filter(object_id=str(example.pk)).values_list("reason", flat=True)
    )
    assert {"example returned", "example published for review", "example approved"} <= reasons


def test_submit_refuses_what_slipped_through(org):
    example = services.propose_example(approved_plan(org), org["worker"], "Titel", "Verhaal", "")
    Example.objects.filter(pk=example.pk).update(story="Het BSN is 111222333.")
    with pytest.raises(ValidationError):
        services.submit_example(example, org["worker"])
    assert Example.objects.get(pk=example.pk).status == Example.Status.DRAFT


def test_visibility(org):
    example = proposed(org)
    other_team, other_org = other_team_worker(org), other_org_worker()
    assert example in selectors.visible_examples(org["worker"])
    assert example not in selectors.visible_examples(other_team)
    assert example in selectors.review_queue(org["users"][Role.TEAM_LEAD])
    assert example not in selectors.review_queue(org["worker"])
    services.approve_example(example, org["users"][Role.TEAM_LEAD])
    for user in (other_team, other_org, org["users"][Role.POLICY_ANALYST]):
        assert example in selectors.visible_examples(user)
        assert selectors.source_plan_id(user, example) is None
    assert selectors.source_plan_id(org["worker"], example) == example.source_plan_id
    assert example not in selectors.visible_examples(org["users"][Role.PARTNER_CLIENT])


def test_withdraw(org):
    example = proposed(org)
    with pytest.raises(PermissionDenied):
        services.withdraw_example(example, other_team_worker(org))
    services.withdraw_example(example, org["worker"])
    assert Example.objects.get(pk=example.pk).status == Example.Status.WITHDRAWN
    assert example not in selectors.visible_examples(other_org_worker())


def test_export_and_import_round_trip(org):
    example = proposed(org)
    services.approve_example(example, org["users"][Role.TEAM_LEAD])
    with pytest.raises(PermissionDenied):
        services.export_examples(org["worker"])
    exported = services.export_examples(org["users"][Role.ADMIN])
    assert '"source_plan' not in exported and "case" not in exported
    assert AuditEvent.objects.filter(action="export", reason="examples exported").exists()
    other_admin = other_org_worker()
    from ..factories import user_with_role

    importer = user_with_role(Role.PRIVACY_OFFICER, other_admin.memberships.get().team)
    created = services.import_examples(importer, exported.encode())
    assert len(created) == 1
    imported = created[0]
    assert imported.status == Example.Status.PROPOSED
    assert imported.source_plan is None and imported.team is None
    assert imported.blocking_rule == example.blocking_rule
    assert set(imported.provisions.all()) == set(example.provisions.all())
    assert AuditEvent.objects.filter(object_id=str(imported.pk), reason="example imported")
    # the importer may not approve their own import; a team lead of their organisation may
    with pytest.raises(PermissionDenied):
        services.approve_example(imported, importer)
    lead = user_with_role(Role.TEAM_LEAD, other_admin.memberships.get().team)
    services.approve_example(imported, lead)


def test_import_refuses_a_bad_document_and_personal_data(org):
    admin = org["users"][Role.ADMIN]
    with pytest.raises(ValidationError):
        services.import_examples(admin, b'{"format": "x"}')
    with pytest.raises(ValidationError):
        services.import_examples(admin, b"not json")
    assert not Example.objects.exists()
