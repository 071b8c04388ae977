"""Issue 8 points 6, 7, 8 and 10, issue 9 point 9 (BSN in URLs): who owns a case, what waits
on the start page, the case page's next step, and finding cases on the case list."""

import ast
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from maatwerk.accounts.models import User
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services
from maatwerk.cases.models import Case, CaseNote, Household, Resident
from maatwerk.legal.models import BlockingRule

from ..factories import TeamFactory, user_with_role

BSN = "999000019"
SRC = Path(__file__).resolve().parents[2] / "src" / "maatwerk"


def _new_case(world, actor=None, *, bsn=BSN, team=None, first_name="Sanne", **extra):
    return services.create_household_with_case(
        actor=actor or world["users"][Role.WORKER],
        team=team or world["team_a"],
        residents=[{"first_name": first_name, "last_name": "Jansen", "bsn": bsn}],
        title="Toeslag verrekend met schuld",
        life_domains=["income"],
        **extra,
    )


def _new_case_form(world, title, first_name, last_name, bsn="", forms=1) -> dict:
    """What the "Nieuwe casus" form posts for one resident in the world's first team."""
    data = {
        "team": world["team_a"].pk,
        "title": title,
        "residents-TOTAL_FORMS": str(forms),
        "residents-INITIAL_FORMS": "0",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "10",
        "residents-0-first_name": first_name,
        "residents-0-last_name": last_name,
    }
    if bsn:
        data["residents-0-bsn"] = bsn
    return data


def _body(client, url, **params) -> str:
    return client.get(url, params).content.decode()


# --- point 6: case ownership ------------------------------------------------------------------


def test_the_creator_is_the_cases_worker_and_finds_it_under_my_cases(client, world):
    worker = world["users"][Role.WORKER]
    client.force_login(worker)
    response = client.post(
        reverse("cases:new"),
        _new_case_form(world, "Dreigende afsluiting energie", "Ilse", "Bakker", forms=2),
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Dreigende afsluiting energie")
    assert list(case.assigned_workers.all()) == [worker]
    assert "Dreigende afsluiting energie" in _body(client, reverse("cases:mine"))
    event = AuditEvent.objects.get(
        object_type="cases.case", object_id=str(case.pk), action="create"
    )
    assert event.changes["assigned_workers"]["new"] == [worker.pk]


def test_a_team_lead_assigns_and_reassigns_a_case_audited(client, world):
    lead, worker = world["users"][Role.TEAM_LEAD], world["users"][Role.WORKER]
    colleague = user_with_role(Role.WORKER, world["team_a"])
    case = _new_case(world, actor=lead, bsn="")
    client.force_login(lead)
    assert client.get(reverse("cases:assign", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:assign", args=[case.pk]), {"workers": [worker.pk]})
    assert response.status_code == 302
    assert list(case.assigned_workers.all()) == [worker]
    client.post(reverse("cases:assign", args=[case.pk]), {"workers": [colleague.pk]})
    assert list(case.assigned_workers.all()) == [colleague]
    events = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), reason="reassigned"
    ).order_by("id")
    assert [e.changes["assigned_workers"]["new"] for e in events] == [[worker.pk], [colleague.pk]]
    # The worker now finds it; the one it was taken from does not.
    client.force_login(colleague)
    assert case.title in _body(client, reverse("cases:mine"))


def test_only_a_team_lead_of_the_team_assigns_and_only_to_its_workers(client, world):
    lead, worker = world["users"][Role.TEAM_LEAD], world["users"][Role.WORKER]
    case = world["case_a"]
    with pytest.raises(PermissionDenied):
        services.set_workers(actor=worker, case=case, workers=[worker])
    outsider = user_with_role(Role.WORKER, world["team_b"])
    with pytest.raises(ValidationError):
        services.set_workers(actor=lead, case=case, workers=[outsider])
    with pytest.raises(ValidationError):
        services.set_workers(actor=lead, case=case, workers=[])
    client.force_login(worker)
    assert client.get(reverse("cases:assign", args=[case.pk])).status_code == 403
    client.force_login(lead)
    response = client.post(reverse("cases:assign", args=[case.pk]), {"workers": [outsider.pk]})
    assert response.status_code == 200  # the form refuses a choice it does not offer
    assert list(case.assigned_workers.all()) == [worker]


def test_a_worker_edits_the_case_and_the_audit_keeps_no_text(client, world):
    worker = world["users"][Role.WORKER]
    case = _new_case(world)
    client.force_login(worker)
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {"title": "Familie Jansen: schulden", "goal": "Rust", "life_domains": ["debts", "housing"]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Familie Jansen: schulden"
    assert sorted(case.life_domains.values_list("domain", flat=True)) == ["debts", "housing"]
    event = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).latest("id")
    assert event.changes["life_domains"]["new"] == ["debts", "housing"]
    assert "Jansen" not in str(event.changes)


def test_a_worker_closes_a_case_with_a_reason_and_reopens_it(client, world):
    worker = world["users"][Role.WORKER]
    case = _new_case(world)
    client.force_login(worker)
    url = reverse("cases:close", args=[case.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"reason": "other"})
    assert response.context["form"].errors["explanation"]
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    response = client.post(url, {"reason": "goal_reached", "explanation": "Baan behouden."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.close_reason, case.closed_on) == (
        "closed",
        "goal_reached",
        date.today(),
    )
    note = CaseNote.objects.filter(case=case).latest("id")
    assert note.kind == CaseNote.Kind.EVENT and "Baan behouden." in note.text
    closed = AuditEvent.objects.get(
        object_id=str(case.pk), object_type="cases.case", reason="closed"
    )
    assert closed.changes["close_reason"]["new"] == "goal_reached"
    assert "Baan" not in str(closed.changes)
    assert client.get(reverse("cases:reopen", args=[case.pk])).status_code == 405
    assert client.post(reverse("cases:reopen", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.close_reason, case.closed_on) == ("open", "", None)
    assert AuditEvent.objects.filter(object_id=str(case.pk), reason="reopened").exists()
    with pytest.raises(ValidationError):
        services.reopen_case(actor=worker, case=case)


def test_only_writers_of_the_team_close_a_case(world):
    case = world["case_a"]
    with pytest.raises(PermissionDenied):
        services.close_case(actor=world["users"][Role.MANAGER], case=case, reason="moved")
    with pytest.raises(PermissionDenied):
        services.close_case(
            actor=user_with_role(Role.WORKER, world["team_b"]), case=case, reason="moved"
        )
    with pytest.raises(ValidationError):
        services.close_case(actor=world["users"][Role.WORKER], case=case, reason="bored")


# --- point 7: start page in the workspace app ---------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_core_reads_no_cases_and_the_start_page_lives_in_workspace():
    for path in (SRC / "core").rglob("*.py"):
        bad = {m for m in _imports(path) if m.startswith(("maatwerk.cases", "maatwerk.plans"))}
        assert not bad, f"{path} imports {bad}"
    assert reverse("home") == "/"
    from django.urls import resolve

    assert resolve("/").func.__module__ == "maatwerk.workspace.views"
    # No app below the top layer imports the workspace.
    for path in SRC.rglob("*.py"):
        if "workspace" in path.parts or "conf" in path.parts:
            continue
        assert not any(m.startswith("maatwerk.workspace") for m in _imports(path)), path


def test_worker_start_page_has_new_case_and_her_draft_plan(client, world):
    from maatwerk.plans import services as plan_services

    worker = world["users"][Role.WORKER]
    case = _new_case(world)
    rule = BlockingRule.objects.first()
    obstacle = services.add_obstacle(actor=worker, case=case, blocking_rule=rule, effect="Vast")
    plan = plan_services.create_plan(worker, case, obstacles=[obstacle], solution="Fiets")
    client.force_login(worker)
    body = _body(client, "/")
    assert f'href="{reverse("cases:new")}"' in body and "Nieuwe casus" in body
    assert f"Conceptplan {plan.pk} afmaken" in body
    assert reverse("plans:edit", args=[plan.pk]) in body
    assert case.household.reference in body  # "recently assigned to you"


def test_team_lead_sees_unassigned_cases_and_the_caseload_per_worker(client, world):
    lead, worker = world["users"][Role.TEAM_LEAD], world["users"][Role.WORKER]
    waiting = _new_case(world, actor=lead, bsn="")
    waiting.assigned_workers.clear()  # as a registration that nobody took on yet
    client.force_login(lead)
    body = _body(client, "/")
    assert "Sociaal werker toewijzen" in body
    assert reverse("cases:assign", args=[waiting.pk]) in body
    assert "Open casussen per medewerker" in body
    caseload = client.get("/").context["start"]["caseload"]
    assert (worker, 1) in caseload and (lead, 0) in caseload
    services.set_workers(actor=lead, case=waiting, workers=[worker])
    assert reverse("cases:assign", args=[waiting.pk]) not in _body(client, "/")
    assert (worker, 2) in client.get("/").context["start"]["caseload"]


@pytest.mark.django_db(transaction=False)
def test_plans_returned_and_decisions_with_their_deadline_on_the_start_page(client):
    """With the demo data: a decider sees the step and its deadline; after a rejection the
    author sees the plan returned."""
    from maatwerk.decisions import selectors as decision_selectors
    from maatwerk.decisions import services as decision_services
    from maatwerk.decisions.models import DecisionStep

    call_command("load_demo", stdout=StringIO())
    step, decider = next(
        (step, u)
        for step in DecisionStep.objects.filter(outcome="", department__isnull=True)
        .select_related("plan__author")
        .order_by("pk")
        for u in User.objects.filter(username__in=["teamleider", "manager", "directeur"])
        if decision_selectors.is_decider(u, step)
    )
    client.force_login(decider)
    body = _body(client, "/")
    assert f"Besluiten over plan {step.plan_id}" in body and "besluit uiterlijk" in body
    decision_services.reject(decider, step.plan, reason="Eerst de toeslag aanvragen.")
    client.force_login(step.plan.author)
    body = _body(client, "/")
    assert f"Afgewezen plan {step.plan_id} herzien" in body


# --- point 8: the case page says what to do next -----------------------------------------------


def test_the_case_page_offers_the_next_step_as_a_button(client, world):
    from maatwerk.plans import services as plan_services

    worker = world["users"][Role.WORKER]
    case = _new_case(world)
    client.force_login(worker)
    url = reverse("cases:detail", args=[case.pk])

    def next_button():
        step = client.get(url).context["next_step"]
        return str(step.label), step.url

    assert next_button() == ("Knelpunt vastleggen", reverse("cases:add_obstacle", args=[case.pk]))
    obstacle = services.add_obstacle(
        actor=worker, case=case, blocking_rule=BlockingRule.objects.first(), effect="Vast"
    )
    label, target = next_button()
    assert label == "Nieuw maatwerkplan"
    assert target == reverse("plans:new", args=[case.pk]) + f"?knelpunt={obstacle.pk}"
    assert 'class="utrecht-button-link utrecht-button-link--primary-action"' in _body(client, url)
    plan = plan_services.create_plan(worker, case, obstacles=[obstacle], solution="Fiets")
    assert next_button() == ("Plan afmaken", reverse("plans:edit", args=[plan.pk]))
    services.close_case(actor=worker, case=case, reason="moved")
    assert next_button() == ("Casus heropenen", reverse("cases:reopen", args=[case.pk]))
    # Who only reads the case gets no button.
    client.force_login(world["users"][Role.MANAGER])
    assert "next_step" not in client.get(url).context


# --- point 10: finding cases --------------------------------------------------------------------


def test_search_by_resident_name_posts_and_keeps_the_name_out_of_the_url(client, world):
    worker = world["users"][Role.WORKER]
    found = _new_case(world, first_name="Yasmina", bsn="")
    client.force_login(worker)
    response = client.post(reverse("cases:list"), {"q": "yasmina jans", "status": "open"})
    assert response.status_code == 302
    assert "asmina" not in response["Location"] and "status=open" in response["Location"]
    response = client.get(response["Location"])
    body = response.content.decode()
    assert found.household.reference in body
    assert world["case_a"].household.reference not in body
    assert response.context["page"].count == 1 and "1 casus" in body
    # The token means nothing in another session: that one sees the unfiltered list.
    other = client.__class__()
    other.force_login(worker)
    url = f"{response.request['PATH_INFO']}?{response.request['QUERY_STRING']}"
    assert world["case_a"].household.reference in other.get(url).content.decode()


def test_case_list_has_worker_plan_and_deadline_columns_total_and_sorting(client, world):
    worker = world["users"][Role.WORKER]
    second = _new_case(world, bsn="")
    client.force_login(worker)
    response = client.get(reverse("cases:list"), {"sort": "household"})
    body = response.content.decode()
    for header in ("Sociaal werker", "Maatwerkplan", "Besluit uiterlijk", "2 casussen"):
        assert header in body
    refs = [c.household.reference for c in response.context["cases"]]
    assert refs == sorted(refs)
    assert str(worker) in body
    newest = client.get(reverse("cases:list"), {"sort": "newest"}).context["cases"]
    assert newest[0] == second or newest[0].opened_on >= second.opened_on
    assert client.get(reverse("cases:list"), {"sort": "deadline"}).status_code == 200


def test_page_numbers_out_of_range_show_the_last_page(client, world):
    client.force_login(world["users"][Role.WORKER])
    for page in ("400000000000000000", "9" * 5000, "-3", "x"):
        response = client.get(reverse("cases:list"), {"page": page})
        assert response.status_code == 200
        assert response.context["page"].number == 1


def test_a_known_bsn_in_the_own_team_shows_the_open_case(client, world):
    worker = world["users"][Role.WORKER]
    first = _new_case(world)
    households = Household.objects.count()
    with pytest.raises(services.OpenCaseExists):
        _new_case(world)
    assert Household.objects.count() == households
    client.force_login(worker)
    response = client.post(
        reverse("cases:new"),
        _new_case_form(world, "Tweede aanmelding", "Sanne", "Jansen", bsn=BSN),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[first.pk])
    assert Household.objects.count() == households


def test_a_known_bsn_with_only_closed_cases_joins_the_household(world):
    worker = world["users"][Role.WORKER]
    first = _new_case(world)
    services.close_case(actor=worker, case=first, reason="goal_reached")
    second = _new_case(world)
    assert second.household_id == first.household_id
    assert second.joined_existing_household
    assert Resident.objects.filter(household=first.household).count() == 1


def test_a_known_bsn_elsewhere_tells_only_which_team_to_contact(client, world):
    other_org_team = world["team_b"]
    outsider = user_with_role(Role.WORKER, other_org_team)
    theirs = _new_case(world, actor=outsider, team=other_org_team, first_name="Geheimnaam2")
    worker = world["users"][Role.WORKER]
    households = Household.objects.count()
    client.force_login(worker)
    response = client.post(
        reverse("cases:new"),
        _new_case_form(world, "Aanmelding", "Sanne", "Jansen", bsn=BSN),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "elders al bekend" in body and other_org_team.name in body
    assert theirs.household.reference not in body and "Geheimnaam2" not in body
    assert theirs.title not in body
    assert Household.objects.count() == households
    event = AuditEvent.objects.filter(actor=worker, reason="BSN lookup for a new case").get()
    assert (event.object_type, event.object_id) == ("cases.household", str(theirs.household_id))
    assert event.changes["known_in"]["new"] == "other team"
    assert BSN not in str(event.changes)


def test_a_known_bsn_in_another_team_of_the_same_organisation_is_also_elsewhere(world):
    sister = TeamFactory(organisation=world["team_a"].organisation)
    colleague = user_with_role(Role.WORKER, sister)
    _new_case(world, actor=colleague, team=sister)
    with pytest.raises(services.KnownElsewhere) as caught:
        _new_case(world)
    assert caught.value.known.team_name == sister.name and not caught.value.known.own_team
