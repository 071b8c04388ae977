"""An example's cost lines (issue 16, point 4): kept as structure when proposed, shown,
exchanged, and copied with the provisions into a draft plan together with the worker's unsaved
edits ("Structuur overnemen")."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.costs.models import CostItem
from maatwerk.decisions import services as decisions
from maatwerk.demo.plans import complete_plan
from maatwerk.legal.models import BlockingRule
from maatwerk.library import exchange, selectors, services, structure
from maatwerk.library.models import Example, ExampleCostLine

from ..factories import CaseFactory, user_with_role
from ..plans.test_plan_lifecycle import submit
from .world import BSN, household_known, other_org_worker


def decided(org, case=None, **variant):
    case = case or org["case"]
    household_known(case)
    plan = submit(org["worker"], complete_plan(org["worker"], case, "2000", **variant))
    decisions.approve(org["users"][Role.TEAM_LEAD], plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    return plan


def approved_example(org, plan=None) -> Example:
    plan = plan or decided(org, tailored_label="Opvang voor Fatima El Amrani, 06-12345678")
    example = services.propose_example(plan, org["worker"], "Opvang betaald", "Verhaal.", "")
    example = services.submit_example(example, org["worker"])
    return services.approve_example(example, org["users"][Role.TEAM_LEAD])


def draft_plan(org, rule):
    case = CaseFactory(household__team=org["team"], team=org["team"])
    case_services.add_obstacle(
        actor=org["worker"], case=case, blocking_rule=rule, applied_by="municipality",
        effect="Loopt vast.",
    )  # fmt: skip
    from maatwerk.plans import services as plan_services

    return plan_services.create_plan(
        org["worker"], case, list(case.obstacles.all()), solution="Nog uitwerken."
    )


def test_propose_keeps_the_lines_as_structure_only(org):
    plan = decided(org, tailored_label="Opvang voor Fatima El Amrani, 06-12345678")
    example = services.propose_example(plan, org["worker"], "Opvang", "Verhaal.", "")
    lines = list(example.cost_lines.order_by("scenario", "position"))
    standard = [x for x in lines if x.scenario == "standard"]
    tailored = [x for x in lines if x.scenario == "tailored"]
    assert len(standard) == plan.lines.filter(scenario="standard").count() > 0
    # A shared catalogue item by reference: no amount of its own, the plan's own description.
    plan_labels = list(
        plan.lines.filter(scenario="standard").order_by("position").values_list("label", flat=True)
    )
    for line, plan_label in zip(standard, plan_labels, strict=True):
        assert line.cost_item is not None and line.cost_item.organisation_id is None
        assert line.amount is None and line.label == plan_label != line.cost_item.name_nl
    # A free line: its amount rounded to €100, its description de-identified.
    (free,) = tailored
    assert free.cost_item is None and free.amount == D(2000) and free.amount % 100 == 0
    assert "Fatima" not in free.label and "Amrani" not in free.label
    assert "12345678" not in free.label and "[naam]" in free.label


def test_a_plan_gives_one_open_example(org):
    plan = decided(org)
    first = services.propose_example(plan, org["worker"], "Opvang", "Verhaal.", "")
    with pytest.raises(ValidationError) as refused:
        services.propose_example(plan, org["worker"], "Nog eens", "Verhaal.", "")
    assert refused.value.code == "already_proposed"
    assert Example.objects.filter(source_plan=plan).count() == 1
    services.withdraw_example(first, org["worker"])
    assert services.propose_example(plan, org["worker"], "Opnieuw", "Verhaal.", "").pk


def test_the_propose_page_points_at_the_open_example(org, client):
    plan = decided(org)
    example = services.propose_example(plan, org["worker"], "Opvang", "Verhaal.", "")
    client.force_login(org["worker"])
    response = client.get(reverse("library:propose", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[example.pk])
    response = client.post(
        reverse("library:propose", args=[plan.pk]), {"title": "Twee", "story": "Verhaal."}
    )
    assert response.status_code == 400
    assert "Er is al een voorbeeld van dit plan" in response.content.decode()
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="one-example"' in html and 'id="propose-example"' not in html


def test_export_and_import_carry_the_lines(org):
    example = approved_example(org)
    exported = services.export_examples(org["users"][Role.ADMIN])
    document = json.loads(exported)
    (item,) = document["examples"]
    assert len(item["cost_lines"]) == example.cost_lines.count()
    catalogue = [x for x in item["cost_lines"] if x["cost_item"]]
    assert catalogue and all(x["amount"] is None for x in catalogue)
    assert "Fatima" not in exported and BSN not in exported
    other = other_org_worker()
    importer = user_with_role(Role.PRIVACY_OFFICER, other.memberships.get().team)
    (imported,) = services.import_examples(importer, exported.encode())
    got = [
        (x.scenario, x.cost_item_id, x.amount, x.quantity, x.duration_months)
        for x in imported.cost_lines.order_by("scenario", "position")
    ]
    want = [
        (x.scenario, x.cost_item_id, x.amount, x.quantity, x.duration_months)
        for x in example.cost_lines.order_by("scenario", "position")
    ]
    assert got == want
    # An older file without lines still imports; a line breaking the schema is refused.
    del item["cost_lines"]
    assert services.import_examples(importer, json.dumps(document))[0].cost_lines.count() == 0
    item["cost_lines"] = [{"route": "sideways"}]
    with pytest.raises(ValidationError):
        services.import_examples(importer, json.dumps(document))


def test_import_refuses_personal_data_in_a_line(org):
    document = {
        "format": exchange.FORMAT, "version": 1, "source": "Elders",
        "exported_at": "2026-11-01T10:00:00+00:00",
        "examples": [{
            "title": "Opvang", "story": "Verhaal.", "lessons": "", "blocking_rule": None,
            "provisions": [], "life_domains": [], "organisations_involved": [],
            "solution_kind": "", "standard_total": None, "tailored_total": None,
            "decision_level": "", "outcome": "",
            "cost_lines": [{
                "route": "tailored", "cost_item": None, "kind": "cost",
                "label": "Opvang, ref 123456782", "amount": "1234.00", "unit": "per_event",
                "bearer": "municipality", "cost_type": "fiscal", "quantity": "1",
                "start_month": 0, "duration_months": None, "probability": "1",
            }],
        }],
    }  # fmt: skip
    exchange.validate(document)
    (imported,) = services.import_examples(org["users"][Role.ADMIN], json.dumps(document))
    (line,) = imported.cost_lines.all()
    assert "123456782" not in line.label and line.amount == D(1200)


def test_the_example_page_shows_the_lines(org, client):
    example = approved_example(org)
    client.force_login(other_org_worker())
    html = client.get(reverse("library:detail", args=[example.pk])).content.decode()
    assert 'id="cost-lines"' in html
    line = example.cost_lines.filter(cost_item__isnull=False).first()
    # The plan's own description of the line first, the catalogue's name beneath it.
    assert line.label and line.label != line.cost_item.name_nl
    row = html.split(f"{line.label}<br>", 1)[1].split("</th>", 1)[0]
    assert f"catalogus: {line.cost_item.name_nl}" in row
    assert "prijs uit de catalogus" in html
    assert "Standaardroute, afgerond op € 100" in html


def test_copy_saves_the_unsaved_edits_with_the_structure(org):
    example = approved_example(org)
    plan = draft_plan(org, example.blocking_rule)
    done = structure.copy_structure(
        org["worker"], example, plan, solution={"solution": "Opvang drie maanden betalen."}
    )
    plan.refresh_from_db()
    assert plan.solution == "Opvang drie maanden betalen."
    assert done.lines == plan.lines.count() == example.cost_lines.count()
    assert set(plan.plan_provisions.values_list("provision_id", flat=True)) == set(
        example.provisions.values_list("pk", flat=True)
    )
    copied = plan.lines.get(scenario="tailored")
    assert copied.cost_item is None and copied.amount == D(2000)
    event = AuditEvent.objects.get(reason="structure copied", object_id=str(plan.pk))
    assert event.changes["lines_added"] == done.lines
    # A line the worker changed stays theirs; copying again adds no second one.
    again = structure.copy_structure(org["worker"], example, plan)
    assert again.lines == 0 and again.lines_present == done.lines
    assert plan.lines.count() == done.lines


def test_after_the_copy_the_page_opens_at_the_message_naming_what_was_added(org, client):
    """Issue 16: the redirect goes to the messages (which take the focus), not to a part of the
    form further down with the message out of sight; the message names the new provisions and
    lines and the parts they are in."""
    example = approved_example(org)
    plan = draft_plan(org, example.blocking_rule)
    client.force_login(org["worker"])
    url = reverse("library:copy_structure", args=[plan.pk])
    response = client.post(url, {"example": str(example.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:edit", args=[plan.pk]) + "#messages"
    html = client.get(response["Location"]).content.decode()
    message = html.split('id="messages"', 1)[1].split("<h1", 1)[0]
    assert 'tabindex="-1"' in html.split('id="messages"', 1)[1][:40]
    assert "Nieuw in deel 2, wettelijke grond:" in message
    for provision in example.provisions.all():
        assert str(provision) in message
    assert "Nieuw in deel 4, de twee routes:" in message
    for line in example.cost_lines.all():
        name = line.label or line.cost_item.name_nl
        route = "standaardroute" if line.scenario == "standard" else "maatwerkroute"
        assert f"{name} ({route})" in message
    # An example that is not (any more) in the library: said at the same place.
    response = client.post(url, {"example": "999999"})
    assert response["Location"].endswith("#messages")


def test_copy_is_refused_whole_when_the_plan_is_refused(org):
    example = approved_example(org)
    plan = draft_plan(org, example.blocking_rule)
    with pytest.raises(ValidationError):
        structure.copy_structure(org["worker"], example, plan, solution={"solution": ""})
    plan.refresh_from_db()
    assert plan.solution == "Nog uitwerken." and not plan.lines.exists()
    assert not plan.plan_provisions.exists()


def test_the_plan_form_posts_its_edits_with_the_copy(org, client):
    example = approved_example(org)
    plan = draft_plan(org, example.blocking_rule)
    client.force_login(org["worker"])
    html = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert 'form="plan-form"' in html and 'id="plan-form"' in html
    # The form as the page sends it, with a changed solution (the worker's unsaved edit).
    data = {
        "sol-solution": "Opvang drie maanden betalen.", "inv-agreement": "unknown",
        "terms-horizon_months": "12", "terms-discount_rate": "2,25",
        "prov-TOTAL_FORMS": "0", "prov-INITIAL_FORMS": "0",
        "standard-TOTAL_FORMS": "0", "standard-INITIAL_FORMS": "0",
        "tailored-TOTAL_FORMS": "0", "tailored-INITIAL_FORMS": "0",
        "example": str(example.pk),
    }  # fmt: skip
    url = reverse("library:copy_structure", args=[plan.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.solution == "Opvang drie maanden betalen."
    assert plan.lines.count() == example.cost_lines.count()
    assert "Overgenomen in het plan" in response.content.decode()
    # Copying again (the page now holds the copied rows; here the bare POST) adds nothing.
    response = client.post(url, {"example": str(example.pk)}, follow=True)
    assert "stonden al in het plan" in response.content.decode()
    assert plan.lines.count() == example.cost_lines.count()
    # A form with an error saves and copies nothing, and comes back with what was typed.
    bad = {**data, "sol-solution": "Iets anders", "terms-horizon_months": "nul"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "Iets anders" in response.content.decode()
    plan.refresh_from_db()
    assert plan.solution == "Opvang drie maanden betalen."


def test_a_line_of_an_item_the_organisation_retired_is_not_copied(org):
    example = approved_example(org)
    plan = draft_plan(org, example.blocking_rule)
    line = example.cost_lines.filter(cost_item__isnull=False).first()
    CostItem.objects.filter(pk=line.cost_item_id).update(retired_at="2026-01-01T00:00:00Z")
    done = structure.copy_structure(org["worker"], example, plan)
    assert done.lines_unavailable >= 1
    assert not plan.lines.filter(cost_item_id=line.cost_item_id).exists()


def test_the_new_plan_form_suggests_examples(org, client):
    example = approved_example(org)
    case = CaseFactory(household__team=org["team"], team=org["team"])
    case_services.add_obstacle(
        actor=org["worker"], case=case, blocking_rule=example.blocking_rule,
        applied_by="municipality", effect="Loopt vast.",
    )  # fmt: skip
    client.force_login(org["worker"])
    html = client.get(reverse("plans:new", args=[case.pk])).content.decode()
    assert "Goede voorbeelden voor deze situatie" in html and example.title in html
    assert 'id="copy-after-create"' in html and "copy_structure" not in html


def test_selectors_count_the_lines_once(org, django_assert_max_num_queries):
    example = approved_example(org)
    with django_assert_max_num_queries(1):
        routes = selectors.cost_routes(example)
    assert sum(len(rows) for _key, rows in routes) == ExampleCostLine.objects.count()
    assert BlockingRule.objects.exists()
