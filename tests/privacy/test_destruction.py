"""Destruction of cases past their retention period (issue 17, point 2), with a frozen clock:
the proposed list, its review and approval, the legal hold, and the acceptance test — after
destruction the signal report and the cohort figures are unchanged and no table holds a trace
of the destroyed persons (their names, BSN, keyed hash, notes)."""

from datetime import date, datetime
from decimal import Decimal as D
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.cases.models import CaseNote, Resident
from maatwerk.decisions import selectors as budgets
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget, LedgerEntry, LedgerEntryDetail, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.followup import cohorts
from maatwerk.followup import services as followup
from maatwerk.followup.models import CohortFigures, FollowUp
from maatwerk.plans.models import Plan
from maatwerk.privacy import access, destruction, selectors, services
from maatwerk.privacy.models import DestructionItem, DestructionList, LegalHold, RetentionRule
from maatwerk.signals import report
from maatwerk.signals import selectors as signals

from ..factories import TeamFactory, user_with_role

TZ = ZoneInfo("Europe/Amsterdam")
BSN = "999000019"
LANDLORD = "Henk de Vries"


class Clock:
    def __init__(self):
        self.moment = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)

    def set(self, year, month, day):
        self.moment = datetime(year, month, day, 10, 0, tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.moment)
    return c


# --- every text field of a case's tables is decided ------------------------------------------


def _text_fields(model) -> set[str]:
    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices
    }


def test_every_text_field_that_reaches_a_case_is_blanked_kept_or_deleted_with_a_reason():
    decided_models = (
        set(destruction.DELETED)
        | set(destruction.DELETED_WITH_HOUSEHOLD)
        | set(destruction.NOT_CASE_DATA)
    )
    for label in access.paths():
        if label in decided_models:
            continue
        model = apps.get_model(label)
        rule = destruction.BLANK.get(label)
        blanked = set(rule.text + rule.empty) if rule else set()
        if label == destruction.SNAPSHOT[0]:
            blanked.add("result")
        kept = set(destruction.KEEP.get(label, {}))
        undecided = _text_fields(model) - blanked - kept
        assert not undecided, (
            f"{label}: decide what destruction does to {sorted(undecided)} "
            "(privacy/destruction.py: BLANK, KEEP or DELETED)"
        )
    assert all(r.strip() for m in destruction.KEEP.values() for r in m.values())
    assert all(r.strip() for r in destruction.NOT_CASE_DATA.values())


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def org(db, clock):
    team = TeamFactory(name="Wijkteam Noord")
    for role, amount in [
        (Role.WORKER, D("500")),
        (Role.TEAM_LEAD, D("2500")),
        (Role.MANAGER, D("10000")),
        (Role.DIRECTOR, None),
    ]:
        MandateSetting.objects.create(organisation=team.organisation, role=role, amount=amount)
    Budget.objects.create(organisation=team.organisation, team=team, year=2026, amount=D(25000))
    users = {role: user_with_role(role, team) for role in Role}
    return {"team": team, "users": users, "worker": users[Role.WORKER]}


def _household(org, residents, **kw):
    return case_services.create_household_with_case(
        actor=org["worker"],
        team=org["team"],
        residents=residents,
        title=kw.pop("title", "Hulp"),
        goal=kw.pop("goal", "Rust."),
        life_domains=kw.pop("life_domains", ["income"]),
        organisations=kw.pop("organisations", []),
        **kw,
    )


def _approved(org, case, **kw) -> Plan:
    plan = complete_plan(org["worker"], case, "2000", **kw)
    decisions.submit_plan(org["worker"], plan)
    decisions.approve(org["users"][Role.TEAM_LEAD], plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    return plan


def _record(org, plan, moments, start):
    for moment in moments:
        followup.record(
            org["worker"],
            FollowUp.objects.get(plan=plan, moment=moment),
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": start}],
        )


@pytest.fixture
def world(org, clock):
    sanne = _household(
        org,
        [
            {
                "first_name": "Sanne",
                "last_name": "Jansen",
                "birth_date": date(1985, 1, 2),
                "bsn": BSN,
            },
            {"first_name": "Kees", "last_name": "Jansen", "birth_date": date(1983, 5, 6)},
        ],
        title="Toeslag van Sanne verrekend met schuld",
        goal="Sanne wil weer rust in haar hoofd.",
        first_step="Brief met Sanne lezen.",
        organisations=[{"organisation_type": "tax_allowances", "contact_note": "Sanne's dossier"}],
    )
    case_services.add_note(actor=org["worker"], case=sanne, text="Gesprek met Sanne Jansen.")
    plan = _approved(org, sanne, resident_words="Sanne: dan kan ik blijven werken.")
    # Part of the money went to a private landlord, named as the payee of the payment.
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    decisions.record_payment(
        org["users"][Role.TEAM_LEAD],
        commitment,
        D("750.00"),
        payee=LANDLORD,
        payee_kind=LedgerEntry.PayeeKind.PERSON,
    )
    # Another household keeps its open case, with an obstacle and a plan the report counts.
    pieter = _household(org, [{"first_name": "Pieter", "last_name": "Bakker"}], title="Huur")
    other = _approved(org, pieter)
    start = timezone.localdate()
    for p in (plan, other):
        _record(org, p, ["end_of_action"], start)
    clock.set(2027, 3, 5)  # a year on: the last follow-ups close the plans
    Budget.objects.create(
        organisation=org["team"].organisation, team=org["team"], year=2027, amount=D(25000)
    )
    _record(org, plan, ["plus_6", "plus_12"], start)
    _record(org, other, ["plus_6"], start)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    sanne.refresh_from_db()
    assert sanne.closed_on == date(2027, 3, 5)  # closed with its last plan
    light = followup.start_pilot_light(org["worker"], sanne, interval_months=3)
    clock.set(2027, 6, 10)
    followup.record_check_in(
        org["worker"],
        light,
        checked_on=date(2027, 6, 10),
        outcome="going_well",
        text="Sanne belde.",
    )
    return {"sanne": sanne, "pieter": pieter, "plan": plan}


def _figures(org):
    lead = org["users"][Role.TEAM_LEAD]
    period = report.Period(2026)
    team_ids = signals.report_team_ids(lead)
    return {
        "facts": signals.facts(team_ids, period),
        "report": signals.signal_report(lead, period),
        "cohorts": {g: cohorts.cohorts_for(lead, g) for g in cohorts.GROUPINGS},
        "stored": sorted(
            CohortFigures.objects.values_list("plan_id", "state", "predicted", "realised")
        ),
        "budgets": [
            (r.budget.pk, r.committed, r.paid, r.available, r.pending)
            for r in budgets.budget_rows(Budget.objects.order_by("pk"))
        ],
        "ledger": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "budget_id", "plan_id", "kind", "amount", "payee_kind", "refers_to_id"
            )
        ),
    }


def _traces(needles: list[str]) -> list[str]:
    """Every text column of every table that holds one of `needles`."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            text = " ".join(str(v) for v in row)
            found += [f"{model._meta.label}: {n}" for n in needles if n in text]
    return found


def test_destruction_end_to_end_keeps_the_figures_and_leaves_no_trace(org, world, clock, client):
    sanne = Resident.objects.get(first_name="Sanne")
    needles = [
        "Sanne",
        "Kees",
        "Jansen",
        BSN,
        sanne.bsn_hash,
        sanne.bsn_encrypted,
        "Brief met Sanne",
        LANDLORD,
    ]
    assert len(_traces(needles)) > 5
    assert any(
        t.startswith("decisions.LedgerEntryDetail: Henk") for t in _traces([LANDLORD])
    )  # the scan finds them while they are there
    clock.set(2037, 3, 5)  # ten years after the benefit ended (UITKERING-VERSTREKT)
    before = _figures(org)
    call_command("propose_destruction_list", stdout=StringIO())
    assert not DestructionList.objects.exists()  # the last day of the period: not yet

    clock.set(2037, 6, 1)
    before = _figures(org)
    for _ in range(2):  # scheduled: the second run changes nothing
        call_command("propose_destruction_list", stdout=StringIO())
    lst = DestructionList.objects.get()
    item = lst.items.get()
    assert (item.case_id, item.status) == (world["sanne"].pk, "proposed")
    assert item.case_reference == world["sanne"].household.reference
    assert item.retention_end == date(2037, 3, 5) and item.rule_codes == "UITKERING-VERSTREKT"

    officer = org["users"][Role.PRIVACY_OFFICER]
    client.force_login(officer)
    page = client.get(reverse("privacy:destruction")).content.decode()
    assert world["sanne"].household.reference in page and "Sanne" not in page
    # The rule is shown by its Dutch kind of help, not as the raw code.
    assert "UITKERING-VERSTREKT" not in page
    # Without the confirmation ticked: refused with the Dutch reason, nothing changes.
    events = AuditEvent.objects.exclude(action="view").count()
    response = client.post(reverse("privacy:destruction"), {"action": "approve"})
    assert response.status_code == 200
    assert "Vink aan dat u begrijpt dat vernietigen niet ongedaan kan worden" in (
        response.content.decode()
    )
    item.refresh_from_db()
    lst.refresh_from_db()
    assert (item.status, lst.status) == ("proposed", "proposed")
    assert AuditEvent.objects.exclude(action="view").count() == events
    assert Resident.objects.filter(household=world["sanne"].household).exists()
    response = client.post(reverse("privacy:destruction"), {"action": "approve", "confirm": "on"})
    assert response.status_code == 302

    item.refresh_from_db()
    lst.refresh_from_db()
    assert item.status == "destroyed" and lst.status == "approved"
    assert lst.approved_by == officer
    after = _figures(org)
    assert after == before
    assert sum(e[4] for e in after["ledger"] if e[3] == "payment") == D("750.00")
    assert _traces(needles) == []
    # The landlord's payment stays in the ledger, its name replaced by when it was removed.
    payment = LedgerEntry.objects.select_related("detail").get(plan=world["plan"], kind="payment")
    assert (payment.amount, payment.payee_kind) == (D("750.00"), "person")
    assert payment.detail.destroyed_at == clock.moment
    assert payment.payee == "verwijderd (vernietigd op 1 juni 2037)"
    client.force_login(org["users"][Role.TEAM_LEAD])
    ledger_page = client.get(reverse("decisions:budget", args=[payment.budget_id]))
    assert "verwijderd (vernietigd op 1 juni 2037)" in ledger_page.content.decode()
    assert LedgerEntryDetail.objects.filter(destroyed_at__isnull=False).count() >= 2
    client.force_login(officer)
    assert not Resident.objects.filter(household=world["sanne"].household).exists()
    assert not CaseNote.objects.filter(case=world["sanne"]).exists()
    world["plan"].refresh_from_db()
    assert world["plan"].solution == destruction.DESTROYED_TEXT
    assert world["plan"].amount_requested == D("2000")  # the euros stay
    # The other household is untouched.
    assert Resident.objects.filter(first_name="Pieter").exists()
    assert world["pieter"].plans.get().solution != destruction.DESTROYED_TEXT
    # Audited with counts and the case's id, nothing that names a person.
    event = AuditEvent.objects.get(action="delete", object_type="cases.case")
    assert (
        event.object_id == str(world["sanne"].pk) and event.changes["rows"]["cases.resident"] == 2
    )

    # Approving again (the page, then the service) is harmless.
    events = AuditEvent.objects.exclude(action="view").count()
    again = {"action": "approve", "confirm": "on"}
    assert client.post(reverse("privacy:destruction"), again).status_code == 302
    assert services.approve_list(officer, lst) == {"destroyed": 0, "held": 0}
    assert AuditEvent.objects.exclude(action="view").count() == events
    # A destroyed case is never proposed again.
    call_command("propose_destruction_list", stdout=StringIO())
    assert DestructionList.objects.count() == 1


def test_a_legal_hold_keeps_a_case_off_the_list_and_stops_its_destruction(org, clock, client):
    gone = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}], life_domains=["housing"])
    gone = case_services.close_case(actor=org["worker"], case=gone, reason="no_contact")
    officer = org["users"][Role.PRIVACY_OFFICER]
    clock.set(2026, 5, 1)  # past the 42 days of a broken-off application
    lst = services.propose_destruction_list(org["team"].organisation_id, today=date(2026, 5, 1))
    assert list(lst.items.values_list("case_id", flat=True)) == [gone.pk]

    # The officer holds the case after it was proposed: approval keeps it.
    client.force_login(officer)
    url = reverse("privacy:legal_hold", args=[gone.pk])
    assert client.post(url, {"action": "set", "reason": ""}).status_code == 200
    assert client.post(url, {"action": "set", "reason": "Zaak 4711 loopt"}).status_code == 302
    assert services.approve_list(officer, lst) == {"destroyed": 0, "held": 1}
    assert Resident.objects.filter(first_name="Ali").exists()
    assert lst.items.get().status == "held"
    # While held, it is proposed on no new list.
    assert (
        services.propose_destruction_list(gone.team.organisation_id, today=date(2026, 6, 1)) is None
    )
    hold = LegalHold.objects.get()
    assert AuditEvent.objects.filter(object_type="privacy.legalhold", reason="bewaarplicht gezet")
    assert "4711" not in str(list(AuditEvent.objects.values_list("reason", "changes")))

    # Lifted (with a reason): the next run proposes it again, and approval destroys it.
    client.post(url, {"action": "lift", "lift_reason": "Zaak 4711 is afgelopen"})
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    new = services.propose_destruction_list(gone.team.organisation_id, today=date(2026, 6, 1))
    assert new.pk != lst.pk and new.items.get().case_id == gone.pk
    assert services.approve_list(officer, new) == {"destroyed": 1, "held": 0}
    assert not Resident.objects.filter(first_name="Ali").exists()
    hold.refresh_from_db()
    assert hold.reason == destruction.DESTROYED_TEXT


def test_lifting_a_hold_without_a_reason_is_refused_and_changes_nothing(org, clock, client):
    case = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}])
    officer = org["users"][Role.PRIVACY_OFFICER]
    hold = services.set_legal_hold(officer, case, reason="Bezwaar loopt")
    client.force_login(officer)
    events = AuditEvent.objects.exclude(action="view").count()
    for blank in ("", "   "):
        with pytest.raises(ValidationError):
            services.lift_legal_hold(officer, case, reason=blank)
    url = reverse("privacy:legal_hold", args=[case.pk])
    response = client.post(url, {"action": "lift", "lift_reason": " "})
    assert response.status_code == 200
    assert "Geef de reden waarom de bewaarplicht wordt opgeheven." in response.content.decode()
    hold.refresh_from_db()
    assert (hold.lifted_at, hold.lifted_by, hold.lift_reason) == (None, None, "")
    assert AuditEvent.objects.exclude(action="view").count() == events
    assert selectors.held_case_ids([case.pk]) == {case.pk}


def test_a_lifted_hold_keeps_its_reason_and_who_lifted_it_in_the_history(org, clock, client):
    case = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}])
    officer = org["users"][Role.PRIVACY_OFFICER]
    officer.first_name, officer.last_name = "Pia", "Privacy"
    officer.save()
    client.force_login(officer)
    url = reverse("privacy:legal_hold", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Eerdere bewaarplichten" not in page  # no history yet: no heading
    services.set_legal_hold(officer, case, reason="Bezwaar loopt")
    clock.set(2026, 4, 1)
    client.force_login(officer)  # a new session: the old one timed out
    response = client.post(url, {"action": "lift", "lift_reason": "Op het bezwaar is beslist"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.lifted_by, hold.lift_reason) == (officer, "Op het bezwaar is beslist")
    event = AuditEvent.objects.get(object_type="privacy.legalhold", reason="bewaarplicht opgeheven")
    assert event.actor == officer and "beslist" not in str(event.changes)
    page = client.get(url).content.decode()
    assert "Eerdere bewaarplichten" in page
    assert "opgeheven door Pia Privacy" in page and "Op het bezwaar is beslist" in page
    # The kinds of help by their Dutch names, not the rule codes.
    codes = selectors.case_retention(type(case).objects.filter(pk=case.pk))[0].codes
    assert codes
    for rule in RetentionRule.objects.filter(code__in=codes, organisation__isnull=True):
        assert rule.kind_of_help in page and rule.code not in page


def test_the_search_page_lists_the_current_holds_and_shows_references(org, clock, client):
    held = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}])
    other = _household(org, [{"first_name": "Bea", "last_name": "Jansen"}])
    lifted = _household(org, [{"first_name": "Cor", "last_name": "Smit"}])
    team2 = TeamFactory(name="Wijkteam Zuid")
    org2 = {"team": team2, "worker": user_with_role(Role.WORKER, team2)}
    foreign = _household(org2, [{"first_name": "Dirk", "last_name": "Bos"}])
    officer = org["users"][Role.PRIVACY_OFFICER]
    services.set_legal_hold(officer, held, reason="Rechtszaak loopt")
    services.set_legal_hold(officer, lifted, reason="Onderzoek")
    services.lift_legal_hold(officer, lifted, reason="Onderzoek klaar")
    services.set_legal_hold(
        user_with_role(Role.PRIVACY_OFFICER, team2), foreign, reason="Elders gehouden"
    )
    client.force_login(officer)
    url = reverse("privacy:legal_hold_search")
    before = AuditEvent.objects.filter(object_type="privacy.legalhold", action="view").count()
    page = client.get(url).content.decode()
    assert "Lopende bewaarplichten" in page and "HH-7K3Q9P2M" in page  # the hint
    assert held.household.reference in page and "Rechtszaak loopt" in page
    assert reverse("privacy:legal_hold", args=[held.pk]) in page
    assert lifted.household.reference not in page  # lifted: not current
    assert foreign.household.reference not in page and "Elders gehouden" not in page
    assert (
        AuditEvent.objects.filter(object_type="privacy.legalhold", action="view").count()
        == before + 1
    )
    # A search (in small letters) names the household in each result.
    page = client.get(url, {"reference": other.household.reference.lower()}).content.decode()
    assert f"Casus van huishouden {other.household.reference}, geopend" in page
    # Nobody else sees the overview.
    assert selectors.active_holds(org["users"][Role.ADMIN]) == []
    client.force_login(org["users"][Role.WORKER])
    assert client.get(url).status_code in (302, 403, 404)


def test_only_the_privacy_officer_decides_and_an_item_can_be_taken_off(org, clock, client):
    gone = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}], life_domains=["housing"])
    case_services.close_case(actor=org["worker"], case=gone, reason="resident_stopped")
    lst = services.propose_destruction_list(org["team"].organisation_id, today=date(2026, 6, 1))
    for role in (Role.WORKER, Role.ADMIN, Role.DIRECTOR):
        with pytest.raises(PermissionDenied):
            services.approve_list(org["users"][role], lst)
    client.force_login(org["users"][Role.PRIVACY_OFFICER])
    item = lst.items.get()
    response = client.post(reverse("privacy:destruction"), {"action": "remove", "item": item.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == DestructionItem.Status.REMOVED
    assert services.approve_list(org["users"][Role.PRIVACY_OFFICER], lst)["destroyed"] == 0
    assert Resident.objects.filter(first_name="Ali").exists()


# --- destruction on request (AVG art. 17, Jeugdwet art. 7.3.9) --------------------------------


def test_a_case_goes_on_the_list_on_request_and_is_destroyed_on_approval(org, clock, client):
    case = _household(
        org, [{"first_name": "Noor", "last_name": "Visser"}], life_domains=["upbringing"]
    )
    case = case_services.close_case(actor=org["worker"], case=case, reason="goal_reached")
    officer = org["users"][Role.PRIVACY_OFFICER]
    # Long before its retention period ends, the scheduled run proposes nothing.
    assert (
        services.propose_destruction_list(case.team.organisation_id, today=date(2026, 4, 1)) is None
    )
    clock.set(2026, 4, 1)
    client.force_login(officer)
    url = reverse("privacy:destruction_request", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Jeugdwet art. 7.3.9" in page and "AVG art. 17" in page
    # Without a ground, or with a date to come: refused, nothing on a list.
    response = client.post(
        url,
        {
            "requested_on": "2026-03-02",
        },
    )
    assert (
        response.status_code == 200 and "Kies de wettelijke grondslag" in response.content.decode()
    )
    assert not DestructionList.objects.exists()
    with pytest.raises(ValidationError):
        services.request_destruction(
            officer, case, ground="avg_17", requested_on=date(2026, 5, 1), today=date(2026, 4, 1)
        )
    response = client.post(
        url,
        {
            "ground": "jeugdwet_7_3_9",
            "requested_on": "2026-03-20",
        },
    )
    assert response.status_code == 302
    item = DestructionItem.objects.get()
    assert (item.case_id, item.status, item.request_ground, item.requested_on) == (
        case.pk,
        "proposed",
        "jeugdwet_7_3_9",
        date(2026, 3, 20),
    )
    assert item.case_reference == case.household.reference and item.retention_end > date(2027, 1, 1)
    event = AuditEvent.objects.filter(reason__contains="op verzoek van betrokkene").get()
    assert event.actor == officer and event.changes["ground"] == "jeugdwet_7_3_9"
    # The list shows why it is there; a second request changes the ground, not the list.
    page = client.get(reverse("privacy:destruction")).content.decode()
    assert "Op verzoek van betrokkene (Jeugdwet art. 7.3.9" in page and "Noor" not in page
    services.request_destruction(
        officer, case, ground="avg_17", requested_on=date(2026, 3, 25), today=date(2026, 4, 1)
    )
    assert DestructionItem.objects.get().request_ground == "avg_17"
    # The same review and approval as the scheduled list.
    assert services.approve_list(officer, item.destruction_list) == {"destroyed": 1, "held": 0}
    assert not Resident.objects.filter(first_name="Noor").exists()
    deleted = AuditEvent.objects.get(action="delete", object_type="cases.case")
    assert "op verzoek van betrokkene (avg_17" in deleted.reason
    with pytest.raises(ValidationError):
        services.request_destruction(
            officer, case, ground="avg_17", requested_on=date(2026, 3, 25), today=date(2026, 4, 1)
        )


def test_a_legal_hold_or_an_open_case_blocks_destruction_on_request(org, clock, client):
    held = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}])
    held = case_services.close_case(actor=org["worker"], case=held, reason="goal_reached")
    open_case = _household(org, [{"first_name": "Bea", "last_name": "Smit"}])
    officer = org["users"][Role.PRIVACY_OFFICER]
    services.set_legal_hold(officer, held, reason="Bezwaar loopt")
    client.force_login(officer)
    url = reverse("privacy:destruction_request", args=[held.pk])
    assert "Op deze casus staat een bewaarplicht" in client.get(url).content.decode()
    data = {
        "ground": "avg_17",
        "requested_on": "2026-03-01",
    }
    page = client.get(url).content.decode()
    # Said up front: only the refusal and the next step, no form and no promise of the list.
    assert "Hef de bewaarplicht eerst op" in page
    assert reverse("privacy:legal_hold", args=[held.pk]) in page
    assert 'name="ground"' not in page and "De casus komt op de openstaande" not in page
    # Sent anyway: the service still refuses.
    page = client.post(url, data).content.decode()
    assert "hij kan niet op de vernietigingslijst, ook niet op verzoek. Hef" in page
    open_url = reverse("privacy:destruction_request", args=[open_case.pk])
    page = client.get(open_url).content.decode()
    assert "een open casus wordt nooit vernietigd" in page and 'name="ground"' not in page
    assert "De casus komt op de openstaande" not in page
    page = client.post(open_url, data)
    assert "een open casus wordt nooit vernietigd" in page.content.decode()
    assert not DestructionList.objects.exists() and not DestructionItem.objects.exists()
    # Nobody but the privacy officer puts a case on the list.
    for role in (Role.WORKER, Role.ADMIN, Role.TEAM_LEAD):
        with pytest.raises(PermissionDenied):
            services.request_destruction(
                org["users"][role], held, ground="avg_17", requested_on=date(2026, 3, 1)
            )
    client.force_login(org["users"][Role.WORKER])
    assert client.get(url).status_code in (302, 403, 404)


def test_a_hold_set_after_the_request_keeps_the_case_on_approval(org, clock):
    case = _household(org, [{"first_name": "Ali", "last_name": "Yilmaz"}])
    case = case_services.close_case(actor=org["worker"], case=case, reason="goal_reached")
    officer = org["users"][Role.PRIVACY_OFFICER]
    item = services.request_destruction(
        officer, case, ground="avg_17", requested_on=date(2026, 3, 1)
    )
    services.set_legal_hold(officer, case, reason="Rechtszaak loopt")
    assert services.approve_list(officer, item.destruction_list) == {"destroyed": 0, "held": 1}
    assert Resident.objects.filter(first_name="Ali").exists()


def test_a_destroyed_case_says_so_up_front(org, clock, client):
    case = _household(org, [{"first_name": "Noor", "last_name": "Visser"}])
    case = case_services.close_case(actor=org["worker"], case=case, reason="goal_reached")
    officer = org["users"][Role.PRIVACY_OFFICER]
    item = services.request_destruction(
        officer, case, ground="avg_17", requested_on=date(2026, 3, 1)
    )
    services.approve_list(officer, item.destruction_list)
    client.force_login(officer)
    page = client.get(reverse("privacy:destruction_request", args=[case.pk])).content.decode()
    assert "Deze casus is vernietigd op" in page and 'name="ground"' not in page
    assert "De casus komt op de openstaande" not in page


def test_the_request_is_found_by_bsn_through_the_keyed_hash_or_by_reference(
    org, clock, client, monkeypatch
):
    case = _household(org, [{"first_name": "Noor", "last_name": "Visser", "bsn": BSN}])
    other = _household(org, [{"first_name": "Bea", "last_name": "Smit"}])
    officer = org["users"][Role.PRIVACY_OFFICER]
    client.force_login(officer)
    url = reverse("privacy:destruction_request_search")
    page = client.get(url).content.decode()
    assert "BSN of kenmerk huishouden" in page and "bijvoorbeeld HH-7K3Q9P2M" in page
    assert "casuslijst" not in page
    # The person is found as the right of access finds them: through access.residents_for.
    calls = []
    real = access.residents_for
    monkeypatch.setattr(access, "residents_for", lambda *a: calls.append(a) or real(*a))
    page = client.post(url, {"query": "9990 000 19"}).content.decode()
    assert calls and calls[0][0] == BSN
    target = reverse("privacy:destruction_request", args=[case.pk])
    assert target in page
    assert reverse("privacy:destruction_request", args=[other.pk]) not in page
    # Audited: who searched and how, never the number.
    event = AuditEvent.objects.filter(object_type="privacy.destruction_request").latest("pk")
    assert event.actor == officer and event.reason == "op BSN: 1 casussen gevonden"
    assert not AuditEvent.objects.filter(reason__contains=BSN).exists()
    # The household reference, in small letters, finds the same case.
    page = client.post(url, {"query": case.household.reference.lower()}).content.decode()
    assert target in page
    # A number that fails the eleven-test is refused; an unknown valid one finds nothing.
    page = client.post(url, {"query": "123456789"}).content.decode()
    assert "elfproef" in page and target not in page
    page = client.post(url, {"query": "111222333"}).content.decode()
    assert "Geen casus van uw organisatie heeft dit BSN of dit kenmerk." in page
    # Another role finds nothing, even with the number.
    assert selectors.cases_by_bsn(org["worker"], BSN) == []
