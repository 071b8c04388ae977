"""Decisions with the database: routing on submission, approve/reject/escalate, the ledger,
the deadline job, pages and (on PostgreSQL) concurrent approvals against one budget."""

import threading
from datetime import datetime, timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import selectors, services
from maatwerk.decisions.models import (
    Budget,
    DecisionStep,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
)

from ..factories import CaseFactory, OrganisationFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan

YEAR = timezone.localdate().year


@pytest.fixture
def org(db):
    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    users = {role: user_with_role(role, team) for role in Role}
    users["worker2"] = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=YEAR, amount=D("10000")
    )
    return {"team": team, "users": users, "case": case, "budget": budget}


def open_step(plan) -> DecisionStep:
    return DecisionStep.objects.get(plan=plan, outcome="")


# --- routing -----------------------------------------------------------------------------------


def test_submitted_plan_goes_to_the_lowest_level_that_covers_it(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    step = open_step(plan)
    assert (step.assigned_role, step.team_id) == (Role.MANAGER, org["team"].pk)
    assert step.deadline > timezone.localdate()
    assert list(selectors.inbox(u[Role.MANAGER])) == [step]
    assert not selectors.inbox(u[Role.TEAM_LEAD]).exists()
    assert not selectors.inbox(u[Role.WORKER]).exists()
    # Submitting is once per plan: a second submit is refused and routes nothing.
    with pytest.raises(ValidationError):
        services.submit_plan(u[Role.WORKER], plan)
    assert DecisionStep.objects.filter(plan=plan).count() == 1
    assert AuditEvent.objects.filter(object_type="decisions.decisionstep", reason="routed").exists()


def test_configured_mandates_ladder_and_non_financial_level(org):
    organisation = org["team"].organisation
    MandateSetting.objects.filter(organisation=organisation).delete()
    for role, amount in [(Role.TEAM_LEAD, "1000"), (Role.MANAGER, None)]:
        MandateSetting.objects.create(organisation=organisation, role=role, amount=amount)
    EscalationLevel.objects.create(
        organisation=organisation, position=0, role=Role.TEAM_LEAD, deadline_working_days=2
    )
    EscalationLevel.objects.create(
        organisation=organisation, position=1, role=Role.MANAGER, deadline_working_days=5
    )
    EscalationLevel.objects.create(
        organisation=organisation,
        position=2,
        body="Burgerzaken",
        deadline_working_days=10,
        non_financial=True,
    )
    worker = org["users"][Role.WORKER]
    assert open_step(submitted_plan(org["case"], worker, "900")).assigned_role == Role.TEAM_LEAD
    assert open_step(submitted_plan(org["case"], worker, "50000")).assigned_role == Role.MANAGER
    step = open_step(submitted_plan(org["case"], worker, None))
    assert step.assigned_body == "Burgerzaken"
    # A named body is decided by the organisation's directors.
    assert step in selectors.inbox(org["users"][Role.DIRECTOR])


def test_a_municipality_above_the_team_decides(db):
    municipality = OrganisationFactory(name="Gemeente Boven")
    welfare = Organisation.objects.create(
        name="Welzijn Onder", kind=Organisation.Kind.WELFARE, parent=municipality
    )
    team = TeamFactory(organisation=welfare)
    worker = user_with_role(Role.WORKER, team)
    city_team = TeamFactory(organisation=municipality)
    city_manager = user_with_role(Role.MANAGER, city_team)
    MandateSetting.objects.create(organisation=welfare, role=Role.MANAGER, amount=D("10000"))
    configure_mandates(municipality)
    EscalationLevel.objects.create(
        organisation=welfare,
        position=0,
        role=Role.MANAGER,
        decider_organisation=municipality,
        deadline_working_days=5,
    )
    plan = submitted_plan(CaseFactory(household__team=team), worker, "2000")
    assert [s.plan for s in selectors.inbox(city_manager)] == [plan]
    # The decider sees the plan through the step only, not through the plans app.
    Budget.objects.create(organisation=welfare, team=None, year=YEAR, amount=D("5000"))
    services.approve(city_manager, plan)
    assert not selectors.inbox(city_manager).exists()  # access ends with the decision
    assert LedgerEntry.objects.get(plan=plan).budget.team is None  # the pool


# --- approve, reject, escalate -----------------------------------------------------------------


def test_manager_approves_commitment_then_payment_release_and_reversal(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500", payee="Kinderopvang De Hoek")
    step = services.approve(u[Role.MANAGER], plan, reason="Goedkoper dan een jaar bijstand")
    step.refresh_from_db()
    assert (step.outcome, step.decided_by) == ("approve", u[Role.MANAGER])
    commitment = LedgerEntry.objects.get(plan=plan)
    # A commitment is paid to nobody yet: only its payments name the payee (issue 11).
    assert (commitment.kind, commitment.amount, commitment.payee) == ("commitment", D("6500"), "")
    row = selectors.budget_rows([org["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("6500"), D("0"), D("3500"))
    payment = services.record_payment(u[Role.TEAM_LEAD], commitment, D("6000"))
    services.release(u[Role.MANAGER], commitment)  # the unused rest
    row = selectors.budget_rows([org["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("0"), D("6000"), D("4000"))
    with pytest.raises(ValidationError):
        services.record_payment(u[Role.TEAM_LEAD], commitment, D("1"))
    with pytest.raises(ValidationError):
        services.reverse(u[Role.TEAM_LEAD], payment, "")
    services.reverse(u[Role.TEAM_LEAD], payment, "Dubbel geboekt")
    row = selectors.budget_rows([org["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("6000"), D("0"), D("4000"))
    with pytest.raises(PermissionDenied):
        services.record_payment(u[Role.WORKER], commitment, D("1"))
    kinds = set(
        AuditEvent.objects.filter(object_type="decisions.ledgerentry").values_list(
            "reason", flat=True
        )
    )
    assert kinds == {"commitment", "payment", "release", "reversal"}
    assert AuditEvent.objects.filter(
        object_type="decisions.decisionstep", reason="approve"
    ).exists()


def test_budget_insufficient_changes_nothing(org):
    u = org["users"]
    first = submitted_plan(org["case"], u[Role.WORKER], "8000")
    second = submitted_plan(org["case"], u[Role.WORKER], "2500.01")
    services.approve(u[Role.MANAGER], first)
    with pytest.raises(ValidationError) as err:
        services.approve(u[Role.MANAGER], second)
    assert err.value.code == "decisions.budget_insufficient"
    assert "Budget insufficient" in err.value.messages[0] or "ontoereikend" in err.value.messages[0]
    assert LedgerEntry.objects.filter(plan=second).count() == 0
    assert open_step(second).assigned_role == Role.MANAGER


def test_nobody_decides_their_own_plan(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.TEAM_LEAD], "2000")
    # She is the only team lead of the team: her own plan passes her level to the manager.
    assert [(s.assigned_role, s.outcome) for s in selectors.trail(plan)] == [
        (Role.TEAM_LEAD, "skip"),
        (Role.MANAGER, ""),
    ]
    assert not selectors.inbox(u[Role.TEAM_LEAD]).exists()
    with pytest.raises(PermissionDenied):
        services.approve(u[Role.TEAM_LEAD], plan)
    assert not LedgerEntry.objects.exists()


def test_reject_needs_a_reason(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "300")
    assert open_step(plan).assigned_role == Role.WORKER
    with pytest.raises(ValidationError):
        services.reject(u["worker2"], plan, "  ")
    services.reject(u["worker2"], plan, "Past niet binnen de regels van de gemeente")
    step = DecisionStep.objects.get(plan=plan)
    assert (step.outcome, step.reason) == ("reject", "Past niet binnen de regels van de gemeente")
    with pytest.raises(ValidationError):
        services.approve(u["worker2"], plan)  # decided: nothing is open


def test_escalation_climbs_and_stops_at_the_top(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "1000")
    services.escalate(u[Role.TEAM_LEAD], plan, reason="Twijfel")
    assert open_step(plan).assigned_role == Role.MANAGER
    services.escalate(u[Role.MANAGER], plan)
    assert open_step(plan).assigned_role == Role.DIRECTOR
    with pytest.raises(ValidationError):
        services.escalate(u[Role.DIRECTOR], plan)
    # The worker may escalate by hand only once the deadline passed.
    with pytest.raises(PermissionDenied):
        services.escalate(u[Role.WORKER], plan)


def test_ask_consultation_keeps_the_level_and_consult_records(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    new = services.ask_consultation(u[Role.MANAGER], plan, "Kan de woningcorporatie meebetalen?")
    assert new.assigned_role == Role.MANAGER and new.is_open
    c = services.consult(
        u[Role.WORKER],
        plan,
        date=timezone.localdate(),
        question="Kan de woningcorporatie meebetalen?",
        participants="Woningcorporatie Thuis",
        users=[u[Role.TEAM_LEAD]],
        advice="Ja, de helft",
        decided_with_it="Bedrag gehalveerd voorgesteld",
    )
    assert list(c.users.all()) == [u[Role.TEAM_LEAD]]
    assert [s.outcome for s in selectors.trail(plan)] == ["consult", ""]


def test_household_cap(org):
    MandateSetting.objects.filter(organisation=org["team"].organisation, role=Role.WORKER).update(
        household_cap_per_year=D("600")
    )
    u = org["users"]
    services.approve(u["worker2"], submitted_plan(org["case"], u[Role.WORKER], "400"))
    second = submitted_plan(org["case"], u[Role.WORKER], "300")
    with pytest.raises(ValidationError) as err:
        services.approve(u["worker2"], second)
    assert err.value.code == "decisions.household_cap"


# --- the deadline job --------------------------------------------------------------------------


def test_escalate_overdue_is_idempotent_with_a_frozen_clock(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "1000")
    step = open_step(plan)
    before = timezone.make_aware(datetime.combine(step.deadline, datetime.min.time()))
    assert services.escalate_overdue(before + timedelta(hours=23)) == 0
    later = before + timedelta(days=1, hours=8)
    assert services.escalate_overdue(later) == 1
    assert services.escalate_overdue(later) == 0
    old = DecisionStep.objects.get(pk=step.pk)
    assert (old.outcome, old.automatic) == ("escalate", True)
    new = open_step(plan)
    assert new.assigned_role == Role.MANAGER
    assert new.deadline > timezone.localdate(later)
    # Through the command too, at a moment far ahead: climbs once per run to the top.
    out = StringIO()
    call_command("escalate_overdue", "--now", "2099-01-05T09:00:00", stdout=out)
    assert "Escalated 1" in out.getvalue()
    call_command("escalate_overdue", "--now", "2099-12-01T09:00:00", stdout=out)
    assert open_step(plan).assigned_role == Role.DIRECTOR
    call_command("escalate_overdue", "--now", "2100-12-01T09:00:00", stdout=out)
    assert open_step(plan).assigned_role == Role.DIRECTOR


def test_worker_escalates_an_overdue_plan_by_hand(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "1000")
    step = open_step(plan)
    late = timezone.make_aware(
        datetime.combine(step.deadline + timedelta(days=1), datetime.min.time())
    )
    services.escalate(u[Role.WORKER], plan, now=late)
    assert open_step(plan).assigned_role == Role.MANAGER


# --- the ledger stays append-only ----------------------------------------------------------------


def test_ledger_entries_cannot_be_changed_or_deleted(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "300")
    services.approve(u["worker2"], plan)
    entry = LedgerEntry.objects.get(plan=plan)
    entry.amount = D("1")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("1"))
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("300")


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_ledger_changes_on_postgresql(org):
    u = org["users"]
    services.approve(u["worker2"], submitted_plan(org["case"], u[Role.WORKER], "300"))
    entry = LedgerEntry.objects.get()
    for sql in (
        "UPDATE decisions_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM decisions_ledgerentry WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)
def test_a_ledger_entrys_text_changes_only_by_destruction_on_postgresql(org):
    """The payee and note beside a ledger row (issue 17) may only be emptied with a stamp."""
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "300")
    services.approve(u["worker2"], plan)
    commitment = LedgerEntry.objects.get()
    payment = services.record_payment(
        u[Role.TEAM_LEAD], commitment, D("100"), payee="Henk de Vries", payee_kind="person"
    )
    for sql in (
        "UPDATE decisions_ledgerentrydetail SET payee = 'Iemand anders' WHERE entry_id = %s",
        "UPDATE decisions_ledgerentrydetail SET payee = '', note = '' WHERE entry_id = %s",
        "DELETE FROM decisions_ledgerentrydetail WHERE entry_id = %s",
    ):
        with (
            pytest.raises(Exception, match="only by destruction"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [payment.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_ledgerentrydetail SET payee = '', note = '', destroyed_at = now() "
            "WHERE entry_id = %s",
            [payment.pk],
        )
    payment = LedgerEntry.objects.select_related("detail").get(pk=payment.pk)
    assert payment.detail.payee == "" and payment.payee.startswith("verwijderd (vernietigd op ")
    assert (payment.amount, payment.payee_kind) == (D("100"), "person")


def test_admin_cannot_change_ledger_entries(client, org):
    u = org["users"]
    services.approve(u["worker2"], submitted_plan(org["case"], u[Role.WORKER], "300"))
    entry = LedgerEntry.objects.get()
    admin = u[Role.ADMIN]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:decisions_ledgerentry_change", args=[entry.pk]), {"amount": "1"}
    )
    assert response.status_code in (302, 403)
    response = client.post(
        reverse("admin:decisions_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code in (302, 403)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("300")


# --- pages -------------------------------------------------------------------------------------


def test_inbox_decide_and_budget_pages(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    DecisionStep.objects.filter(plan=plan).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(u[Role.MANAGER])
    body = client.get(reverse("decisions:inbox")).content.decode()
    assert f"Maatwerkplan {plan.pk}" in body and "€\u00a06.500,00" in body and "te laat" in body
    # The case reference names the plan for the decider (the walkthrough asked for it); the
    # view of every listed plan is audited.
    assert org["case"].household.reference in body
    assert AuditEvent.objects.filter(
        actor=u[Role.MANAGER], action="view", object_type="plans.plan", object_id=str(plan.pk)
    ).exists()
    url = reverse("decisions:decide", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "approve", "reason": ""}, follow=True)
    assert response.status_code == 200 and "Bevestigen?" in response.content.decode()
    response = client.post(url, {"action": "approve", "reason": "", "confirmed": "True"})
    assert response.status_code == 302
    # Decided: the decision form is gone; the link leads to the trail she may read.
    assert client.get(url)["Location"] == reverse("decisions:trail", args=[plan.pk])
    body = client.get(reverse("decisions:budgets")).content.decode()
    assert "€\u00a06.500,00" in body and "€\u00a03.500,00" in body
    response = client.get(reverse("decisions:budgets_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Wijkteam Noord" in text and "6500" in text and "3500" in text
    assert AuditEvent.objects.filter(action="export", object_type="decisions.budget").exists()


def test_decide_page_is_only_for_the_decider(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    url = reverse("decisions:decide", args=[plan.pk])
    trail = reverse("decisions:trail", args=[plan.pk])
    for role in (Role.WORKER, Role.TEAM_LEAD, Role.DIRECTOR, Role.POLICY_ANALYST):
        client.force_login(u[role])
        response = client.get(url)
        # Who may see the plan is shown its trail; nobody else learns it exists.
        if role == Role.POLICY_ANALYST:
            assert response.status_code in (403, 404), role
        else:
            assert response.status_code == 302 and response["Location"] == trail, role
        for data in ({"action": "approve"}, {"action": "approve", "confirmed": "True"}):
            assert client.post(url, data).status_code in (403, 404), role
    assert not LedgerEntry.objects.exists()


def test_budget_page_other_teams_budget_not_shown(client, org):
    other = TeamFactory(name="Wijkteam Elders")
    Budget.objects.create(organisation=other.organisation, team=other, year=YEAR, amount=D("77"))
    client.force_login(org["users"][Role.TEAM_LEAD])
    body = client.get(reverse("decisions:budgets")).content.decode()
    assert "Wijkteam Noord" in body and "Wijkteam Elders" not in body


def test_consultation_page(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    client.force_login(u[Role.WORKER])
    url = reverse("decisions:consult", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"date": str(timezone.localdate()), "question": "Wie betaalt?", "participants": "UWV"},
    )
    assert response.status_code == 302
    assert plan.consultations.get().participants == "UWV"


# --- concurrency (PostgreSQL) ------------------------------------------------------------------

THREADS = 24


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_overdraw_the_budget(seeded_catalogues):
    team = TeamFactory()
    configure_mandates(team.organisation)
    author = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    case = CaseFactory(household__team=team)
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=YEAR, amount=D("10500")
    )
    # One case per plan: nothing but the budget row is shared between the approvals.
    plans = [
        submitted_plan(case if i == 0 else CaseFactory(household__team=team), author, "1000")
        for i in range(THREADS)
    ]
    assert all(open_step(p).assigned_role == Role.TEAM_LEAD for p in plans)
    barrier = threading.Barrier(THREADS)
    results: dict[int, str] = {}

    def approve(plan):
        try:
            barrier.wait()
            services.approve(lead, plan)
            results[plan.pk] = "ok"
        except ValidationError as e:
            results[plan.pk] = e.code or "refused"
        except Exception as e:  # any other failure must show in the test
            results[plan.pk] = repr(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(results.values())
    fits = int(budget.amount // D("1000"))  # whole plans of € 1,000 that the budget holds
    assert fits < THREADS
    assert outcomes.count("ok") == fits, outcomes
    assert outcomes.count("decisions.budget_insufficient") == THREADS - fits, outcomes
    row = selectors.budget_rows([budget])[0]
    committed = fits * D("1000")
    assert (row.committed, row.paid, row.available) == (committed, 0, budget.amount - committed)
    assert LedgerEntry.objects.filter(budget=budget).count() == fits
    assert DecisionStep.objects.filter(plan__in=plans, outcome="approve").count() == fits


def test_inbox_and_budget_queries_do_not_grow_with_plans(client, org):
    from django.test.utils import CaptureQueriesContext

    u = org["users"]
    client.force_login(u[Role.MANAGER])

    def count(name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        for _ in range(n):
            submitted_plan(org["case"], u[Role.WORKER], "3000")

    grow(3)
    services.approve(u[Role.MANAGER], submitted_plan(org["case"], u[Role.WORKER], "3000"))
    count("decisions:inbox")
    small = (count("decisions:inbox"), count("decisions:budgets"))
    grow(30)
    services.approve(u[Role.MANAGER], submitted_plan(org["case"], u[Role.WORKER], "3000"))
    large = (count("decisions:inbox"), count("decisions:budgets"))
    assert small == large
    assert max(large) <= 12


# --- peer decisions ----------------------------------------------------------------------------


def test_peer_decision_three_colleagues_not_two_author_never(org):
    from maatwerk.decisions.models import PeerRule

    PeerRule.objects.create(organisation=org["team"].organisation, limit=D("500"), peers_required=3)
    u = org["users"]
    colleagues = [u["worker2"], u[Role.TEAM_LEAD], user_with_role(Role.WORKER, org["team"])]
    plan = submitted_plan(org["case"], u[Role.WORKER], "300")
    with pytest.raises(PermissionDenied):
        services.peer_vote(u[Role.WORKER], plan, True)  # the author
    with pytest.raises(PermissionDenied):
        services.peer_vote(user_with_role(Role.WORKER, TeamFactory()), plan, True)  # other team
    assert services.peer_vote(colleagues[0], plan, True) is False
    assert services.peer_vote(colleagues[0], plan, True) is False  # once per colleague
    assert services.peer_vote(colleagues[1], plan, True) is False  # two is not enough
    assert not LedgerEntry.objects.exists()
    assert services.peer_vote(colleagues[2], plan, True) is True
    step = DecisionStep.objects.get(plan=plan)
    assert step.outcome == "approve"
    assert LedgerEntry.objects.get(plan=plan).amount == D("300")
    big = submitted_plan(org["case"], u[Role.WORKER], "500.01")
    with pytest.raises(ValidationError) as err:
        services.peer_vote(colleagues[0], big, True)
    assert err.value.code == "decisions.peer_limit"


def test_notifications_by_mail(org, mailoutbox, django_capture_on_commit_callbacks):
    u = org["users"]
    for user in u.values():
        user.email = f"{user.username}@example.org"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    assert [m.to for m in mailoutbox] == [[u[Role.MANAGER].email]]
    assert (
        "6500" not in mailoutbox[0].body
        and org["case"].household.reference not in mailoutbox[0].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(u[Role.MANAGER], plan, "Niet nodig")
    assert mailoutbox[-1].to == [u[Role.WORKER].email]


def test_ledger_page_records_payment_release_and_correction(client, org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500", payee="Kinderopvang De Hoek")
    services.approve(u[Role.MANAGER], plan)
    commitment = LedgerEntry.objects.get(plan=plan)
    client.force_login(u[Role.TEAM_LEAD])
    url = reverse("decisions:budget", args=[org["budget"].pk])
    body = client.get(url).content.decode()
    # "Betaald aan" only on a payment: the commitment names no payee (issue 11).
    assert "€\u00a06.500,00" in body and "Kinderopvang De Hoek" not in body
    assert AuditEvent.objects.filter(
        actor=u[Role.TEAM_LEAD], action="view", object_type="decisions.budget"
    ).exists()
    pay = {"entry": commitment.pk, "action": "payment", "amount": "7000", "payee": ""}
    assert client.post(url, pay).status_code == 400  # more than is open
    pay["amount"] = "6000"
    assert client.post(url, pay).status_code == 302
    assert client.post(url, {"entry": commitment.pk, "action": "release"}).status_code == 302
    payment = LedgerEntry.objects.get(kind="payment")
    assert payment.payee == "Kinderopvang De Hoek"
    assert client.post(url, {"entry": payment.pk, "action": "reversal"}).status_code == 400
    fix = {"entry": payment.pk, "action": "reversal", "reason": "Verkeerd bedrag"}
    assert client.post(url, fix).status_code == 302
    row = selectors.budget_rows([org["budget"]])[0]
    assert (row.committed, row.paid, row.available) == (D("6000"), D("0"), D("4000"))
    client.force_login(u[Role.WORKER])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, pay).status_code in (403, 404)


# --- API ---------------------------------------------------------------------------------------


def test_api_inbox_decide_budgets_and_ledger(org):
    from rest_framework.test import APIClient

    u = org["users"]
    api = APIClient()
    big = submitted_plan(org["case"], u[Role.WORKER], "9000")
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    api.force_authenticate(u[Role.MANAGER])
    inbox = api.get(reverse("decision-inbox")).json()
    assert {row["plan"] for row in inbox} == {big.pk, plan.pk}
    assert {row["amount_requested"] for row in inbox} == {"9000.00", "6500.00"}
    url = reverse("decision-decide", args=[plan.pk])
    response = api.post(url, {"action": "reject", "reason": ""}, format="json")
    assert response.status_code == 400
    response = api.post(url, {"action": "approve"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "approve"
    response = api.post(reverse("decision-decide", args=[big.pk]), {"action": "approve"})
    assert response.status_code == 400
    assert response.json()["code"] == "decisions.budget_insufficient"
    assert api.post(url, {"action": "approve"}).status_code == 404  # decided: access ends
    rows = api.get(reverse("budget-list")).json()
    assert [(r["team"], r["committed"], r["available"]) for r in rows] == [
        ("Wijkteam Noord", "6500.00", "3500.00")
    ]
    ledger_rows = api.get(reverse("budget-ledger", args=[org["budget"].pk])).json()
    assert [(r["kind"], r["amount"]) for r in ledger_rows] == [("commitment", "6500.00")]
    response = api.post(
        reverse("decision-consult", args=[big.pk]),
        {"date": str(timezone.localdate()), "question": "Kan het goedkoper?"},
        format="json",
    )
    assert response.status_code == 201
    api.force_authenticate(u[Role.WORKER])
    assert api.get(reverse("budget-list")).status_code == 403
    assert api.post(
        reverse("decision-decide", args=[big.pk]), {"action": "approve"}
    ).status_code in (
        403,
        404,
    )
    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/v1/decisions/{id}/" in schema or "/api/v1/decisions/{pk}/" in schema
    assert "/api/v1/budgets/" in schema


def test_worker_sees_the_trail_with_the_reason_and_escalates_when_overdue(client, org):
    u = org["users"]
    rejected = submitted_plan(org["case"], u[Role.WORKER], "6500")
    services.reject(u[Role.MANAGER], rejected, "Eerst de toeslag herstellen")
    client.force_login(u[Role.WORKER])
    body = client.get(reverse("decisions:trail", args=[rejected.pk])).content.decode()
    assert "Eerst de toeslag herstellen" in body and "afgewezen" in body
    waiting = submitted_plan(org["case"], u[Role.WORKER], "1000")
    url = reverse("decisions:escalate", args=[waiting.pk])
    client.post(url)
    assert open_step(waiting).assigned_role == Role.TEAM_LEAD  # not overdue yet
    DecisionStep.objects.filter(plan=waiting).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    body = client.get(reverse("decisions:trail", args=[waiting.pk])).content.decode()
    assert "te laat" in body and url in body
    assert client.post(url).status_code == 302
    assert open_step(waiting).assigned_role == Role.MANAGER
    other = TeamFactory()
    client.force_login(user_with_role(Role.WORKER, other))
    assert client.get(reverse("decisions:trail", args=[waiting.pk])).status_code == 404


def test_peer_vote_page(client, org):
    from maatwerk.decisions.models import PeerRule

    PeerRule.objects.create(organisation=org["team"].organisation, limit=D("500"), peers_required=2)
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "300")
    url = reverse("decisions:peer_vote", args=[plan.pk])
    client.force_login(u[Role.WORKER])  # the author: no vote form, and a vote is refused
    assert url not in client.get(reverse("decisions:trail", args=[plan.pk])).content.decode()
    client.post(url, {"approve": "yes"})
    for colleague in (u["worker2"], u[Role.TEAM_LEAD]):
        client.force_login(colleague)
        assert url in client.get(reverse("decisions:trail", args=[plan.pk])).content.decode()
        assert client.post(url, {"approve": "yes"}).status_code == 302
    assert DecisionStep.objects.get(plan=plan).outcome == "approve"
    assert LedgerEntry.objects.get(plan=plan).amount == D("300")


def test_spending_per_blocking_rule_and_life_domain(client, org):
    from maatwerk.cases.models import CaseLifeDomain
    from maatwerk.legal.models import BlockingRule

    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")  # the obstacle of the plan
    CaseLifeDomain.objects.create(case=org["case"], domain="income")
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    services.approve(u[Role.MANAGER], plan)
    services.release(u[Role.MANAGER], LedgerEntry.objects.get(plan=plan), D("500"))
    by_rule, by_domain = selectors.spending([org["budget"]])
    assert by_rule == [(rule.name_nl, D("6000"))]
    assert by_domain == [("Inkomen", D("6000"))]
    client.force_login(u[Role.MANAGER])
    body = client.get(reverse("decisions:budgets")).content.decode()
    assert rule.name_nl in body and "€\u00a06.000,00" in body


def test_budget_export_to_excel(client, org):
    from ..core.test_core_xlsx import Book

    u = org["users"]
    services.approve(u[Role.MANAGER], submitted_plan(org["case"], u[Role.WORKER], "6500"))
    client.force_login(u[Role.MANAGER])
    response = client.get(reverse("decisions:budgets_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = Book(response.content)
    headers = [book.cell(f"{c}1")["value"] for c in "ABCDEFGH"]
    assert headers == [
        "Organisatie", "Team", "Jaar", "Maatwerkbudget", "Betaald", "Verplicht", "In afwachting",
        "Beschikbaar",
    ]  # fmt: skip
    assert book.cell("A1")["bold"] and book.pane().get("ySplit") == "1"
    row = {h: book.cell(f"{c}2") for h, c in zip(headers, "ABCDEFGH", strict=True)}
    assert row["Team"]["value"] == "Wijkteam Noord"
    assert row["Jaar"]["type"] == "n" and "€" not in str(row["Jaar"]["format"])
    for header, amount in (("Verplicht", 6500), ("Beschikbaar", 3500)):
        assert row[header]["type"] == "n" and float(row[header]["value"]) == amount
        assert "€" in row[header]["format"]
    assert len(book.widths()) == 8 and book.autofilter().startswith("A1:H")
    assert AuditEvent.objects.filter(action="export", reason__contains="xlsx").exists()


def test_deadline_escalation_notifies_the_old_level_the_new_level_and_the_author(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    u = org["users"]
    for user in u.values():
        user.email = f"{user.username}@example.org"
        user.save()
    plan = submitted_plan(org["case"], u[Role.WORKER], "1000")  # routed to the team lead
    step = open_step(plan)
    later = timezone.make_aware(datetime.combine(step.deadline, datetime.min.time()))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(later + timedelta(days=1, hours=8)) == 1
    recipients = {address for m in mailoutbox for address in m.to}
    assert {u[Role.TEAM_LEAD].email, u[Role.MANAGER].email, u[Role.WORKER].email} <= recipients
    assert all("1000" not in m.body for m in mailoutbox)
