"""The plan form (issue 11.2): five parts, a live result, add/remove line buttons that keep
what was typed, "Recalculate" without saving, and the calculator's "Make a plan of this"."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases.models import Obstacle
from maatwerk.costs.calculations import FOR_PLAN_SESSION_KEY
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services
from maatwerk.plans.models import Plan

from ..formpost import forms_in
from ..plan_helpers import configure_mandates

OWN_LINE = {
    "kind": "cost", "label": "Kinderopvang betalen", "amount": "6500", "unit": "per_case",
    "bearer": "municipality", "cost_type": "fiscal", "quantity": "1", "start_month": "0",
    "duration_months": "", "probability": "100",
}  # fmt: skip
BENEFIT = {**OWN_LINE, "label": "Bijstand", "amount": "1400", "unit": "per_month",
           "duration_months": "12", "cost_type": "transfer"}  # fmt: skip


@pytest.fixture
def worker(world, client):
    configure_mandates(world["team_a"].organisation)
    user = world["users"][Role.WORKER]
    client.force_login(user)
    return user


def _obstacle(case):
    return Obstacle.objects.create(
        case=case,
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        applied_by="tax_allowances",
        effect="Toeslag verrekend.",
    )


@pytest.fixture
def plan(world, worker):
    return services.create_plan(
        worker, world["case_a"], [_obstacle(world["case_a"])], solution="Opvang betalen."
    )


def _page_form(client, plan):
    page = client.get(reverse("plans:edit", args=[plan.pk]))
    assert page.status_code == 200
    return next(f for f in forms_in(page.content.decode()) if "data-live-triangle" in f.attrs)


def _post(client, plan, pairs, **extra):
    """Post the edit form as the browser would: the page's fields with some values changed."""
    data = dict(pairs)
    data.update(extra)
    return client.post(
        reverse("plans:edit", args=[plan.pk]),
        urlencode(list(data.items())),
        content_type="application/x-www-form-urlencoded",
    )


def _with_lines(pairs, scenario, rows):
    data = dict(pairs)
    for key in [k for k in data if k.startswith(f"{scenario}-") and k[len(scenario) + 1].isdigit()]:
        del data[key]
    data[f"{scenario}-TOTAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        data.update({f"{scenario}-{i}-{k}": v for k, v in row.items()})
    return data


def test_the_form_has_five_numbered_parts_with_a_section_list(client, plan):
    html = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    for anchor in ("solution", "legitimacy", "involvement", "return", "result"):
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    assert "Regel toevoegen" in html
    assert "Bereken opnieuw" in html
    assert "Sla op voor een nieuwe lege regel" not in html


def test_add_line_returns_the_form_with_one_more_empty_line_and_nothing_lost(client, plan):
    form = _page_form(client, plan)
    data = _with_lines(form.data(), "tailored", [OWN_LINE])
    data["inv-resident_words"] = "Dan kan ik blijven werken."
    response = _post(client, plan, data, add_line="tailored:free")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="tailored-TOTAL_FORMS" value="2"' in html
    assert 'id="id_tailored-1-label"' in html
    assert "Dan kan ik blijven werken." in html
    assert 'value="Kinderopvang betalen"' in html
    plan.refresh_from_db()
    assert plan.resident_words == "" and not plan.lines.exists()  # nothing saved


def test_remove_line_takes_out_that_line_only(client, plan):
    form = _page_form(client, plan)
    data = _with_lines(form.data(), "standard", [BENEFIT, {**BENEFIT, "label": "Huurschuld"}])
    response = _post(client, plan, data, remove_line="standard:0")
    html = response.content.decode()
    assert 'name="standard-TOTAL_FORMS" value="1"' in html
    assert 'value="Huurschuld"' in html and 'value="Bijstand"' not in html
    assert not plan.lines.exists()


def test_recalculate_shows_the_result_without_saving(client, plan):
    form = _page_form(client, plan)
    data = _with_lines(form.data(), "standard", [BENEFIT])
    data = _with_lines(data, "tailored", [OWN_LINE])
    data["terms-discount_rate"] = "0"
    response = _post(client, plan, data, recalculate="1")
    assert response.status_code == 200
    html = response.content.decode()
    # 12 × 1.400 = 16.800 against 6.500: the tailored route saves 10.300.
    assert "€\u00a010.300,00" in html
    assert "Netto voor de samenleving" in html and "bespaart" in html
    assert "“Netto voor de samenleving” is wat de maatwerkroute" in html
    assert not plan.lines.exists()
    # Changing a line changes the result: the live endpoint (HTMX) answers it out of band.
    data = _with_lines(data, "tailored", [{**OWN_LINE, "amount": "8000"}])
    before = AuditEvent.objects.count()
    live = _post(client, plan, data, preview="1").content.decode()
    assert 'id="plan-result-slot" hx-swap-oob="innerHTML"' in live
    assert "€\u00a08.800,00" in live
    assert AuditEvent.objects.count() == before and not plan.lines.exists()


def test_saving_goes_through_the_draft_service_and_keeps_percentages(client, plan):
    form = _page_form(client, plan)
    data = _with_lines(form.data(), "standard", [{**BENEFIT, "probability": "75"}])
    data = _with_lines(data, "tailored", [OWN_LINE])
    data["terms-discount_rate"] = "2,5"
    response = _post(client, plan, data, save="1")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.discount_rate == Decimal("0.0250")
    assert plan.lines.get(scenario="standard").probability == Decimal("0.7500")
    # Opened again, the page shows per cent as typed, and saving unchanged changes nothing.
    again = _page_form(client, plan)
    values = dict(again.data())
    assert values["terms-discount_rate"] == "2,5"
    assert values["standard-0-probability"] == "75"
    assert _post(client, plan, again.data(), save="1").status_code == 302
    plan.refresh_from_db()
    assert plan.discount_rate == Decimal("0.0250")
    assert plan.lines.get(scenario="standard").probability == Decimal("0.7500")


def test_save_draft_is_all_or_nothing(world, worker, plan):
    with pytest.raises(Exception):  # noqa: B017 -- a line the model refuses
        services.save_draft(
            worker,
            plan,
            agreement={"resident_words": "Ja, graag."},
            standard=[{"kind": "cost", "label": "x", "quantity": Decimal(1), "unit": "bogus"}],
        )
    plan.refresh_from_db()
    assert plan.resident_words == ""


def _calculator_data(**extra):
    data = {
        "horizon_months": "12", "discount_rate": "0", "price_year": "2026",
        "standard-TOTAL_FORMS": "1", "standard-INITIAL_FORMS": "0",
        "tailored-TOTAL_FORMS": "1", "tailored-INITIAL_FORMS": "0",
        **{f"standard-0-{k}": v for k, v in BENEFIT.items() if k != "kind"},
        **{f"tailored-0-{k}": v for k, v in OWN_LINE.items() if k != "kind"},
    }  # fmt: skip
    return {**data, **extra}


def test_calculator_becomes_a_draft_plan_of_a_chosen_case(client, world, worker):
    own = _obstacle(world["case_a"])
    other = _obstacle(world["case_b"])  # another team's case: never offered
    page = client.post(reverse("costs:calculator"), _calculator_data())
    assert "Maak hier een plan van" in page.content.decode()
    response = client.post(reverse("costs:calculator"), _calculator_data(make_plan="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:from_calculator")
    choose = client.get(reverse("plans:from_calculator")).content.decode()
    assert f'value="{own.pk}"' in choose and f'value="{other.pk}"' not in choose
    assert "Kies een casus en knelpunt …" in choose
    refused = client.post(
        reverse("plans:from_calculator"), {"obstacle": other.pk, "solution": "Opvang."}
    )
    assert refused.status_code == 400 and not Plan.objects.exists()
    made = client.post(
        reverse("plans:from_calculator"), {"obstacle": own.pk, "solution": "Opvang betalen."}
    )
    plan = Plan.objects.get()
    assert made["Location"] == reverse("plans:edit", args=[plan.pk])
    assert plan.case == world["case_a"] and plan.is_draft
    assert list(plan.obstacles.all()) == [own]
    assert plan.discount_rate == 0 and plan.horizon_months == 12
    assert plan.lines.get(scenario="tailored").amount == Decimal("6500")
    assert plan.lines.get(scenario="standard").duration_months == 12
    assert FOR_PLAN_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="create").exists()
    # Next time the same obstacle says it has a plan already (a second one may pay twice).
    client.post(reverse("costs:calculator"), _calculator_data(make_plan="1"))
    again = client.get(reverse("plans:from_calculator")).content.decode()
    assert f"(heeft al plan {plan.pk}, concept)" in again


def test_calculator_without_a_result_makes_no_plan(client, world, worker):
    data = _calculator_data(make_plan="1", **{"tailored-0-amount": ""})
    response = client.post(reverse("costs:calculator"), data)
    assert response.status_code == 200
    assert FOR_PLAN_SESSION_KEY not in client.session
    assert "Vul eerst beide routes in" in response.content.decode()


def test_calculator_and_plan_use_plain_words(client, worker):
    html = client.get(reverse("costs:calculator") + "?voorbeeld=kinderopvang").content.decode()
    for word in ("Rekenrente voor later geld", "Prijzen van het jaar", "Kans dat het gebeurt",
                 "Begint na (maanden)", "Geld van de overheid"):  # fmt: skip
        assert word in html
    for jargon in ("Discontovoet (", "Prijsjaar<", "Kans (%)", "Vanaf maand", "Fiscaal ("):
        assert jargon not in html


def _date_parts(prefix: str, value) -> dict:
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month),
            f"{prefix}_year": str(value.year)}  # fmt: skip


def test_a_planned_date_in_the_past_is_refused_in_plain_dutch(client, plan):
    """Issue 11 (h1.6): "Wanneer" is the date of the planned action: not before today."""
    from datetime import timedelta

    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    form = _page_form(client, plan)
    data = {**dict(form.data()), **_date_parts("sol-when", yesterday)}
    response = _post(client, plan, data, save="1")
    assert response.status_code == 400
    assert "De geplande datum ligt in het verleden" in response.content.decode()
    plan.refresh_from_db()
    assert plan.when is None
    # The service refuses it for every caller (the API too).
    with pytest.raises(ValidationError) as refused:
        services.update_solution(plan.author, plan, when=yesterday)
    assert "when" in refused.value.message_dict
    # Today is fine.
    data.update(_date_parts("sol-when", timezone.localdate()))
    assert _post(client, plan, data, save="1").status_code == 302


def test_a_draft_saved_earlier_with_a_date_now_past_still_opens_and_saves(client, plan):
    from datetime import timedelta

    from django.utils import timezone

    # The plan was saved with a date that has passed since (time moved on, not a new input).
    Plan.objects.filter(pk=plan.pk).update(when=timezone.localdate() - timedelta(days=30))
    form = _page_form(client, plan)
    data = dict(form.data())
    data["inv-resident_words"] = "Dan kan ik blijven werken."
    assert _post(client, plan, data, save="1").status_code == 302
    services.update_solution(plan.author, plan, when=plan.when, solution="Opvang betalen.")


def test_with_lines_in_one_route_only_the_result_asks_for_the_other_route(client, plan):
    form = _page_form(client, plan)
    data = _with_lines(form.data(), "standard", [BENEFIT])
    html = _post(client, plan, data, recalculate="1").content.decode()
    assert "Voeg ook een regel toe aan de maatwerkroute" in html
    assert "Verbeter de gemarkeerde velden" not in html
    data = _with_lines(form.data(), "tailored", [OWN_LINE])
    html = _post(client, plan, data, recalculate="1").content.decode()
    assert "Voeg ook een regel toe aan de standaardroute" in html
    assert "Verbeter de gemarkeerde velden" not in html


def test_a_second_draft_from_the_calculator_needs_confirming(client, world, worker, plan):
    # `plan` is a draft of case_a already.
    own = plan.obstacles.get()
    client.post(reverse("costs:calculator"), _calculator_data(make_plan="1"))
    warned = client.post(
        reverse("plans:from_calculator"), {"obstacle": own.pk, "solution": "Opvang betalen."}
    )
    html = warned.content.decode()
    assert warned.status_code == 400 and Plan.objects.count() == 1
    assert "Deze casus heeft al een conceptplan" in html
    assert reverse("plans:edit", args=[plan.pk]) in html
    made = client.post(
        reverse("plans:from_calculator"),
        {"obstacle": own.pk, "solution": "Opvang betalen.", "another_draft": "on"},
    )
    assert made.status_code == 302 and Plan.objects.count() == 2


def test_a_second_draft_from_the_case_page_needs_confirming(client, world, worker, plan):
    url = reverse("plans:new", args=[world["case_a"].pk])
    page = client.get(url).content.decode()
    assert "Deze casus heeft al een conceptplan" in page
    assert reverse("plans:edit", args=[plan.pk]) in page
    data = {"obstacles": [plan.obstacles.get().pk], "solution": "Nog een plan."}
    refused = client.post(url, data)
    assert refused.status_code == 400 and Plan.objects.count() == 1
    assert "Toch nog een conceptplan" in refused.content.decode()
    made = client.post(url, {**data, "another_draft": "on"})
    assert made.status_code == 302 and Plan.objects.count() == 2
