"""Plans: the worker's flow through pages and API, the refusals, and need-to-know."""

import contextlib
import io
import zlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Obstacle
from maatwerk.costs.models import CostItem
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services
from maatwerk.plans.models import CalculationSnapshot, Plan, PlanProvision, ScenarioLine

from ..factories import CaseFactory, ResidentFactory, user_with_role
from ..plan_helpers import configure_mandates
from ..problems import field_errors, problem

BSN = "111222333"  # passes the eleven-test


@pytest.fixture
def rule(db):
    return BlockingRule.objects.get(code="TOESLAG-VERREKEND")


def _obstacle(case, rule):
    return Obstacle.objects.create(
        case=case,
        blocking_rule=rule,
        applied_by="tax_allowances",
        effect="Kinderopvangtoeslag verrekend; zij moet stoppen met werken.",
    )


@pytest.fixture
def obstacle(world, rule):
    return _obstacle(world["case_a"], rule)


@pytest.fixture
def worker(world, client):
    configure_mandates(world["team_a"].organisation)
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


def _new_plan_data(obstacle, **overrides):
    return {
        "obstacles": [obstacle.pk],
        "solution": "Kinderopvang een jaar betalen zodat zij haar baan houdt.",
        "solution_kind": "payment_of_cost",
        "by_whom": "Wijkteam",
        "when": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "amount_requested": "6500",
        "form": "payment",
        "payee": "Kinderopvang De Zon",
        **overrides,
    }


def _formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _edit_data(plan, *, provisions, standard, tailored, **overrides):
    data = {
        "sol-solution": plan.solution,
        "sol-solution_kind": plan.solution_kind,
        "sol-by_whom": plan.by_whom,
        "sol-when": plan.when.isoformat() if plan.when else "",
        "sol-amount_requested": str(plan.amount_requested or "").replace(".", ","),  # as typed
        "sol-form": plan.form,
        "sol-payee": plan.payee,
        "inv-resident_words": "Dan kan ik blijven werken en hou ik mijn huis.",
        "inv-agreement": "yes",
        "inv-agreement_date": timezone.localdate().isoformat(),
        "inv-agreement_how": "in_person",
        "terms-horizon_months": "12",
        "terms-discount_rate": "0",
        "terms-price_year": str(timezone.localdate().year),
        **_formset("prov", provisions),
        **_formset("standard", standard),
        **_formset("tailored", tailored),
    }
    data.update(overrides)
    return data


LINE = {"quantity": "1", "start_month": "0", "probability": "100"}


def _benefit_line():
    item = CostItem.objects.get(code="PW-NORM-1P")
    return {**LINE, "item": str(item.pk), "amount": "1000", "duration_months": "12"}


def _childcare_line():
    return {
        **LINE,
        "label": "Kinderopvang betalen",
        "amount": "6500",
        "unit": "per_event",
        "bearer": "municipality",
        "cost_type": "fiscal",
    }


def _complete_plan(client, plan):
    suggested = services_suggested(plan)
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        _edit_data(
            plan,
            provisions=[{"provision": str(suggested[0].pk), "explanation": "Ruimte voor maatwerk"}],
            standard=[_benefit_line()],
            tailored=[_childcare_line()],
            **{"sol-solution_kind": "payment_of_cost"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def services_suggested(plan):
    from maatwerk.plans.selectors import suggested_provisions

    return suggested_provisions(plan)


def test_whole_flow_through_the_pages(client, world, obstacle, worker, rule):
    resident = world["case_a"].household.residents.first()
    resident.set_bsn(BSN)
    resident.save()

    # Create the plan for the obstacle.
    assert client.get(reverse("plans:new", args=[world["case_a"].pk])).status_code == 200
    response = client.post(
        reverse("plans:new", args=[world["case_a"].pk]), _new_plan_data(obstacle)
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:edit", args=[plan.pk]
    )
    assert list(plan.obstacles.all()) == [obstacle]
    assert plan.status == Plan.Status.DRAFT

    # The edit page proposes the rule's escape provisions first, in the rule's order.
    response = client.get(reverse("plans:edit", args=[plan.pk]))
    assert response.status_code == 200
    codes = [p.code for p in response.context["suggested"]]
    assert codes == ["TOESLAG-VERREKENING", "AWIR-HARDHEID", "PW-35"]
    initial = [f.initial.get("provision") for f in response.context["provisions"]]
    assert [p.code for p in initial if p] == codes

    # Triangle incomplete before anything is filled in.
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.context["triangle_complete"] is False
    assert "onvolledig" in response.content.decode()

    # Legitimacy, involvement (the agreement) and both scenarios in one save.
    _complete_plan(client, plan)
    plan.refresh_from_db()
    assert plan.agreement == "yes" and plan.agreement_how == "in_person"
    assert PlanProvision.objects.filter(plan=plan).count() == 1
    assert ScenarioLine.objects.filter(plan=plan).count() == 2

    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.context["triangle_complete"] is True
    assert response.context["outcome"].result.net_benefit == Decimal("5500.00")
    assert "€\u00a05.500,00" in response.content.decode()

    # Submit: the snapshot keeps the result and the catalogue versions used.
    response = client.post(reverse("decisions:submit", args=[plan.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED and plan.submitted_by == worker
    snapshot = CalculationSnapshot.objects.get(plan=plan)
    assert snapshot.result["net_benefit"] == "5500.00"
    assert snapshot.engine_version.startswith("engine-")
    version = CostItem.objects.get(code="PW-NORM-1P").versions.order_by("-price_date").first()
    assert [v.pk for v in snapshot.versions.all()] == [version.pk]
    assert ScenarioLine.objects.get(plan=plan, scenario="standard").version_id == version.pk
    assert AuditEvent.objects.filter(
        object_type="plans.plan", object_id=str(plan.pk), reason="submitted"
    ).exists()
    # A submitted plan is frozen.
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 302

    # The plan document, as HTML and PDF, without the BSN; the PDF is an audited export.
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "Kinderopvang" in html and BSN not in html and "111 222 333" not in html
    response = client.get(reverse("plans:document_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        actor=worker, action="export", object_type="plans.plan", object_id=str(plan.pk)
    ).exists()
    text = _pdf_text(pdf)
    assert "5.500,00" in text
    assert BSN not in text.replace(" ", "").replace(".", "")
    assert BSN.encode() not in pdf and BSN.encode() not in _inflate_streams(pdf)


def _pdf_text(pdf: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _inflate_streams(pdf: bytes) -> bytes:
    """Every Flate stream of the PDF, decompressed (WeasyPrint compresses its content)."""
    out = []
    start = 0
    while (i := pdf.find(b"stream", start)) != -1:
        begin = i + len(b"stream")
        begin += 2 if pdf[begin : begin + 2] == b"\r\n" else 1
        end = pdf.find(b"endstream", begin)
        if end == -1:
            break
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(pdf[begin:end]))
        start = end
    return b"".join(out)


def test_missing_corner_blocks_submit_on_the_page(client, world, obstacle, worker):
    plan = services.create_plan(worker, world["case_a"], [obstacle], solution="Iets")
    response = client.post(reverse("decisions:submit", args=[plan.pk]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan nog niet worden ingediend" in body
    assert "Wettelijke grond" in body and "Betrokkenheid" in body
    assert "Kies ten minste één wetsartikel uit de regelbank." in body
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not CalculationSnapshot.objects.exists()


def test_missing_corner_blocks_submit_in_the_api(client, world, obstacle, worker):
    plan = services.create_plan(
        worker, world["case_a"], [obstacle], solution="Iets", solution_kind="other"
    )
    services.record_agreement(
        worker,
        plan,
        resident_words="Goed plan",
        agreement="yes",
        agreement_date=date(2026, 1, 5),
        agreement_how="by_phone",
    )
    response = client.post(reverse("plan-submit", args=[plan.pk]))
    problem(response, 400, "plans.incomplete")
    body = field_errors(response)
    assert set(body) == {"legitimacy", "return"}
    assert "Voeg ten minste één regel toe aan de standaardroute." in body["return"]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_api_flow_create_complete_and_submit(client, world, obstacle, worker):
    provision = services_suggested_for_rule(obstacle)
    payload = {
        "case": world["case_a"].pk,
        "obstacles": [obstacle.pk],
        "solution": "Kinderopvang betalen",
        "solution_kind": "payment_of_cost",
        "amount_requested": "6500.00",
        "resident_words": "Dan kan ik blijven werken.",
        "agreement": "yes",
        "agreement_date": timezone.localdate().isoformat(),
        "agreement_how": "in_writing",
        "provisions": [{"provision": provision.pk, "explanation": "Hardheidsclausule"}],
        "horizon_months": 12,
        "discount_rate": "0",
        "standard": [
            {
                "label": "Bijstand",
                "amount": "1000.00",
                "unit": "per_month",
                "bearer": "municipality",
                "cost_type": "transfer",
                "duration_months": 12,
            }
        ],
        "tailored": [
            {
                "label": "Kinderopvang",
                "amount": "6500.00",
                "unit": "per_event",
                "bearer": "municipality",
                "cost_type": "fiscal",
            }
        ],
    }
    response = client.post(reverse("plan-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["triangle"]["complete"] is True
    assert data["calculation"]["net_benefit"] == "5500.00"
    response = client.post(reverse("plan-submit", args=[data["id"]]))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["snapshot"]["result"]["net_benefit"] == "5500.00"
    # The answer names who decides and by when: the team's manager.
    decision = response.json()["decision"]
    manager = world["users"][Role.MANAGER]
    assert decision["role"] == "manager" and decision["deadline"]
    assert decision["deciders"] == [{"name": manager.get_full_name()}]
    # Submitted: further changes are refused, with a machine-readable body.
    response = client.patch(
        reverse("plan-detail", args=[data["id"]]),
        {"payee": "Iemand anders"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Plan.objects.get(pk=data["id"]).payee == ""


def services_suggested_for_rule(obstacle):
    from maatwerk.legal.selectors import escape_provisions_for

    return escape_provisions_for(obstacle.blocking_rule)[1]


def test_negative_amount_is_refused_and_nothing_saved(client, world, obstacle, worker):
    url = reverse("plans:new", args=[world["case_a"].pk])
    response = client.post(url, _new_plan_data(obstacle, amount_requested="-1"))
    assert response.status_code == 400
    assert "mag niet negatief zijn" in response.content.decode() or "groter dan of gelijk" in (
        response.content.decode()
    )
    assert not Plan.objects.exists()

    response = client.post(
        reverse("plan-list"),
        {
            "case": world["case_a"].pk,
            "obstacles": [obstacle.pk],
            "solution": "x",
            "amount_requested": "-5",
        },
        content_type="application/json",
    )
    assert "amount_requested" in field_errors(response)
    assert not Plan.objects.exists()

    plan = services.create_plan(worker, world["case_a"], [obstacle], solution="Iets")
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        _edit_data(
            plan,
            provisions=[],
            standard=[{**_childcare_line(), "amount": "-3"}],
            tailored=[],
            **{"sol-amount_requested": "-10"},
        ),
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.amount_requested is None and plan.resident_words == ""
    assert not ScenarioLine.objects.exists() and AuditEvent.objects.count() == events
    with pytest.raises(Exception, match="negati"):
        services.update_solution(worker, plan, amount_requested=Decimal("-1"))


def test_date_in_the_far_future_is_refused(client, world, obstacle, worker):
    far = (timezone.localdate() + timedelta(days=3 * 365)).isoformat()
    url = reverse("plans:new", args=[world["case_a"].pk])
    response = client.post(url, _new_plan_data(obstacle, when=far))
    assert response.status_code == 400
    assert "te ver in de toekomst" in response.content.decode()
    assert not Plan.objects.exists()
    response = client.post(
        reverse("plan-list"),
        {"case": world["case_a"].pk, "obstacles": [obstacle.pk], "solution": "x", "when": far},
        content_type="application/json",
    )
    assert "when" in field_errors(response)
    assert not Plan.objects.exists()


def test_other_teams_plan_is_not_found_and_stays_unchanged(client, world, rule, worker):
    other_worker = user_with_role(Role.WORKER, world["team_b"])
    obstacle_b = _obstacle(world["case_b"], rule)
    plan = services.create_plan(other_worker, world["case_b"], [obstacle_b], solution="Geheim")
    for name in ("detail", "edit", "document", "document_pdf"):
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 404, name
    assert client.post(reverse("decisions:submit", args=[plan.pk])).status_code == 404
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        _edit_data(plan, provisions=[], standard=[], tailored=[], **{"sol-solution": "Anders"}),
    )
    assert response.status_code == 404
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404
    response = client.patch(
        reverse("plan-detail", args=[plan.pk]), {"solution": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.post(reverse("plan-submit", args=[plan.pk])).status_code == 404
    assert plan.pk not in [p["id"] for p in client.get(reverse("plan-list")).json()["results"]]
    # A plan for another team's case cannot be made either.
    response = client.post(
        reverse("plan-list"),
        {"case": world["case_b"].pk, "obstacles": [obstacle_b.pk], "solution": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.solution == "Geheim" and plan.status == Plan.Status.DRAFT
    assert Plan.objects.count() == 1
    assert client.get(reverse("plans:new", args=[world["case_b"].pk])).status_code == 404


def test_services_refuse_writers_outside_the_team(world, obstacle):
    from django.core.exceptions import PermissionDenied

    outsider = user_with_role(Role.WORKER, world["team_b"])
    with pytest.raises(PermissionDenied):
        services.create_plan(outsider, world["case_a"], [obstacle], solution="x")
    analyst = world["users"][Role.POLICY_ANALYST]
    with pytest.raises(PermissionDenied):
        services.create_plan(analyst, world["case_a"], [obstacle], solution="x")
    assert not Plan.objects.exists()


def test_the_retired_to_decide_page_sends_to_the_decisions_inbox(client, world):
    client.force_login(world["users"][Role.TEAM_LEAD])
    response = client.get("/plannen/te-besluiten/")
    assert response.status_code == 301
    assert response["Location"] == reverse("decisions:inbox")


def test_reading_a_plan_is_audited(client, world, obstacle, worker):
    plan = services.create_plan(worker, world["case_a"], [obstacle], solution="Iets")
    before = AuditEvent.objects.filter(actor=worker, action="view").count()
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    event = AuditEvent.objects.filter(actor=worker, action="view").latest("id")
    assert AuditEvent.objects.filter(actor=worker, action="view").count() == before + 1
    assert (event.object_type, event.object_id) == ("plans.plan", str(plan.pk))


def _grow(world, rule, worker, n):
    for _ in range(n):
        case = CaseFactory(household__team=world["team_a"])
        ResidentFactory(household=case.household)
        o = _obstacle(case, rule)
        services.create_plan(worker, case, [o], solution="Ander plan")


@pytest.mark.parametrize("name", ["plans:detail", "plans:edit", "plans:document", "plan-detail"])
def test_plan_pages_query_count_does_not_grow(client, world, obstacle, worker, rule, name):
    plan = services.create_plan(worker, world["case_a"], [obstacle], solution="Iets")
    _complete_plan(client, plan)
    url = reverse(name, args=[plan.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    _grow(world, rule, worker, 30)
    large = count()
    assert small == large, f"{name}: {small} then {large} queries"
    assert large <= 40, f"{name}: {large} queries"


def test_audit_records_that_free_text_changed_not_what_it_says(world, obstacle, worker):
    plan = services.create_plan(worker, world["case_a"], [obstacle], solution="Eerste tekst")
    services.update_solution(worker, plan, solution="Mevrouw Geheimnaam krijgt opvang")
    services.record_agreement(worker, plan, resident_words="Ik wil werken, zegt Geheimnaam")
    changes = [e.changes for e in AuditEvent.objects.filter(object_type="plans.plan")]
    assert {"solution", "resident_words"} <= {k for c in changes for k in c}
    assert "Geheimnaam" not in str(changes)
