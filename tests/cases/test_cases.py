"""Cases: household + residents + case, life domains, organisations, timeline, obstacles, BSN."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import bsn, services
from maatwerk.cases.models import (
    Case,
    CaseLifeDomain,
    CaseNote,
    CaseOrganisation,
    Household,
    Obstacle,
    Resident,
)
from maatwerk.legal.models import BlockingRule

from ..factories import CaseFactory, ResidentFactory, user_with_role

BSN = "999000019"


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (Household, Resident, Case, CaseLifeDomain, CaseOrganisation, CaseNote, Obstacle)
    }


def _create(world, **overrides):
    kwargs = {
        "actor": world["users"][Role.WORKER],
        "team": world["team_a"],
        "neighbourhood_code": "WK036301",
        "residents": [
            {
                "first_name": "Sanne",
                "last_name": "Jansen",
                "birth_date": date(1985, 1, 2),
                "bsn": BSN,
            }
        ],
        "title": "Toeslag verrekend met schuld",
        "goal": "Weer rust in mijn hoofd.",
        "first_step": "Brief van Toeslagen samen lezen.",
        "life_domains": ["income", "debts"],
        "organisations": [
            {"organisation_type": "tax_allowances", "contact_note": "Via BelastingTelefoon"}
        ],
    }
    kwargs.update(overrides)
    return services.create_household_with_case(**kwargs)


def _new_case_post(**overrides):
    data = {
        "team": "",
        "reference": "",
        "neighbourhood_code": "WK036301",
        "title": "Huurachterstand",
        "goal": "In mijn huis blijven.",
        "first_step": "Bellen met de corporatie.",
        "life_domains": ["housing", "debts"],
        "organisations": ["housing_corporation"],
        "residents-TOTAL_FORMS": "2",
        "residents-INITIAL_FORMS": "0",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "10",
        "residents-0-first_name": "Piet",
        "residents-0-last_name": "Pietersen",
        "residents-0-birth_date": "1970-06-01",
        "residents-0-bsn": BSN,
        "residents-0-is_contact": "on",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------------


def test_create_household_with_case_stores_everything_and_audits(world):
    case = _create(world)
    assert case.household.reference.startswith("HH-")
    assert sorted(case.life_domains.values_list("domain", flat=True)) == ["debts", "income"]
    assert case.organisations.get().organisation_type == "tax_allowances"
    resident = case.household.residents.get()
    assert resident.is_contact
    assert resident.bsn_plain() == BSN
    assert resident.bsn_masked == "******019"
    assert Resident.objects.get(bsn_hash=bsn.lookup_hash(BSN)) == resident
    events = AuditEvent.objects.filter(action="create", actor=world["users"][Role.WORKER])
    assert {(e.object_type, e.object_id) for e in events} >= {
        ("cases.case", str(case.pk)),
        ("cases.household", str(case.household.pk)),
    }
    case_event = events.get(object_type="cases.case")
    assert BSN not in str(case_event.changes)
    assert case_event.changes["life_domains"]["new"] == ["income", "debts"]


def test_bsn_is_never_stored_in_plain_text(world):
    case = _create(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_resident")
        rows = cursor.fetchall()
        cursor.execute("SELECT changes, reason FROM audit_auditevent")
        audit_rows = cursor.fetchall()
    assert rows
    for value in [*rows, *audit_rows]:
        assert BSN not in str(value)
        assert BSN[:6] not in str(value)
    assert case.household.residents.get().bsn_encrypted


def test_reference_given_is_used(world):
    assert _create(world, reference="HH-EIGEN-1").household.reference == "HH-EIGEN-1"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"residents": [{"first_name": "A", "last_name": "B", "bsn": "123456789"}]}, "residents-0"),
        (
            {"residents": [{"first_name": "A", "last_name": "B", "birth_date": date(3026, 1, 1)}]},
            "residents-0",
        ),
        (
            {"residents": [{"first_name": "A", "last_name": "B", "birth_date": date(1850, 1, 1)}]},
            "residents-0",
        ),
        ({"residents": [{"first_name": "A" * 101, "last_name": "B"}]}, "residents-0"),
        ({"residents": []}, "residents"),
        ({"title": "x" * 201}, "title"),
        ({"goal": "x" * 2001}, "goal"),
        ({"life_domains": ["astrology"]}, "life_domains"),
        ({"organisations": [{"organisation_type": "mi6"}]}, "organisations"),
    ],
)
def test_bad_input_raises_and_saves_nothing(world, overrides, field):
    before = _counts()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        _create(world, **overrides)
    assert field in info.value.message_dict
    assert _counts() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR, Role.POLICY_ANALYST, Role.ADMIN])
def test_only_workers_and_leads_of_the_team_create(world, role):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _create(world, actor=world["users"][role])
    with pytest.raises(PermissionDenied):
        _create(world, team=world["team_b"])  # the worker, but another team
    assert _counts() == before


def test_add_note_and_obstacle(world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    note = services.add_note(actor=worker, case=case, text="Huisbezoek gedaan.", kind="event")
    assert note.author == worker and note.happened_on == date.today()
    rule = BlockingRule.objects.order_by("pk").first()
    obstacle = services.add_obstacle(
        actor=worker, case=case, blocking_rule=rule, effect="Geen toeslag meer."
    )
    assert obstacle.applied_by == rule.applied_by  # taken from the catalogue
    new = services.add_obstacle(
        actor=worker,
        case=case,
        description_new_rule="Energieleverancier eist borg van drie maanden.",
        applied_by="energy_supplier",
        effect="Geen contract mogelijk.",
    )
    assert new.blocking_rule is None
    assert AuditEvent.objects.filter(action="create", object_type="cases.obstacle").count() == 2
    assert AuditEvent.objects.filter(action="create", object_type="cases.casenote").count() == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"effect": "x"},  # neither rule nor description
        {"effect": "x", "description_new_rule": "y", "applied_by": "uwv", "blocking_rule": "RULE"},
        {"effect": "x" * 2001, "description_new_rule": "y", "applied_by": "uwv"},
        {"effect": "x", "description_new_rule": "y" * 2001, "applied_by": "uwv"},
        {"effect": "x", "description_new_rule": "y"},  # no organisation for a new rule
        {"effect": "", "description_new_rule": "y", "applied_by": "uwv"},
    ],
)
def test_bad_obstacles_are_refused(world, kwargs):
    if kwargs.get("blocking_rule") == "RULE":
        kwargs["blocking_rule"] = BlockingRule.objects.first()
    before = _counts()
    with pytest.raises(ValidationError):
        services.add_obstacle(actor=world["users"][Role.WORKER], case=world["case_a"], **kwargs)
    assert _counts() == before


def test_bad_notes_are_refused(world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    for kwargs in (
        {"text": "x" * 4001},
        {"text": ""},
        {"text": "x", "happened_on": date.today() + timedelta(days=400)},
        {"text": "x", "kind": "gossip"},
    ):
        with pytest.raises(ValidationError):
            services.add_note(actor=worker, case=case, **kwargs)
    assert CaseNote.objects.count() == 0


def test_database_refuses_an_obstacle_with_both_or_neither_rule(world):
    rule = BlockingRule.objects.first()
    for kwargs in ({"blocking_rule": rule, "description_new_rule": "ook"}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Obstacle.objects.create(case=world["case_a"], applied_by="uwv", effect="x", **kwargs)


def test_database_refuses_a_life_domain_twice(world):
    CaseLifeDomain.objects.create(case=world["case_a"], domain="income")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseLifeDomain.objects.create(case=world["case_a"], domain="income")


def test_other_team_cannot_write(world):
    worker, case_b = world["users"][Role.WORKER], world["case_b"]
    with pytest.raises(PermissionDenied):
        services.add_note(actor=worker, case=case_b, text="x")
    with pytest.raises(PermissionDenied):
        services.add_obstacle(
            actor=worker, case=case_b, description_new_rule="x", applied_by="uwv", effect="x"
        )
    assert CaseNote.objects.count() == Obstacle.objects.count() == 0


def test_assign_worker(world):
    lead, case = world["users"][Role.TEAM_LEAD], world["case_a"]
    colleague = user_with_role(Role.WORKER, world["team_a"])
    services.assign_worker(actor=lead, case=case, worker=colleague)
    assert colleague in case.assigned_workers.all()
    event = AuditEvent.objects.filter(action="update", object_type="cases.case").latest("id")
    assert colleague.pk in event.changes["assigned_workers"]["new"]
    outsider = user_with_role(Role.WORKER, world["team_b"])
    with pytest.raises(ValidationError):
        services.assign_worker(actor=lead, case=case, worker=outsider)


# --- pages ------------------------------------------------------------------------------------


def test_new_case_flow(client, world):
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    page = client.get(reverse("cases:new"))
    assert page.status_code == 200
    assert "<title>" in page.content.decode()
    response = client.post(reverse("cases:new"), _new_case_post(team=str(world["team_a"].pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.latest("id")
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.team == world["team_a"]
    assert set(case.life_domains.values_list("domain", flat=True)) == {"housing", "debts"}
    assert case.household.residents.get().bsn_plain() == BSN
    detail = client.get(response["Location"]).content.decode()
    assert BSN in detail  # the worker of the team sees it in full …
    assert AuditEvent.objects.filter(
        actor=worker, action="view", object_type="cases.resident", reason__contains="BSN"
    ).exists()  # … and that read is audited


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"residents-0-bsn": "123456789"}, "elfproef"),
        ({"residents-0-bsn": "12345"}, "9 cijfers"),
        ({"residents-0-birth_date": "3026-01-01"}, "toekomst"),
        ({"goal": "x" * 2001}, "2000"),
        ({"title": ""}, "verplicht"),
        (
            {
                "residents-0-first_name": "",
                "residents-0-last_name": "",
                "residents-0-bsn": "",
                "residents-0-birth_date": "",
                "residents-0-is_contact": "",
            },
            "bewoner",
        ),
    ],
)
def test_new_case_errors_are_shown_and_nothing_is_saved(client, world, overrides, message):
    client.force_login(world["users"][Role.WORKER])
    before = _counts()
    data = _new_case_post(team=str(world["team_a"].pk), **overrides)
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message.lower() in body.lower()
    assert _counts() == before
    assert "123456789" not in body or overrides.get("residents-0-bsn") == "123456789"


def test_new_case_cannot_pick_another_team(client, world):
    client.force_login(world["users"][Role.WORKER])
    before = _counts()
    response = client.post(reverse("cases:new"), _new_case_post(team=str(world["team_b"].pk)))
    assert response.status_code == 200
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR])
def test_bsn_is_masked_for_roles_that_do_not_need_it(client, world, role):
    resident = Resident.objects.get(household=world["case_a"].household)
    resident.set_bsn(BSN)
    resident.save()
    client.force_login(world["users"][role])
    body = client.get(reverse("cases:detail", args=[world["case_a"].pk])).content.decode()
    assert "******019" in body
    assert BSN not in body
    api = client.get(reverse("case-detail", args=[world["case_a"].pk])).json()
    assert api["residents"][0]["bsn"] == "******019"
    assert BSN not in str(api)


def test_bsn_in_full_via_api_for_the_teams_worker_is_audited(client, world):
    resident = Resident.objects.get(household=world["case_a"].household)
    resident.set_bsn(BSN)
    resident.save()
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    api = client.get(reverse("case-detail", args=[world["case_a"].pk])).json()
    assert api["residents"][0]["bsn"] == BSN
    assert AuditEvent.objects.filter(
        actor=worker, object_type="cases.resident", object_id=str(resident.pk), action="view"
    ).exists()


def test_bsn_not_in_logs(client, world, caplog, capsys):
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("cases:new"), _new_case_post(team=str(world["team_a"].pk)))
        case = Case.objects.latest("id")
        client.get(reverse("cases:detail", args=[case.pk]))
        client.get(reverse("case-detail", args=[case.pk]))
        client.post(
            reverse("cases:new"),
            _new_case_post(team=str(world["team_a"].pk), **{"residents-0-bsn": "999000018"}),
        )
    out = capsys.readouterr()
    logged = caplog.text + out.out + out.err
    assert BSN not in logged
    assert "999000018" not in logged


def test_detail_shows_timeline_obstacles_domains_and_organisations(client, world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    services.add_note(actor=worker, case=case, text="Eerste gesprek gevoerd.")
    services.add_obstacle(
        actor=worker,
        case=case,
        description_new_rule="Borgregel",
        applied_by="uwv",
        effect="Geen uitkering",
    )
    CaseLifeDomain.objects.create(case=case, domain="income")
    CaseOrganisation.objects.create(case=case, organisation_type="uwv", contact_note="Klantmanager")
    client.force_login(worker)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in (
        "Eerste gesprek gevoerd.",
        "Borgregel",
        "Geen uitkering",
        "Inkomen",
        "Klantmanager",
    ):
        assert text in body


def test_add_note_and_obstacle_pages(client, world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    client.force_login(worker)
    response = client.post(
        reverse("cases:add_note", args=[case.pk]),
        {"kind": "note", "happened_on": date.today().isoformat(), "text": "Gebeld."},
    )
    assert response.status_code == 302
    assert case.notes.get().text == "Gebeld."
    rule = BlockingRule.objects.order_by("pk").first()
    page = client.get(reverse("cases:add_obstacle", args=[case.pk])).content.decode()
    assert "<optgroup" in page and rule.name_nl in page
    response = client.post(
        reverse("cases:add_obstacle", args=[case.pk]),
        {"blocking_rule": str(rule.pk), "effect": "Huur niet te betalen."},
    )
    assert response.status_code == 302
    assert case.obstacles.get().blocking_rule == rule
    # both a rule and a new one: an error, nothing saved
    response = client.post(
        reverse("cases:add_obstacle", args=[case.pk]),
        {"blocking_rule": str(rule.pk), "description_new_rule": "x", "effect": "y"},
    )
    assert response.status_code == 200
    assert "niet allebei" in response.content.decode() or "not both" in response.content.decode()
    assert case.obstacles.count() == 1


def test_over_long_note_is_refused_on_the_page(client, world):
    client.force_login(world["users"][Role.WORKER])
    response = client.post(
        reverse("cases:add_note", args=[world["case_a"].pk]),
        {"kind": "note", "happened_on": date.today().isoformat(), "text": "x" * 4001},
    )
    assert response.status_code == 200
    assert "4000" in response.content.decode()
    assert CaseNote.objects.count() == 0


def test_other_teams_worker_cannot_add_note_or_obstacle(client, world):
    client.force_login(world["users"][Role.WORKER])
    case_b = world["case_b"]
    rule = BlockingRule.objects.first()
    r1 = client.post(
        reverse("cases:add_note", args=[case_b.pk]),
        {"kind": "note", "happened_on": date.today().isoformat(), "text": "x"},
    )
    r2 = client.post(
        reverse("cases:add_obstacle", args=[case_b.pk]), {"blocking_rule": rule.pk, "effect": "x"}
    )
    r3 = client.post(
        reverse("case-obstacles", args=[case_b.pk]),
        {"blocking_rule": rule.pk, "effect": "x"},
        content_type="application/json",
    )
    assert {r1.status_code, r2.status_code, r3.status_code} <= {403, 404}
    assert CaseNote.objects.count() == Obstacle.objects.count() == 0


def test_manager_reads_but_does_not_write(client, world):
    client.force_login(world["users"][Role.MANAGER])
    case = world["case_a"]
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("case-obstacles", args=[case.pk]),
        {"description_new_rule": "x", "applied_by": "uwv", "effect": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Obstacle.objects.count() == 0


def test_filters_and_my_cases(client, world):
    worker, case_a = world["users"][Role.WORKER], world["case_a"]
    other = CaseFactory(household__team=world["team_a"], title="Anders")
    CaseLifeDomain.objects.create(case=case_a, domain="debts")
    client.force_login(worker)
    body = client.get(reverse("cases:list"), {"life_domain": "debts"}).content.decode()
    assert case_a.household.reference in body and other.household.reference not in body
    body = client.get(reverse("cases:mine")).content.decode()
    assert case_a.household.reference in body and other.household.reference not in body
    body = client.get(reverse("cases:list"), {"q": other.household.reference}).content.decode()
    assert other.household.reference in body and case_a.household.reference not in body
    assert AuditEvent.objects.filter(actor=worker, action="view", object_type="cases.case").exists()


def test_team_cases_page_for_leads(client, world):
    client.force_login(world["users"][Role.TEAM_LEAD])
    body = client.get(reverse("cases:team")).content.decode()
    assert world["case_a"].household.reference in body
    assert world["case_b"].household.reference not in body
    assert str(world["users"][Role.WORKER]) in body


def test_list_pages_without_count(client, world, django_assert_max_num_queries):
    for _ in range(30):
        CaseFactory(household__team=world["team_a"])
    client.force_login(world["users"][Role.TEAM_LEAD])
    page1 = client.get(reverse("cases:list")).content.decode()
    assert "page=2" in page1
    page2 = client.get(reverse("cases:list"), {"page": 2}).content.decode()
    assert "page=1" in page2 and "page=3" not in page2
    assert client.get(reverse("cases:list"), {"page": "x"}).status_code == 200


# --- API --------------------------------------------------------------------------------------


def _api_case(team_id, **overrides):
    data = {
        "team": team_id,
        "title": "Toeslag verrekend",
        "goal": "Rust",
        "life_domains": ["income"],
        "organisations": [{"organisation_type": "tax_allowances", "contact_note": ""}],
        "residents": [{"first_name": "Sanne", "last_name": "Smit", "bsn": BSN}],
    }
    data.update(overrides)
    return data


def test_api_create_case_and_obstacle(client, world):
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    response = client.post(
        reverse("case-list"), _api_case(world["team_a"].pk), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["life_domains"] == ["income"]
    assert data["residents"][0]["bsn"] == BSN  # the team's worker
    rule = BlockingRule.objects.order_by("pk").first()
    url = reverse("case-obstacles", args=[data["id"]])
    response = client.post(
        url, {"blocking_rule": rule.pk, "effect": "Geen geld"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert client.get(url).json()[0]["blocking_rule"] == rule.pk
    detail = client.get(reverse("case-detail", args=[data["id"]])).json()
    assert detail["obstacles"][0]["effect"] == "Geen geld"


@pytest.mark.parametrize(
    "overrides",
    [
        {"residents": [{"first_name": "A", "last_name": "B", "bsn": "123456789"}]},
        {"residents": [{"first_name": "A", "last_name": "B", "birth_date": "3026-01-01"}]},
        {"residents": []},
        {"goal": "x" * 2001},
        {"life_domains": ["astrology"]},
    ],
)
def test_api_bad_case_is_refused_and_nothing_saved(client, world, overrides):
    client.force_login(world["users"][Role.WORKER])
    before = _counts()
    response = client.post(
        reverse("case-list"),
        _api_case(world["team_a"].pk, **overrides),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        "123456789" not in response.content.decode()
        or "bsn" not in overrides.get("residents", [{}])[0]
    )
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DIRECTOR])
def test_api_create_refused_for_readers_and_other_teams(client, world, role):
    before = _counts()
    client.force_login(world["users"][role])
    response = client.post(
        reverse("case-list"), _api_case(world["team_a"].pk), content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(world["users"][Role.WORKER])
    response = client.post(
        reverse("case-list"), _api_case(world["team_b"].pk), content_type="application/json"
    )
    assert response.status_code == 403
    assert _counts() == before


def test_api_schema_has_case_create_and_obstacles(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/cases/"]
    assert "post" in schema["paths"]["/api/v1/cases/{id}/obstacles/"]


def test_resident_factory_still_works(db):
    assert ResidentFactory().bsn_encrypted == ""


def test_find_by_bsn_uses_the_keyed_hash_and_respects_teams(client, world):
    from maatwerk.cases import selectors

    case = _create(world)
    worker = world["users"][Role.WORKER]
    assert [r.household_id for r in selectors.residents_by_bsn(worker, "9990 00 019")] == [
        case.household_id
    ]
    outsider = user_with_role(Role.WORKER, world["team_b"])
    assert not selectors.residents_by_bsn(outsider, BSN).exists()
    assert not selectors.residents_by_bsn(worker, "123456789").exists()
    client.force_login(worker)
    # The search box posts; the number never appears in the address it redirects to.
    response = client.post(reverse("cases:list"), {"q": BSN})
    assert response.status_code == 302
    assert BSN.replace(" ", "") not in response["Location"].replace(" ", "")
    assert "9990" not in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert case.household.reference in body
    assert world["case_a"].household.reference not in body
    # A BSN that reaches the query string anyway is not searched: the page redirects without it.
    response = client.get(reverse("cases:list"), {"q": BSN, "status": "open"})
    assert response.status_code == 302
    assert BSN not in response["Location"] and "status=open" in response["Location"]


def test_audit_of_a_new_case_does_not_repeat_its_title(world):
    worker = world["users"][Role.WORKER]
    case = services.create_household_with_case(
        actor=worker,
        team=world["team_a"],
        residents=[{"first_name": "Anna", "last_name": "Proef", "birth_date": date(1990, 1, 1)}],
        title="Familie Proef raakt huis kwijt",
    )
    event = AuditEvent.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert "title" in event.changes
    assert "Proef" not in str(event.changes)


@pytest.mark.django_db
def test_the_case_page_names_the_neighbourhood_instead_of_its_code(client):
    """The team's area map (TeamArea) names the CBS code; the page shows the name people know."""
    from maatwerk.accounts.models import TeamArea

    case = CaseFactory(household__neighbourhood_code="BU99900101")
    worker = user_with_role(Role.WORKER, case.team, username="buurt.werker")
    TeamArea.objects.create(team=case.team, code="BU99900101", name="Havenkwartier")
    client.force_login(worker)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<dd>Havenkwartier</dd>" in body
    assert "BU99900101" not in body
    # An area without a name keeps its code rather than showing nothing.
    TeamArea.objects.filter(code="BU99900101").update(name="")
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<dd>BU99900101</dd>" in body
