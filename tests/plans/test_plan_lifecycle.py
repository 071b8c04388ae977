"""The plan lifecycle with the database: decisions, the ledger, withdraw, close and revise set
the plan's status through their services, and every page and the API show it the same way.

Plans are submitted the way a worker's click does (`submit` below), never saved as submitted.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import selectors as decision_selectors
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget, DecisionStep, LedgerEntry, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import services as plans
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role

YEAR = timezone.localdate().year
REASON = "Eerst de bijzondere bijstand aanvragen: dat is een voorliggende voorziening."


def submit(worker, plan) -> Plan:
    """Submit as the worker's button does (one place to swap for decisions' submit service)."""
    decisions.submit_plan(worker, plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def org(db):
    team = TeamFactory(name="Wijkteam Noord")
    for role, amount in [
        (Role.WORKER, D("500")),
        (Role.TEAM_LEAD, D("2500")),
        (Role.MANAGER, D("10000")),
        (Role.DIRECTOR, None),
    ]:
        MandateSetting.objects.create(organisation=team.organisation, role=role, amount=amount)
    users = {role: user_with_role(role, team) for role in Role}
    users["worker2"] = user_with_role(Role.WORKER, team)
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    case = CaseFactory(household__team=team)
    Budget.objects.create(organisation=team.organisation, team=team, year=YEAR, amount=D("25000"))
    return {"team": team, "users": users, "case": case, "worker": users[Role.WORKER]}


def submitted(org, amount="2000") -> Plan:
    return submit(org["worker"], complete_plan(org["worker"], org["case"], amount))


def approved(org, amount="2000") -> Plan:
    plan = submitted(org, amount)
    decisions.approve(org["users"][Role.TEAM_LEAD], plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    return plan


def rejected(org) -> Plan:
    plan = submitted(org)
    decisions.reject(org["users"][Role.TEAM_LEAD], plan, REASON)
    plan.refresh_from_db()
    return plan


def status(plan) -> str:
    plan.refresh_from_db()
    return plan.status


# --- decisions set the status ------------------------------------------------------------------


def test_approval_sets_the_plan_approved_in_the_same_transaction(org):
    plan = approved(org)
    assert plan.status == Plan.Status.APPROVED
    assert AuditEvent.objects.filter(
        object_type="plans.plan", object_id=str(plan.pk), reason="approved"
    ).exists()


def test_rejection_sets_the_plan_rejected(org):
    assert rejected(org).status == Plan.Status.REJECTED


def test_escalation_and_consultation_keep_the_plan_submitted(org):
    plan = submitted(org)
    lead = org["users"][Role.TEAM_LEAD]
    decisions.ask_consultation(lead, plan, "Wat vindt schuldhulp ervan?")
    assert status(plan) == Plan.Status.SUBMITTED
    decisions.escalate(lead, plan, reason="Liever de leidinggevende.")
    assert status(plan) == Plan.Status.SUBMITTED
    decisions.approve(org["users"][Role.MANAGER], plan)
    assert status(plan) == Plan.Status.APPROVED


def test_a_refused_approval_leaves_the_status_alone(org):
    Budget.objects.filter(team=org["team"]).update(amount=D("100"))
    plan = submitted(org)
    with pytest.raises(ValidationError):
        decisions.approve(org["users"][Role.TEAM_LEAD], plan)
    assert status(plan) == Plan.Status.SUBMITTED


def test_peer_approval_sets_the_plan_approved(org):
    from maatwerk.decisions.models import PeerRule

    PeerRule.objects.create(organisation=org["team"].organisation, limit=D("300"), peers_required=1)
    plan = submitted(org, "250")
    assert decisions.peer_vote(org["users"]["worker2"], plan, True)
    assert status(plan) == Plan.Status.APPROVED


# --- the ledger sets partly paid and paid ------------------------------------------------------


def test_payments_make_the_plan_partly_paid_then_paid_and_reversals_go_back(org):
    plan = approved(org)
    lead = org["users"][Role.TEAM_LEAD]
    commitment = LedgerEntry.objects.get(plan=plan, kind=LedgerEntry.Kind.COMMITMENT)
    first = decisions.record_payment(lead, commitment, D("800"))
    assert status(plan) == Plan.Status.PARTLY_PAID
    decisions.record_payment(lead, commitment, D("1200"))
    assert status(plan) == Plan.Status.PAID
    decisions.reverse(lead, first, "Dubbel geboekt.")
    assert status(plan) == Plan.Status.PARTLY_PAID


def test_releasing_the_rest_after_a_part_payment_makes_the_plan_paid(org):
    plan = approved(org)
    lead = org["users"][Role.TEAM_LEAD]
    commitment = LedgerEntry.objects.get(plan=plan, kind=LedgerEntry.Kind.COMMITMENT)
    payment = decisions.record_payment(lead, commitment, D("500"))
    decisions.release(lead, commitment)
    assert status(plan) == Plan.Status.PAID
    decisions.reverse(lead, payment, "Betaling ging niet door.")
    assert status(plan) == Plan.Status.APPROVED


def test_a_closed_plan_keeps_its_status_when_the_ledger_is_corrected(org):
    plan = approved(org)
    lead = org["users"][Role.TEAM_LEAD]
    commitment = LedgerEntry.objects.get(plan=plan, kind=LedgerEntry.Kind.COMMITMENT)
    decisions.record_payment(lead, commitment, D("2000"))
    plans.close(org["worker"], plan, "Kinderopvang is betaald; doel bereikt.")
    payment = LedgerEntry.objects.get(plan=plan, kind=LedgerEntry.Kind.PAYMENT)
    decisions.reverse(lead, payment, "Verkeerd bedrag.")
    assert status(plan) == Plan.Status.CLOSED


# --- withdraw ------------------------------------------------------------------------------------


def test_the_author_withdraws_a_submitted_plan_and_its_step_closes(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    plan = submitted(org)
    lead = org["users"][Role.TEAM_LEAD]
    assert decision_selectors.inbox(lead).filter(plan=plan).exists()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.withdraw(org["worker"], plan)
    assert status(plan) == Plan.Status.WITHDRAWN
    step = DecisionStep.objects.get(plan=plan)
    assert step.outcome == DecisionStep.Outcome.WITHDRAW and step.decided_by == org["worker"]
    assert not decision_selectors.inbox(lead).exists()
    # The deciders are told; the author is not mailed about their own act.
    assert [m.to for m in mailoutbox] == [[lead.email]]
    assert "ingetrokken" in mailoutbox[0].subject
    with pytest.raises(ValidationError):
        decisions.approve(lead, plan)


def test_only_the_author_withdraws_and_only_while_undecided(org):
    plan = submitted(org)
    for other in (org["users"]["worker2"], org["users"][Role.TEAM_LEAD]):
        with pytest.raises(PermissionDenied):
            decisions.withdraw(other, plan)
    assert status(plan) == Plan.Status.SUBMITTED
    for done in (approved(org), rejected(org)):
        with pytest.raises(ValidationError):
            decisions.withdraw(org["worker"], done)
    draft = complete_plan(org["worker"], org["case"], "100")
    with pytest.raises(ValidationError):
        decisions.withdraw(org["worker"], draft)
    assert status(draft) == Plan.Status.DRAFT


# --- close ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", ["approved", "paid", "rejected", "withdrawn"])
def test_the_worker_closes_a_finished_plan_with_a_reason(org, make):
    if make == "withdrawn":
        plan = submitted(org)
        decisions.withdraw(org["worker"], plan)
    elif make == "rejected":
        plan = rejected(org)
    else:
        plan = approved(org)
        if make == "paid":
            commitment = LedgerEntry.objects.get(plan=plan, kind=LedgerEntry.Kind.COMMITMENT)
            decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("2000"))
    with pytest.raises(ValidationError):
        plans.close(org["worker"], plan, "  ")
    assert status(plan) != Plan.Status.CLOSED
    plans.close(org["worker"], plan, "Afgerond.")
    plan.refresh_from_db()
    assert (plan.status, plan.closed_by) == ("closed", org["worker"])
    assert plan.close_reason == "Afgerond."
    with pytest.raises(ValidationError):
        plans.close(org["worker"], plan, "Nog eens.")
    # The reason is free text: the audit change set does not carry it.
    event = AuditEvent.objects.filter(
        object_type="plans.plan", object_id=str(plan.pk), reason="closed"
    ).get()
    assert "Afgerond" not in str(event.changes)


def test_a_plan_cannot_be_closed_before_it_is_finished(org):
    draft = complete_plan(org["worker"], org["case"], "100")
    waiting = submitted(org)
    part = approved(org)
    commitment = LedgerEntry.objects.get(plan=part, kind=LedgerEntry.Kind.COMMITMENT)
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("100"))
    for plan in (draft, waiting, part):
        before = status(plan)
        with pytest.raises(ValidationError):
            plans.close(org["worker"], plan, "Te vroeg.")
        assert status(plan) == before


def test_only_workers_of_the_team_close(org):
    plan = approved(org)
    with pytest.raises(PermissionDenied):
        plans.close(org["users"][Role.MANAGER], plan, "Niet mijn plan.")
    outsider = user_with_role(Role.WORKER, TeamFactory())
    with pytest.raises(PermissionDenied):
        plans.close(outsider, plan, "Niet mijn team.")


# --- revise --------------------------------------------------------------------------------------


def test_a_rejected_plan_is_revised_as_a_new_version_and_resubmitted(org):
    old = rejected(org)
    new = plans.revise(org["worker"], old)
    assert (new.status, new.version, new.previous_version) == ("draft", 2, old)
    assert new.solution == old.solution and new.payee == old.payee
    assert new.resident_words == old.resident_words
    assert list(new.obstacles.all()) == list(old.obstacles.all())
    assert [p.provision_id for p in new.plan_provisions.all()] == [
        p.provision_id for p in old.plan_provisions.all()
    ]
    assert new.lines.count() == old.lines.count() > 0
    # The new version is edited and submitted on its own; the old one keeps its decision.
    plans.update_solution(
        org["worker"], new, amount_requested=D("1500"), amount_reason="De opvang is duurder."
    )
    confirm_consent(org["worker"], new)
    new = submit(org["worker"], new)
    assert new.status == Plan.Status.SUBMITTED
    assert DecisionStep.objects.get(plan=new, outcome="").assigned_role == Role.TEAM_LEAD
    assert status(old) == Plan.Status.REJECTED
    assert DecisionStep.objects.get(plan=old).reason == REASON
    decisions.approve(org["users"][Role.TEAM_LEAD], new)
    assert status(new) == Plan.Status.APPROVED


def confirm_consent(worker, plan) -> None:
    plans.record_agreement(
        worker,
        plan,
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="by_phone",
    )


def test_a_revision_asks_the_residents_consent_again_before_it_can_be_submitted(org, client):
    old = rejected(org)
    consented_on = old.agreement_date
    assert old.agreement == "yes" and consented_on is not None
    new = plans.revise(org["worker"], old)
    # The consent was given for version 1; the words stay, the consent does not.
    assert (new.agreement, new.agreement_date, new.agreement_how) == ("unknown", None, "")
    assert new.resident_words == old.resident_words
    with pytest.raises(ValidationError) as refused:
        decisions.submit_plan(org["worker"], new)
    assert "involvement" in refused.value.message_dict
    assert status(new) == Plan.Status.DRAFT
    # The edit page says so, with the date of the old consent.
    client.force_login(org["worker"])
    body = client.get(reverse("plans:edit", args=[new.pk])).content.decode()
    from maatwerk.core.formatting import long_date

    assert (
        f"Toestemming van {long_date(consented_on)} gold voor versie 1: opnieuw bevestigen" in body
    )
    # Confirmed again, it goes.
    confirm_consent(org["worker"], new)
    assert (
        'id="consent-again"'
        not in client.get(reverse("plans:edit", args=[new.pk])).content.decode()
    )
    decisions.submit_plan(org["worker"], new)
    assert status(new) == Plan.Status.SUBMITTED


def test_revise_is_refused_unless_rejected_or_withdrawn_and_only_once(org):
    for plan in (complete_plan(org["worker"], org["case"], "100"), submitted(org), approved(org)):
        with pytest.raises(ValidationError):
            plans.revise(org["worker"], plan)
    old = rejected(org)
    with pytest.raises(PermissionDenied):
        plans.revise(org["users"][Role.MANAGER], old)
    plans.revise(org["worker"], old)
    with pytest.raises(ValidationError):
        plans.revise(org["worker"], old)
    withdrawn = submitted(org)
    decisions.withdraw(org["worker"], withdrawn)
    assert plans.revise(org["worker"], withdrawn).version == 2


def test_the_database_refuses_statuses_outside_the_lifecycle(org):
    plan = complete_plan(org["worker"], org["case"], "100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status="bogus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status="closed")  # no reason, no time


# --- mail to the author --------------------------------------------------------------------------


def test_the_author_is_mailed_the_decision_without_personal_data(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    plan = submitted(org)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.reject(org["users"][Role.TEAM_LEAD], plan, REASON)
    mail = mailoutbox[-1]
    assert mail.to == [org["worker"].email]
    assert str(plan.pk) in mail.subject and "afgewezen" in mail.subject
    for personal in (REASON, org["case"].household.reference, org["worker"].last_name):
        assert personal not in mail.subject


# --- shown the same way everywhere ---------------------------------------------------------------


def badge(label: str, value: str) -> str:
    return f'data-status="{value}">{label}</span>'


@pytest.mark.parametrize(
    ("make", "label", "value"),
    [("approved", "goedgekeurd", "approved"), ("rejected", "afgewezen", "rejected")],
)
def test_status_after_a_decision_on_plan_case_list_start_page_and_api(
    client, org, make, label, value
):
    plan = approved(org) if make == "approved" else rejected(org)
    client.force_login(org["worker"])
    pages = [
        reverse("plans:detail", args=[plan.pk]),
        reverse("cases:detail", args=[org["case"].pk]),
        reverse("cases:list"),
        reverse("home"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert badge(label, value) in body, url
        assert badge("ingediend", "submitted") not in body, url
    home = client.get(reverse("home")).content.decode()
    assert "Recente besluiten over uw plannen" in home
    api = APIClient()
    api.force_authenticate(org["worker"])
    detail = api.get(f"/api/v1/plans/{plan.pk}/").json()
    assert (detail["status"], detail["status_label"]) == (value, label)
    listed = api.get("/api/v1/plans/").json()["results"]
    assert {row["id"]: row["status"] for row in listed}[plan.pk] == value


def test_decisions_for_author_lists_only_own_final_decisions(org):
    mine = rejected(org)
    other = complete_plan(org["users"]["worker2"], org["case"], "2000")
    submit(org["users"]["worker2"], other)
    decisions.approve(org["users"][Role.TEAM_LEAD], other)
    waiting = submitted(org)
    found = decision_selectors.decisions_for_author(org["worker"])
    assert [d.plan_id for d in found] == [mine.pk]
    assert waiting.pk not in [d.plan_id for d in found]


# --- pages and API call the same services --------------------------------------------------------


def test_plan_page_buttons_follow_the_lifecycle(client, org):
    client.force_login(org["worker"])
    plan = submitted(org)
    url = reverse("plans:detail", args=[plan.pk])
    body = client.get(url).content.decode()
    assert "Plan intrekken" in body and "Plan herzien" not in body and "Plan afsluiten" not in body
    client.force_login(org["users"]["worker2"])  # a colleague may not withdraw it
    assert "Plan intrekken" not in client.get(url).content.decode()
    assert client.post(reverse("decisions:withdraw", args=[plan.pk])).status_code == 403
    client.force_login(org["worker"])
    response = client.post(reverse("decisions:withdraw", args=[plan.pk]))
    assert response.status_code == 302 and status(plan) == Plan.Status.WITHDRAWN
    body = client.get(url).content.decode()
    assert badge("ingetrokken", "withdrawn") in body
    assert "Plan herzien" in body and "Plan afsluiten" in body

    response = client.post(reverse("plans:revise", args=[plan.pk]))
    new = Plan.objects.get(previous_version=plan)
    assert response.status_code == 302 and response["Location"].endswith(f"/{new.pk}/bewerken/")
    body = client.get(url).content.decode()
    assert "Versies van dit plan" in body and reverse("plans:detail", args=[new.pk]) in body
    assert "Plan herzien" not in body  # revised once: continue with the new version

    close = reverse("plans:close", args=[plan.pk])
    response = client.post(close, {"reason": ""})
    assert response.status_code == 400 and status(plan) == Plan.Status.WITHDRAWN
    assert client.post(close, {"reason": "Nieuwe versie ingediend."}).status_code == 302
    assert badge("afgesloten", "closed") in client.get(url).content.decode()


def test_api_withdraw_revise_and_close(org):
    api = APIClient()
    plan = submitted(org)
    api.force_authenticate(org["users"]["worker2"])
    assert api.post(f"/api/v1/plans/{plan.pk}/withdraw/").status_code == 403
    api.force_authenticate(org["worker"])
    response = api.post(f"/api/v1/plans/{plan.pk}/withdraw/", {"reason": "Nog niet af."})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = api.post(f"/api/v1/plans/{plan.pk}/withdraw/")
    assert again.status_code == 400 and again.json()["code"] == "decisions.transition"
    response = api.post(f"/api/v1/plans/{plan.pk}/revise/")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["version"], body["previous_version"]) == ("draft", 2, plan.pk)
    assert api.post(f"/api/v1/plans/{body['id']}/close/", {"reason": "x"}).status_code == 400
    assert api.post(f"/api/v1/plans/{plan.pk}/close/", {}).status_code == 400
    response = api.post(f"/api/v1/plans/{plan.pk}/close/", {"reason": "Vervangen."})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    outsider = user_with_role(Role.WORKER, TeamFactory())
    api.force_authenticate(outsider)
    assert api.post(f"/api/v1/plans/{plan.pk}/withdraw/").status_code == 404


def test_opening_the_editor_of_a_rejected_plan_points_to_revising(client, org):
    plan = rejected(org)
    client.force_login(org["worker"])
    response = client.get(reverse("plans:edit", args=[plan.pk]), follow=True)
    body = response.content.decode()
    assert "maak er met &quot;Plan herzien&quot; een nieuwe versie van" in body
    assert "kan niet meer worden gewijzigd" not in body
