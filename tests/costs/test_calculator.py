"""The calculator page and the calculation API: same engine, same numbers, clear refusals."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.costs.api import WORKED_EXAMPLE
from maatwerk.costs.models import CostItem, CostItemVersion

from ..factories import TeamFactory, user_with_role
from ..problems import field_errors, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client):
    user = user_with_role(Role.WORKER, TeamFactory())
    client.force_login(user)
    return user


def _api(client, payload):
    return client.post(
        reverse("api-calculations"), data=json.dumps(payload), content_type="application/json"
    )


def _page_data(standard, tailored, *, horizon="12", rate="0", year="2024"):
    """The calculator form as a browser posts it (Dutch number notation)."""
    data = {"horizon_months": horizon, "discount_rate": rate, "price_year": year}
    for prefix, lines in (("standard", standard), ("tailored", tailored)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(lines))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, line in enumerate(lines):
            row = {"quantity": "1", "start_month": "0", "probability": "100", **line}
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


BENEFIT = {
    "label": "Bijstand",
    "amount": "1000",
    "unit": "per_month",
    "bearer": "municipality",
    "cost_type": "transfer",
    "duration_months": "12",
}
CHILDCARE = {
    "label": "Kinderopvang",
    "amount": "6500",
    "unit": "per_event",
    "bearer": "municipality",
    "cost_type": "fiscal",
}


def test_api_worked_example(client, worker):
    response = _api(client, WORKED_EXAMPLE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["standard"]["total"] == "12000.00"
    assert body["tailored"]["total"] == "6500.00"
    assert body["net_benefit"] == "5500.00"
    assert body["ratio"] == "1.85"
    assert body["payback_month"] == "6.5"
    assert len(body["standard"]["cumulative"]) == 12
    assert body["budget_view"][0]["bearer"] == "municipality"
    assert body["societal_view"]["standard"] == "0.00"  # a benefit is a transfer
    assert body["explanation"]


def test_page_shows_the_same_numbers_as_the_api(client, worker):
    response = client.post(reverse("costs:calculator"), _page_data([BENEFIT], [CHILDCARE]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "€\u00a05.500,00" in html
    assert "1,85" in html
    assert "6,5" in html
    page = response.context["outcome"].result
    api = _api(client, WORKED_EXAMPLE).json()
    assert str(page.net_benefit) == api["net_benefit"]
    assert str(page.payback_month) == api["payback_month"]
    assert "<svg" in html and "polyline" in html  # the chart
    assert html.count("<tr>") >= 12  # its text alternative, one row per month


def test_catalogue_lines_use_the_indexed_price_on_page_and_api(client, worker):
    item = CostItem.objects.get(code="PW-NORM-1P", organisation=None)
    payload = {
        "horizon_months": 12,
        "discount_rate": "0.0225",
        "price_year": 2024,
        "standard": [{"item": item.pk, "duration_months": 12}],
        "tailored": [{"label": "Opvang", "amount": "6500", "unit": "per_event"} | CHILDCARE],
    }
    api = _api(client, payload)
    assert api.status_code == 200, api.content
    page = client.post(
        reverse("costs:calculator"),
        _page_data(
            [{"item": str(item.pk), "duration_months": "12"}],
            [CHILDCARE],
            rate="2,25",
            year="2024",
        ),
    )
    result = page.context["outcome"].result
    assert str(result.standard.total) == api.json()["standard"]["total"]
    assert str(result.net_benefit_present_value) == api.json()["net_benefit_present_value"]
    assert result.standard.total > Decimal(10_000)


def test_local_price_takes_precedence(client, worker):
    item = CostItem.objects.get(code="PW-NORM-1P", organisation=None)
    shared = item.versions.filter(organisation=None).latest("price_date")
    CostItemVersion.objects.create(
        item=item,
        organisation=worker.memberships.first().organisation,
        amount=Decimal("2000.00"),
        price_date=shared.price_date,
        grade="A",
        source_title="Lokale norm",
        source_url="https://example.org/norm",
    )
    payload = {
        "horizon_months": 1,
        "discount_rate": "0",
        "price_year": shared.price_date.year,
        "standard": [{"item": item.pk, "duration_months": 1}],
        "tailored": [],
    }
    assert _api(client, payload).json()["standard"]["total"] == "2000.00"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"horizon_months": 0}, "horizon_months"),
        ({"horizon_months": 601}, "horizon_months"),
        ({"discount_rate": "-0.01"}, "discount_rate"),
        ({"standard": [BENEFIT | {"probability": "1.5"}]}, "standard"),
        ({"standard": [BENEFIT | {"amount": "-5"}]}, "standard"),
        ({"standard": [BENEFIT | {"unit": "per_fortnight"}]}, "standard"),
        ({"tailored": [{"label": "x"}]}, "tailored"),
        ({"standard": "nonsense"}, "standard"),
    ],
)
def test_api_refuses_bad_input_with_field_errors(client, worker, change, path):
    response = _api(client, WORKED_EXAMPLE | change)
    problem(response, 400, "invalid")
    fields = field_errors(response)
    assert any(f == path or f.startswith(f"{path}.") for f in fields), fields


def test_api_names_the_line_the_engine_refuses(client, worker):
    late = CHILDCARE | {"start_month": 20}
    response = _api(client, WORKED_EXAMPLE | {"tailored": [CHILDCARE, late]})
    problem(response, 400, "invalid")
    errors = field_errors(response)
    assert "tailored.1.start_month" in errors
    assert "regel 2" in errors["tailored.1.start_month"][0]


def test_api_refuses_another_organisations_local_item(client, worker):
    other = user_with_role(Role.ADMIN, TeamFactory())
    item = CostItem.objects.create(
        code="LOKAAL-1",
        organisation=other.memberships.first().organisation,
        name_nl="Lokaal",
        name_en="Local",
        unit="per_event",
        bearer="municipality",
        cost_type="fiscal",
        life_domain="income",
    )
    response = _api(
        client, WORKED_EXAMPLE | {"standard": [{"item": item.pk, "duration_months": 12}]}
    )
    problem(response, 400, "invalid")
    assert "standard.0.item" in field_errors(response)


def test_page_refuses_bad_input_and_shows_why(client, worker):
    response = client.post(
        reverse("costs:calculator"),
        _page_data([BENEFIT | {"probability": "150"}], [CHILDCARE], horizon="0"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert response.context["outcome"] is None
    assert "errorlist" in html


def test_page_adds_and_removes_lines_keeping_what_was_typed(client, worker):
    item = CostItem.objects.get(code="MO-PLEK-JAAR", organisation=None)
    data = _page_data([BENEFIT], [CHILDCARE]) | {"add_line": f"standard:item:{item.pk}"}
    response = client.post(reverse("costs:calculator"), data)
    standard = response.context["scenarios"][0]
    assert len(standard["lines"]) == 2
    assert standard["lines"][0][0]["amount"].value() == "1000"
    assert standard["lines"][1][1].item == item
    data = _page_data([BENEFIT], [CHILDCARE]) | {"remove_line": "tailored:0"}
    response = client.post(reverse("costs:calculator"), data)
    assert response.context["scenarios"][1]["lines"] == []


def test_search_fragment_offers_catalogue_items(client, worker):
    response = client.get(
        reverse("costs:calculator_search"), {"scenario": "tailored", "q_tailored": "bijstand"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="tailored:item:' in html
    assert "Bijstandsnorm" in html
    assert "<html" not in html  # a fragment, not a page


def test_example_link_loads_the_childcare_case(client, worker):
    response = client.get(reverse("costs:calculator"), {"voorbeeld": "kinderopvang"})
    assert response.status_code == 200
    assert response.context["outcome"] is not None
    assert response.context["outcome"].result.tailored.total == Decimal("6500.00")


def test_cost_items_api_lists_and_filters(client, worker):
    response = client.get(reverse("api-cost-items"))
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == CostItem.objects.filter(organisation=None).count()
    assert {"code", "amount", "indexed_amount", "grade", "source_url", "version_id"} <= set(rows[0])
    transfers = client.get(reverse("api-cost-items"), {"cost_type": "transfer"}).json()
    assert transfers and all(r["cost_type"] == "transfer" for r in transfers)
    assert client.get(reverse("api-cost-items"), {"grade": "Z"}).status_code == 400


def test_schema_documents_both_endpoints_with_an_example(client, worker):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/calculations/" in schema["paths"]
    assert "/api/v1/cost-items/" in schema["paths"]
    post = schema["paths"]["/api/v1/calculations/"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert examples


def test_query_count_does_not_grow_with_the_number_of_lines(client, worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = list(CostItem.objects.filter(organisation=None).order_by("pk")[:10])

    def count(n):
        lines = [{"item": str(i.pk), "duration_months": "12"} for i in items[:n]]
        data = _page_data(lines, [CHILDCARE])
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(reverse("costs:calculator"), data)
        assert response.context["outcome"] is not None
        return len(ctx.captured_queries)

    count(1)  # warm caches
    assert count(2) == count(10) <= 12


def test_back_from_make_a_plan_the_comparison_is_as_it_was_left(client, worker):
    from maatwerk.costs.calculations import FOR_PLAN_SESSION_KEY

    line = {"label": "Kinderopvang", "amount": "6500", "unit": "once", "quantity": "1"}
    session = client.session
    session[FOR_PLAN_SESSION_KEY] = {
        "standard": [dict(line, label="Uitkering", amount="1000", unit="month")],
        "tailored": [line],
        "horizon_months": 24,
        "discount_rate": "0.0225",
        "price_year": 2025,
    }
    session.save()
    page = client.get(reverse("costs:calculator") + "?terug=1")
    form = page.context["form"]
    assert form.is_valid(), form.errors
    assert form.cleaned_data["discount_rate"] == Decimal("0.0225")  # 2,25 % as typed
    assert form.cleaned_data["horizon_months"] == 24
    body = page.content.decode()
    assert 'value="Kinderopvang"' in body and 'value="Uitkering"' in body
    # Without "terug" the calculator starts empty, as before.
    assert 'value="Kinderopvang"' not in client.get(reverse("costs:calculator")).content.decode()


# --- Issue 11 (h1): focus, idempotent adding, Back, and what a line of one's own needs ------


def _label_text(html: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S)
    assert match, field_id
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_a_line_of_ones_own_says_amount_and_unit_are_needed(client, worker):
    own = {**CHILDCARE, "amount": "", "unit": ""}
    html = client.post(reverse("costs:calculator"), _page_data([BENEFIT], [own])).content.decode()
    for field in ("amount", "unit"):
        label = _label_text(html, f"id_tailored-0-{field}")
        assert "nodig bij een eigen regel" in label and "optioneel" not in label, label
    amount_errors = html.split('id="id_tailored-0-amount_errors"', 1)[1].split("</div>", 1)[0]
    assert "Vul een bedrag in: dat is nodig bij een eigen regel." in amount_errors
    unit_errors = html.split('id="id_tailored-0-unit_errors"', 1)[1].split("</div>", 1)[0]
    assert "Kies een eenheid: dat is nodig bij een eigen regel." in unit_errors
    # A catalogue line takes them from its item: optional there.
    item = CostItem.objects.get(code="PW-NORM-1P", organisation=None)
    data = _page_data([{"item": str(item.pk)}], [CHILDCARE])
    html = client.post(reverse("costs:calculator"), data).content.decode()
    assert "optioneel" in _label_text(html, "id_standard-0-amount")


def test_adding_moves_the_focus_to_the_new_line(client, worker):
    data = _page_data([BENEFIT], [CHILDCARE]) | {"add_line": "tailored:free"}
    html = client.post(reverse("costs:calculator"), data).content.decode()
    assert re.search(r'<input[^>]*id="id_tailored-1-label"[^>]*autofocus', html) or re.search(
        r'<input[^>]*autofocus[^>]*id="id_tailored-1-label"', html
    )
    assert html.count("autofocus") == 1


def test_a_search_result_once_added_is_not_offered_again(client, worker):
    """Enter on a result adds it; the answer carries no result button to press again."""
    item = CostItem.objects.get(code="PW-NORM-1P", organisation=None)
    data = _page_data([], [CHILDCARE]) | {
        "q_standard": "bijstand",
        "add_line": f"standard:item:{item.pk}",
    }
    html = client.post(reverse("costs:calculator"), data).content.decode()
    assert 'name="standard-TOTAL_FORMS" value="1"' in html
    assert f'id="add-standard-{item.pk}"' not in html
    assert re.search(r'id="q-standard" name="q_standard" value=""', html)
    assert re.search(r'<input[^>]*autofocus[^>]*id="id_standard-0-amount"', html) or re.search(
        r'<input[^>]*id="id_standard-0-amount"[^>]*autofocus', html
    )


def test_the_calculator_comes_back_as_left_and_can_start_empty(client, worker):
    data = _page_data([BENEFIT], [CHILDCARE])
    client.post(reverse("costs:calculator"), data, HTTP_HX_REQUEST="true")
    html = client.get(reverse("costs:calculator")).content.decode()  # Back, or the menu
    assert 'value="Kinderopvang"' in html and "om-figures" in html
    html = client.get(reverse("costs:calculator") + "?leeg=1").content.decode()
    assert 'value="Kinderopvang"' not in html
    html = client.get(reverse("costs:calculator")).content.decode()
    assert 'value="Kinderopvang"' not in html


def test_the_loaded_example_is_kept_when_coming_back(client, worker):
    client.get(reverse("costs:calculator"), {"voorbeeld": "kinderopvang"})
    response = client.get(reverse("costs:calculator"))  # away and back through the menu
    assert response.context["outcome"] is not None
    assert response.context["outcome"].result.tailored.total == Decimal("6500.00")


def test_a_cost_per_case_counts_once_whatever_months_are_given(client, worker):
    """Beschermingsbewind intake is € 751,41 per case (2024): six months must not make it six."""
    item = CostItem.objects.get(code="BEWIND-INTAKE", organisation=None)
    assert item.unit == "per_case"
    data = _page_data([BENEFIT], [{"item": str(item.pk), "duration_months": "6"}], year="2024")
    page = client.post(reverse("costs:calculator"), data)
    assert page.context["outcome"].result.tailored.total == Decimal("751.41")
    payload = {
        "horizon_months": 12,
        "discount_rate": "0",
        "price_year": 2024,
        "standard": [BENEFIT],
        "tailored": [{"item": item.pk, "duration_months": 6}],
    }
    assert _api(client, payload).json()["tailored"]["total"] == "751.41"
    # The page shows no months field for it: it says the cost counts once.
    html = client.post(reverse("costs:calculator"), data).content.decode()
    assert 'name="tailored-0-duration_months" value=""' in html
    assert "Eenmalig: een bedrag per casus telt één keer" in html


def test_an_own_line_per_case_counts_once_too(client, worker):
    line = {**CHILDCARE, "unit": "per_case", "duration_months": "6"}
    page = client.post(reverse("costs:calculator"), _page_data([BENEFIT], [line]))
    assert page.context["outcome"].result.tailored.total == Decimal("6500.00")


def test_with_lines_in_one_route_only_the_result_asks_for_the_other(client, worker):
    page = client.post(reverse("costs:calculator"), _page_data([BENEFIT], []))
    assert page.context["outcome"] is None
    assert "Voeg ook een regel toe aan de maatwerkroute" in page.content.decode()
    page = client.post(reverse("costs:calculator"), _page_data([], [CHILDCARE]))
    assert "Voeg ook een regel toe aan de standaardroute" in page.content.decode()
